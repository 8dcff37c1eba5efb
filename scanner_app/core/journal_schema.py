"""The journal's states, the transitions allowed between them, its SQLite schema and entries.

Kept apart from ``journal.py`` (the code that reads and writes it) because these are the facts
everything else agrees on: the outbox moves entries along ``TRANSITIONS``, the history window
shows the states, and ``MIGRATIONS`` is append-only, so a journal written by any earlier version
of the app opens in this one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    # is gone, so it can never be settled (see ``journal_tenants``).
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
        return "; ".join(
            f"{name}: {self.before.get(name, '')!r} → {value!r}"
            for name, value in self.after.items()
        )

    def describe(self, labels: Mapping[str, str] = FIELD_LABELS, empty: str = "–") -> str:
        """``Group tag: – → Kiosk; User: – → ada@contoso.com``: the change as an operator reads
        it, with ``labels`` naming the fields (the window passes them translated) and ``empty``
        standing for no value. The user's display name goes with the UPN, so it is not repeated."""
        parts = []
        for name, value in self.after.items():
            if name == "addressable_user_name" and "user_principal_name" in self.after:
                continue
            before = self.before.get(name) or empty
            parts.append(f"{labels.get(name, name)}: {before} → {value or empty}")
        return "; ".join(parts)


def entry_from_row(row: tuple[Any, ...]) -> JournalEntry:
    """A ``SELECT {ENTRY_COLUMNS}`` row as an entry (columns in that order)."""
    return JournalEntry(
        id=int(row[0]),
        device_id=row[1],
        serial=row[2],
        before=json.loads(row[3]),
        after=json.loads(row[4]),
        operator=row[5],
        tenant=row[6],
        state=row[7],
        reason=row[8],
        attempts=int(row[9]),
        request_ids=tuple(json.loads(row[10])),
        created_at=row[11],
        updated_at=row[12],
        undo_of=None if row[13] is None else int(row[13]),
        current=json.loads(row[14]),
    )
