"""The journal's states, the transitions allowed between them, its SQLite schema and entries.

Kept apart from ``journal.py`` (the code that reads and writes it) because these are the facts
everything else agrees on: the outbox moves entries along ``TRANSITIONS``, the history window
shows the states, and ``MIGRATIONS`` is append-only, so a journal written by any earlier version
of the app opens in this one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from scanner_app.core.models import DeviceChange

PENDING, SENT, ACCEPTED, VERIFIED = "pending", "sent", "accepted", "verified"
FAILED, SUPERSEDED, CONFLICT = "failed", "superseded", "conflict"
#: States whose work is not finished: a worker (or a restarted app) picks them up.
OPEN_STATES = (PENDING, SENT, ACCEPTED)
#: Allowed transitions. Anything else is a bug, and refusing it keeps the audit trail honest.
TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({PENDING, SENT, VERIFIED, FAILED, SUPERSEDED, CONFLICT}),
    # sent → superseded closes only a training change whose simulated tenant (its demo run)
    # is gone, so it can never be settled (see ``journal.tenants``).
    SENT: frozenset({SENT, PENDING, ACCEPTED, VERIFIED, FAILED, CONFLICT, SUPERSEDED}),
    ACCEPTED: frozenset({ACCEPTED, VERIFIED, SUPERSEDED}),
    CONFLICT: frozenset({PENDING, SUPERSEDED}),
    FAILED: frozenset({PENDING}),
    VERIFIED: frozenset(),
    SUPERSEDED: frozenset(),
}

#: How the tenant of a training change reads: ``contoso.example (training run 1a2b3c4d)``.
#: Each ``--demo`` run is a simulated tenant of its own (fresh, same seed), so each run is one
#: tenant. A real tenant's name is a GUID or a domain (``Settings`` checks), never this form.
TRAINING_MARK = " (training run "


def tenant_key(tenant: str) -> str:
    """The tenant as entries are filed and compared: as the operator configured it, trimmed
    and lower-cased (domains and tenant GUIDs are case-insensitive), so ``Contoso.com`` and
    ``contoso.com`` are one tenant whatever an older version wrote."""
    return tenant.strip().lower()


def training_tenant(name: str, run: str) -> str:
    """The tenant recorded for changes made in one demo run on the simulated tenant ``name``."""
    return f"{tenant_key(name)}{TRAINING_MARK}{run})"


def is_training(tenant: str) -> bool:
    return TRAINING_MARK in tenant


#: The fields of a change as a person names them (``JournalEntry.describe``).
FIELD_LABELS: Mapping[str, str] = {
    "group_tag": "Group tag",
    "user_principal_name": "User",
    "addressable_user_name": "User name",
    "display_name": "Device name",
}

ENTRY_COLUMNS = (
    "id, device_id, serial, before_json, after_json, operator, tenant, state, reason, attempts,"
    " request_ids, created_at, updated_at, undo_of, current_json"
)

#: Schema steps, applied in order; ``user_version`` is the number applied. Append, never edit.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            device_id TEXT NOT NULL,
            serial TEXT NOT NULL,
            before_json TEXT NOT NULL,
            after_json TEXT NOT NULL,
            operator TEXT NOT NULL,
            tenant TEXT NOT NULL,
            state TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 0,
            request_ids TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX changes_state ON changes(state, id)",
        "CREATE INDEX changes_device ON changes(device_id, id)",
    ),
    (
        # v2: undo links, the Graph values seen at a conflict, and a per-transition history.
        "ALTER TABLE changes ADD COLUMN undo_of INTEGER REFERENCES changes(id)",
        "ALTER TABLE changes ADD COLUMN current_json TEXT NOT NULL DEFAULT '{}'",
        """CREATE TABLE events (
            entry_id INTEGER NOT NULL REFERENCES changes(id),
            at TEXT NOT NULL,
            state TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            request_id TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX events_entry ON events(entry_id)",
    ),
)


