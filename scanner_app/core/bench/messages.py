"""What the bench flow says to the operator: message keys with arguments, and their English.

The flow never builds sentences for the screen: it hands out a ``Message`` (a key, the values to
put in it, and how the banner looks). The GUI translates the key through Qt (one literal
``tr()`` per key, which lupdate can see) and fills in ``%1``, ``%2``… as Qt's own ``arg()``
does; the CLI, the logs and the tests use the English below through ``Message.text()``.
Arguments that are already sentences (a refused code's reason, Graph's error, the outbox's
outcome) arrive in English from the core and are shown as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BannerKind = Literal["info", "busy", "ok", "error"]

#: Every key the flow can hand out, with its English text.
MESSAGES: dict[str, str] = {
    # Banners: one per state, each about the card on screen (R4).
    "ready": "Ready: hold a device label up to the camera.",
    "ready-no-camera": "Ready: type the serial number below, or scan it with a barcode scanner.",
    "reading": "Autopilot code: block %1 of %2 read…",
    "looking-up": "Looking up %1…",
    "found": "Found %1. Check the change, then press Enter to apply.",
    "found-as": "Found %1 (%2). Check the change, then press Enter to apply.",
    "offline": (
        "Offline: %1 shown from a copy seen %2, possibly out of date. A change is queued and "
        "checked against Intune before it is sent."
    ),
    "slow": (
        "Graph is slow: no answer in time, so %1 is shown from a copy seen %2, possibly out of "
        "date. A change is queued and checked against Intune before it is sent."
    ),
    "several": "%1 devices match %2: pick one (arrows, Enter). Nothing is applied until you do.",
    "picked": "Picked %1 (%2 of %3). Check the change, then press Enter to apply.",
    "not-found": "No Autopilot device found for %1.",
    "lookup-failed": "Look-up of %1 failed: %2",
    "refused": "%1",  # the reason, a sentence from the payload rules
    "two-labels": "Two codes in view (%1). Show one label at a time.",
    "applying": "Applying to %1 and verifying…",
    "verified": "✔ %1: %2",
    "accepted": "%1: %2",
    "queued": "%1: %2",
    "conflict": "%1: %2 Scan it again to see it as it is now.",
    "apply-failed": "%1: %2",
    # Why Enter did not apply, said over the card it is about.
    "card-changed": "The card just changed: check it, then press Enter",
    "no-user": "No user picked: choose one from the list or clear the field",
    "pick-one": "Pick one of the %1 devices first (arrows, Enter).",
    "nothing-to-change": "Nothing to change: pick a group tag or a user.",
    "name-error": "%1: no device name can be made from the template: %2",
    "no-journal": "Not applied to %1: changes cannot be recorded. %2",
    # Notices: for the status bar and the session table, never over the card.
    "nothing-to-apply": "Nothing to apply: scan a device label first.",
    "still-applying": "Still applying the last change; scan again then.",
    "refused-notice": "Not used: %1",
    "two-labels-notice": "Two codes in view (%1): show one label at a time.",
    "reading-notice": "Autopilot code: block %1 of %2 read…",
}


@dataclass(frozen=True)
class Message:
    """A sentence for the operator: ``key`` in :data:`MESSAGES`, ``args`` for ``%1``, ``%2``…
    and ``kind`` (info, busy, ok, error: the banner's colour)."""

    key: str
    args: tuple[str, ...] = ()
    kind: BannerKind = "info"

    def __post_init__(self) -> None:
        if self.key not in MESSAGES:
            raise KeyError(f"unknown bench message key {self.key!r}")

    def text(self) -> str:
        """The English sentence (the GUI translates ``key`` instead)."""
        return fill(MESSAGES[self.key], self.args)


def fill(template: str, args: tuple[str, ...]) -> str:
    """Put ``args`` into ``%1``, ``%2``… in one pass, so an argument that itself contains
    ``%2`` is never filled in again."""
    out: list[str] = []
    i = 0
    while i < len(template):
        if template[i] == "%" and i + 1 < len(template) and template[i + 1].isdigit():
            j = i + 1
            while j < len(template) and template[j].isdigit():
                j += 1
            n = int(template[i + 1 : j])
            if 1 <= n <= len(args):
                out.append(args[n - 1])
                i = j
                continue
        out.append(template[i])
        i += 1
    return "".join(out)
