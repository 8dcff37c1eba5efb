"""The change journal: every change is written here before it is sent, and its fate after.

Why a journal: a bench applies tens of changes an hour over shaky Wi-Fi, and the app can be
killed at any moment. A change recorded before it leaves the machine is never lost; its state
(pending → sent → accepted → verified, or failed / superseded / conflict) tells a restarted app
exactly what is left to do, and the same rows are the audit trail (who changed what, when,
before and after, which Graph requests).

SQLite in WAL mode: readers never block the writer, a killed process leaves a consistent file,
and a second process (the CLI while the GUI runs) can open it safely (``busy_timeout``).
One connection guarded by a lock keeps it thread-safe. The schema is versioned with
``PRAGMA user_version`` and a list of migration steps applied in order (``schema.py``,
with the states and the transitions allowed between them).

Failing safe: every SQLite failure is a ``JournalUnavailable`` naming the file and what to do
(``journal.sqlite``). A journal that cannot be written opens read-only (or as an empty stand-in)
with ``problem`` set, which every write raises; ``journal.recovery`` handles a damaged file.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from scanner_app.core.csv_safe import SafeWriter
from scanner_app.core.journal.schema import (
    ACCEPTED,
    AUDIT_COLUMNS,
    CONFLICT,
    ENTRY_COLUMNS,
    FAILED,
    MIGRATIONS,
    OPEN_STATES,
    PENDING,
    SENT,
    SUPERSEDED,
    TRANSITIONS,
    VERIFIED,
    JournalEntry,
    audit_row,
    entry_from_row,
    is_training,
    tenant_key,
    training_tenant,
)
from scanner_app.core.journal.sqlite import (
    JournalDamaged,
    JournalError,
    JournalUnavailable,
    empty_journal_db,
    guard,
    open_journal_file,
    read_only_problem,
)
from scanner_app.core.models import AutopilotDevice, DeviceChange

log = logging.getLogger(__name__)

__all__ = [
    "ACCEPTED", "CONFLICT", "FAILED", "MIGRATIONS", "OPEN_STATES", "PENDING", "SENT", "SUPERSEDED",
    "TRANSITIONS", "VERIFIED", "Journal", "JournalDamaged", "JournalEntry", "JournalError",
    "JournalUnavailable", "is_training", "tenant_key", "training_tenant",
]  # fmt: skip
#: States a change whose row cannot be read is never moved to: it is never sent or verified.
_SENDING = frozenset({PENDING, SENT, ACCEPTED, VERIFIED})


def _utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="milliseconds")


def _of_tenant(tenant: str | None) -> tuple[str, tuple[str, ...]]:
    """The SQL that keeps one tenant's entries (compared as ``tenant_key`` files them, so rows an
    older version wrote as ``Contoso.com`` count too), or no condition for None."""
    if tenant is None:
        return "", ()
    return " AND lower(trim(tenant)) = ?", (tenant_key(tenant),)


class Journal:
    """The journal at ``path``, created and migrated on open, or ``JournalUnavailable`` (one line
    to show). ``read_only``: never migrated or locked (a read-only medium lists and exports);
    ``busy_timeout_s``: how long a write waits for another program's lock."""

    def __init__(
        self,
        path: str | Path,
        *,
        now: Callable[[], float] = time.time,
        read_only: bool = False,
        busy_timeout_s: float = 10.0,
        problem: JournalUnavailable | None = None,
    ) -> None:
        self.path = Path(path)
        self._now = now
        self._lock = threading.RLock()
        self.read_only = read_only
        #: Why changes cannot be recorded here (None: they can); every write raises it.
        self.problem = problem or (read_only_problem(self.path, "is open for reading only")
                                   if read_only else None)  # fmt: skip
        self._db = open_journal_file(self.path, read_only=read_only, busy_timeout_s=busy_timeout_s)

    @classmethod
    def stand_in(cls, path: str | Path, problem: JournalUnavailable | None) -> Journal:
        """An empty journal in memory for ``path``, which cannot be read at all (a folder in its
        place, locked, no folder for it); every write raises ``problem``."""
        journal = cls.__new__(cls)
        journal.path, journal._now, journal._lock = Path(path), time.time, threading.RLock()
        journal.read_only, journal.problem, journal._db = True, problem, empty_journal_db()
        return journal

    @property
    def schema_version(self) -> int:
        with self._lock, guard(self.path):
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _writable(self) -> None:
        if self.problem is not None:
            raise self.problem.with_traceback(None)

    @contextmanager
    def _transaction(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        with self._lock, guard(self.path):
            if durable:
                self._db.execute("PRAGMA synchronous = FULL")
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            finally:
                if durable:
                    self._db.execute("PRAGMA synchronous = NORMAL")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writing --------------------------------------------------------------------------------
    def record(
        self,
        device: AutopilotDevice,
        change: DeviceChange,
        *,
        operator: str,
        tenant: str,
        undo_of: int | None = None,
    ) -> int:
        """Write ``change`` (state pending) before anything is sent; the before-values come
        from ``device`` as the operator saw it. Returns the entry id."""
        if change.is_empty():
            raise ValueError("an empty change cannot be journaled")
        self._writable()
        now = _utc(self._now())
        before = change.before(device).changed_fields()
        with self._transaction(durable=True) as db:
            cur = db.execute(
                "INSERT INTO changes (device_id, serial, before_json, after_json, operator, tenant,"
                " state, created_at, updated_at, undo_of) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    device.id,
                    device.serial_number,
                    json.dumps(before),
                    json.dumps(change.changed_fields()),
                    operator,
                    tenant,
                    PENDING,
                    now,
                    now,
                    undo_of,
                ),
            )
            entry_id = int(cur.lastrowid or 0)
            db.execute(
                "INSERT INTO events (entry_id, at, state) VALUES (?,?,?)", (entry_id, now, PENDING)
            )
        log.debug("Journaled change #%d for %s: %s", entry_id, device.serial_number, before)
        return entry_id

    def mark(
        self,
        entry_id: int,
        state: str,
        *,
        reason: str = "",
        request_id: str = "",
        attempt: bool = False,
        before: dict[str, str] | None = None,
        current: dict[str, str] | None = None,
        expect: str | None = None,
    ) -> JournalEntry:
        """Move an entry to ``state`` (checked against TRANSITIONS) and return it.

        ``attempt`` counts one more send; ``request_id`` is appended to the Graph request ids;
        ``before`` replaces the before-values (an operator's overwrite of a conflict);
        ``current`` keeps the Graph values seen at a conflict so the UI can show the difference.
        ``expect``: the state the caller acted on; if another thread or process has moved the
        entry meanwhile, JournalError is raised and nothing changes (so a change is sent once).
        A value not given is left as it is in the file (a damaged one is never overwritten),
        and an entry whose row cannot be read is never moved towards sending or verified.
        """
        self._writable()
        now = _utc(self._now())
        with self._transaction() as db:
            entry = self._get(db, entry_id)
            if expect is not None and entry.state != expect:
                raise JournalError(f"change #{entry_id} is {entry.state}, not {expect}")
            if state not in TRANSITIONS[entry.state]:
                raise JournalError(f"change #{entry_id}: {entry.state} → {state} is not allowed")
            if entry.damage and state in _SENDING:
                raise JournalError(
                    f"change #{entry_id} cannot be read ({entry.damage}): it is never sent; "
                    "make that change again"
                )
            updates = {"state": state, "reason": reason, "updated_at": now}
            if request_id and not entry.damage:
                updates["request_ids"] = json.dumps([*entry.request_ids, request_id])
            if before is not None:
                updates["before_json"] = json.dumps(before)
            if current is not None:
                updates["current_json"] = json.dumps(current)
            columns = ", ".join(f"{name}=?" for name in updates)
            db.execute(
                f"UPDATE changes SET {columns}, attempts=attempts+? WHERE id=?",
                (*updates.values(), 1 if attempt else 0, entry_id),
            )
            db.execute(
                "INSERT INTO events (entry_id, at, state, reason, request_id) VALUES (?,?,?,?,?)",
                (entry_id, now, state, reason, request_id),
            )
            return self._get(db, entry_id)

    # -- reading --------------------------------------------------------------------------------
    def get(self, entry_id: int) -> JournalEntry:
        with self._lock, guard(self.path):
            return self._get(self._db, entry_id)

    def pending(self, *, tenant: str | None = None) -> list[JournalEntry]:
        """Unfinished work (pending, sent, accepted), oldest first, hence in order per device;
        with ``tenant``, only that tenant's (the outbox never sees another tenant's work).
        An entry whose row cannot be read is not work: nothing is known to send."""
        where, params = _of_tenant(tenant)
        entries = self._select(
            f"WHERE state IN ({','.join('?' * len(OPEN_STATES))}){where} ORDER BY id",
            (*OPEN_STATES, *params),
        )
        return [e for e in entries if not e.damage]

    def in_state(self, state: str, *, tenant: str | None = None) -> list[JournalEntry]:
        where, params = _of_tenant(tenant)
        return self._select(f"WHERE state = ?{where} ORDER BY id", (state, *params))

    def for_device(self, device_id: str, *, tenant: str | None = None) -> list[JournalEntry]:
        where, params = _of_tenant(tenant)
        return self._select(f"WHERE device_id = ?{where} ORDER BY id", (device_id, *params))

    def entries(self, limit: int = 100, offset: int = 0) -> list[JournalEntry]:
        """Newest first: what a history view pages through."""
        return self._select("ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))

    def history(self, entry_id: int) -> list[tuple[str, str, str, str]]:
        """Every transition of one entry: (time, state, reason, request id)."""
        with self._lock, guard(self.path):
            rows = self._db.execute(
                "SELECT at, state, reason, request_id FROM events WHERE entry_id=? ORDER BY rowid",
                (entry_id,),
            ).fetchall()
        return [tuple(str(v) for v in r) for r in rows]  # type: ignore[misc]

    def counts(self) -> dict[str, int]:
        with self._lock, guard(self.path):
            rows = self._db.execute("SELECT state, COUNT(*) FROM changes GROUP BY state").fetchall()
        return {str(state): int(n) for state, n in rows}

    def export_csv(self, file: IO[str]) -> int:
        """Write the audit record (every change, oldest first; ``AUDIT_COLUMNS``) as CSV;
        returns the row count. Serials and reasons come from labels and from Graph, so every
        cell goes through ``csv_safe``: none runs as a formula in a spreadsheet."""
        writer = SafeWriter(file)
        writer.header(AUDIT_COLUMNS)
        for entry in self._select("ORDER BY id", ()):
            writer.row(audit_row(entry))
        return writer.rows

    def _select(self, where: str, params: tuple[Any, ...]) -> list[JournalEntry]:
        with self._lock, guard(self.path):
            rows = self._db.execute(f"SELECT {ENTRY_COLUMNS} FROM changes {where}", params)
            return [entry_from_row(row) for row in rows.fetchall()]

    def _get(self, db: sqlite3.Connection, entry_id: int) -> JournalEntry:
        row = db.execute(f"SELECT {ENTRY_COLUMNS} FROM changes WHERE id=?", (entry_id,)).fetchone()
        if row is None:
            raise JournalError(f"no change #{entry_id} in the journal")
        return entry_from_row(row)