@dataclass(frozen=True)
class JournalEntry:
    """One change and its fate. ``before``/``after`` hold ``DeviceChange`` fields by name."""

    id: int
    device_id: str
    serial: str
    before: dict[str, str]
    after: dict[str, str]
    operator: str
    tenant: str
    state: str
    reason: str = ""
    attempts: int = 0
    request_ids: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    undo_of: int | None = None
    current: dict[str, str] = field(default_factory=dict)
    #: What of the row could not be read ("unreadable after_json"), or "": such an entry is
    #: listed and exported as it is but never sent, verified or retried.
    damage: str = ""

    @property
    def change(self) -> DeviceChange:
        return DeviceChange(**self.after)

    @property
    def before_change(self) -> DeviceChange:
        return DeviceChange(**self.before)

    @property
    def training(self) -> bool:
        """Made in training (``--demo``) on a simulated tenant: never real work."""
        return is_training(self.tenant)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def summary(self) -> str:
        """``group_tag: 'A' → 'B'; ...``: exact values for the CLI and the logs (quotes show
        an empty or padded value); the window uses :meth:`describe`."""
        if self.damage:
            return f"(this entry cannot be read: {self.damage})"
        return "; ".join(
            f"{name}: {self.before.get(name, '')!r} → {value!r}"
            for name, value in self.after.items()
        )

    def describe(self, labels: Mapping[str, str] = FIELD_LABELS, empty: str = "–") -> str:
        """``Group tag: – → Kiosk; User: – → ada@contoso.com``: the change as an operator reads
        it, with ``labels`` naming the fields (the window passes them translated) and ``empty``
        standing for no value. The user's display name goes with the UPN, so it is not repeated."""
        if self.damage:
            return self.summary()
        parts = []
        for name, value in self.after.items():
            if name == "addressable_user_name" and "user_principal_name" in self.after:
                continue
            before = self.before.get(name) or empty
            parts.append(f"{labels.get(name, name)}: {before} → {value or empty}")
        return "; ".join(parts)


#: The audit record's columns (``journal export --csv``): a contract with whoever audits it.
AUDIT_COLUMNS = (
    "id", "created_utc", "updated_utc", "operator", "tenant", "device_id", "serial", "state",
    "reason", "change", "before", "after", "graph_request_ids", "attempts", "undo_of", "training",
)  # fmt: skip


def audit_row(e: JournalEntry) -> list[Any]:
    """One entry as its ``AUDIT_COLUMNS`` (``training`` says "yes" for a ``--demo`` change)."""
    return [
        e.id, e.created_at, e.updated_at, e.operator, e.tenant, e.device_id, e.serial, e.state,
        e.reason, e.summary(), json.dumps(e.before), json.dumps(e.after), " ".join(e.request_ids),
        e.attempts, "" if e.undo_of is None else e.undo_of, "yes" if e.training else "no",
    ]  # fmt: skip


def entry_from_row(row: tuple[Any, ...]) -> JournalEntry:
    """A ``SELECT {ENTRY_COLUMNS}`` row as an entry (columns in that order). A value that does
    not parse (broken JSON, a number that is not one: a damaged or hand-edited file) never
    raises: the entry comes back with what could be read and ``damage`` saying what could not,
    so a list still shows it and the outbox never sends it."""
    damage: list[str] = []

    def value(index: int, name: str, parse: Callable[[Any], Any], default: Any) -> Any:
        try:
            return parse(row[index])
        except (TypeError, ValueError):
            damage.append(name)
            return default

    entry = JournalEntry(
        id=value(0, "id", int, 0),
        device_id=value(1, "device_id", _text, ""),
        serial=value(2, "serial", _text, ""),
        before=value(3, "before_json", _fields, {}),
        after=value(4, "after_json", _fields, {}),
        operator=value(5, "operator", _text, ""),
        tenant=value(6, "tenant", _text, ""),
        state=value(7, "state", _state, FAILED),
        reason=value(8, "reason", _text, ""),
        attempts=value(9, "attempts", int, 0),
        request_ids=value(10, "request_ids", _ids, ()),
        created_at=value(11, "created_at", _text, ""),
        updated_at=value(12, "updated_at", _text, ""),
        undo_of=value(13, "undo_of", lambda v: None if v is None else int(v), None),
        current=value(14, "current_json", _fields, {}),
    )
    if damage:
        return replace(entry, damage=f"unreadable {', '.join(damage)}")
    return entry


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _state(value: Any) -> str:
    if value not in TRANSITIONS:
        raise ValueError(value)
    return str(value)


def _fields(value: Any) -> dict[str, str]:
    """A change's fields as recorded: a JSON object of known field names to text."""
    parsed = json.loads(_text(value))
    if not isinstance(parsed, dict) or not all(
        name in _FIELDS and isinstance(v, str) for name, v in parsed.items()
    ):
        raise ValueError(value)
    return parsed


def _ids(value: Any) -> tuple[str, ...]:
    parsed = json.loads(_text(value))
    if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
        raise ValueError(value)
    return tuple(parsed)


_FIELDS = frozenset(f.name for f in fields(DeviceChange))
