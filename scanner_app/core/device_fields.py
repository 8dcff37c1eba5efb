"""The one table of an Autopilot device's fields: what the app reads from Graph and shows.

Each row names an ``AutopilotDevice`` attribute, the v1.0 ``windowsAutopilotDeviceIdentity``
property it comes from, the device card's label for it and the CLI's. Derived from it:

- ``AutopilotDevice.from_graph`` (the attribute ← property mapping, ``GRAPH_NAMES``);
- the ``$select`` of every device read (``graph/autopilot.py``: ``SELECT``);
- the card's rows, in this order (``CARD_ROWS``, ``ui/device_card.py``);
- the CLI's device lines (``CLI_FIELDS``, ``commands/_tenant.py`` ``device_text``).

Only v1.0 properties belong here: asking v1.0 for a beta-only property with ``$select`` is a
400 (``tests/core/test_device_fields.py`` pins every name to the contract). The profile
assignment exists on beta alone; it is read in the background as ``models.ProfileState`` and
has a card row of its own (``PROFILE_ROW``), placed in ``CARD_ROWS`` here. The dataclass
``AutopilotDevice`` still declares its attributes (a type checker needs them), and a test
holds them equal to this table.

The simulated tenant's seed does not come from here: it stands for Graph, and its devices
carry every v1.0 property whatever the app reads (a test checks they carry this table's).

Card labels are ``QT_TRANSLATE_NOOP`` markers in the card's context: literals that
``scripts/update_translations.py`` hands to ``pyside6-lupdate`` with the GUI's sources; the
card translates them with ``QCoreApplication.translate(CARD_CONTEXT, label)``. The core stays
free of Qt: the marker is a plain function that returns the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# ``text`` as it is; ``model``: the model after its maker (the card drops a maker the model
# already names); ``enrollment``: Graph's enrollment state, in words on the card; ``time``:
# an ISO time from Graph, in local time on the card ("never" for ``0001-01-01``).
FieldKind = Literal["text", "model", "enrollment", "time"]

# The translation context of the card's labels (the card's class name, as ``self.tr`` used).
CARD_CONTEXT = "DeviceCard"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Marks ``text`` for translation in ``context`` (lupdate reads the call); returns it."""
    return text


@dataclass(frozen=True)
class DeviceField:
    """One field of ``AutopilotDevice``.

    ``label`` is the card row's label ("" for no row), ``cli_label`` the CLI's ("" for no
    line). ``changeable``: Apply may set it (``DeviceChange``); the card shows a planned value
    as "before → after" and the CLI says "(none)" for an empty one."""

    attr: str
    graph_name: str
    label: str = ""
    cli_label: str = ""
    kind: FieldKind = "text"
    changeable: bool = False

    @property
    def on_card(self) -> bool:
        return bool(self.label)


@dataclass(frozen=True)
class CardRow:
    """A row of the device card: its key (``DeviceCard.values``), its label (English, translated
    in ``CARD_CONTEXT``) and the field it shows (None for the Profile row)."""

    key: str
    label: str
    field: DeviceField | None = None


# In the order the CLI prints them and the card shows its rows (the serial and the id are the
# card's heading, not rows). The ``$select`` names them in this order too.
DEVICE_FIELDS: tuple[DeviceField, ...] = (
    DeviceField("serial_number", "serialNumber", cli_label="Serial"),
    DeviceField("id", "id", cli_label="Id (ZtdId)"),
    DeviceField("manufacturer", "manufacturer"),
    DeviceField(
        "model",
        "model",
        QT_TRANSLATE_NOOP("DeviceCard", "Model"),
        "Model",
        kind="model",
    ),
    DeviceField(
        "group_tag",
        "groupTag",
        QT_TRANSLATE_NOOP("DeviceCard", "Group tag"),
        "Group tag",
        changeable=True,
    ),
    DeviceField(
        "user_principal_name",
        "userPrincipalName",
        QT_TRANSLATE_NOOP("DeviceCard", "Assigned user"),
        "User",
        changeable=True,
    ),
    DeviceField("addressable_user_name", "addressableUserName", changeable=True),
    DeviceField(
        "display_name",
        "displayName",
        QT_TRANSLATE_NOOP("DeviceCard", "Device name"),
        "Name",
        changeable=True,
    ),
    DeviceField(
        "enrollment_state",
        "enrollmentState",
        QT_TRANSLATE_NOOP("DeviceCard", "Enrollment"),
        "Enrollment",
        kind="enrollment",
    ),
    DeviceField(
        "last_contacted",
        "lastContactedDateTime",
        QT_TRANSLATE_NOOP("DeviceCard", "Last contact"),
        "Last contact",
        kind="time",
    ),
)

# ``AutopilotDevice`` attribute -> its v1.0 property.
GRAPH_NAMES: dict[str, str] = {f.attr: f.graph_name for f in DEVICE_FIELDS}
# The ``$select`` of every device read: the table's properties, nothing more.
SELECT = ",".join(f.graph_name for f in DEVICE_FIELDS)
# The Profile row: beta's profile assignment (``ProfileState``), not a device field.
PROFILE_ROW = CardRow("profile", QT_TRANSLATE_NOOP("DeviceCard", "Profile"))
# The card's rows, top to bottom: the table's card fields, then the Profile row.
CARD_ROWS: tuple[CardRow, ...] = (
    *(CardRow(f.attr, f.label, f) for f in DEVICE_FIELDS if f.on_card),
    PROFILE_ROW,
)
# The fields the CLI prints, in order.
CLI_FIELDS: tuple[DeviceField, ...] = tuple(f for f in DEVICE_FIELDS if f.cli_label)
