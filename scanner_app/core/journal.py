"""The change journal: every change is written here before it is sent, and its fate after.

Why a journal: a bench applies tens of changes an hour over shaky Wi-Fi, and the app can be
killed at any moment. A change recorded before it leaves the machine is never lost; its state
(pending → sent → accepted → verified, or failed / superseded / conflict) tells a restarted app
exactly what is left to do, and the same rows are the audit trail (who changed what, when,
before and after, which Graph requests).

SQLite in WAL mode: readers never block the writer, a killed process leaves a consistent file,
and a second process (the CLI while the GUI runs) can open it safely (``busy_timeout``).
One connection guarded by a lock keeps it thread-safe. The schema is versioned with
``PRAGMA user_version`` and a list of migration steps applied in order (``journal_schema.py``,
with the states and the transitions allowed between them).
"""

from __future__ import annotations

import csv
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

from scanner_app.core.journal_schema import (
    ACCEPTED,
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
    entry_from_row,
    is_training,
    tenant_key,
    training_tenant,
)
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.session_csv import _cell as formula_safe

log = logging.getLogger(__name__)

__all__ = [
    "ACCEPTED", "CONFLICT", "FAILED", "OPEN_STATES", "PENDING", "SENT", "SUPERSEDED",
    "TRANSITIONS", "VERIFIED", "Journal", "JournalEntry", "JournalError", "is_training",
    "tenant_key", "training_tenant",
]  # fmt: skip


class JournalError(Exception):
    """The journal cannot be used (newer schema, invalid transition, unknown entry)."""


def _utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="milliseconds")


def _of_tenant(tenant: str | None) -> tuple[str, tuple[str, ...]]:
    """The SQL that keeps one tenant's entries (compared as ``tenant_key`` files them, so rows an
    older version wrote as ``Contoso.com`` count too), or no condition for None."""
    if tenant is None:
        return "", ()
    return " AND lower(trim(tenant)) = ?", (tenant_key(tenant),)


class Journal:
    """The SQLite journal at ``path`` (created and migrated on open)."""

    def __init__(self, path: str | Path, *, now: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._now = now
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            str(self.path), timeout=10.0, isolation_level=None, check_same_thread=False
        )
        self._db.execute("PRAGMA busy_timeout = 10000")
        self._db.execute("PRAGMA journal_mode = WAL")
        # NORMAL (WAL): every commit survives a crash of the app; a power cut can lose the last
        # state marks, which the outbox repairs by re-reading Graph. A new change is written
        # with FULL (see ``_transaction``) so the operator's intent survives a power cut too.
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    # -- schema ---------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._transaction() as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise JournalError(
                    f"{self.path} was written by a newer version of the app "
                    f"(schema {version}, this version knows {len(MIGRATIONS)})"
                )
            for number, steps in enumerate(MIGRATIONS[version:], start=version + 1):
                log.info("Migrating journal %s to schema %d", self.path, number)
                for statement in steps:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        with self._lock:
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
        """
        now = _utc(self._now())
        with self._transaction() as db:
            entry = self._get(db, entry_id)
            if expect is not None and entry.state != expect:
                raise JournalError(f"change #{entry_id} is {entry.state}, not {expect}")
            if state not in TRANSITIONS[entry.state]:
                raise JournalError(f"change #{entry_id}: {entry.state} → {state} is not allowed")
            ids = list(entry.request_ids) + ([request_id] if request_id else [])
            db.execute(
                "UPDATE changes SET state=?, reason=?, attempts=attempts+?, request_ids=?,"
                " updated_at=?, before_json=?, current_json=? WHERE id=?",
                (
                    state,
                    reason,
                    1 if attempt else 0,
                    json.dumps(ids),
                    now,
                    json.dumps(entry.before if before is None else before),
                    json.dumps(entry.current if current is None else current),
                    entry_id,
                ),
            )
            db.execute(
                "INSERT INTO events (entry_id, at, state, reason, request_id) VALUES (?,?,?,?,?)",
                (entry_id, now, state, reason, request_id),
            )
            return self._get(db, entry_id)

    # -- reading --------------------------------------------------------------------------------
    def get(self, entry_id: int) -> JournalEntry:
        with self._lock:
            return self._get(self._db, entry_id)

    def pending(self, *, tenant: str | None = None) -> list[JournalEntry]:
        """Unfinished work (pending, sent, accepted), oldest first, hence in order per device;
        with ``tenant``, only that tenant's (the outbox never sees another tenant's work)."""
        where, params = _of_tenant(tenant)
        return self._select(
            f"WHERE state IN ({','.join('?' * len(OPEN_STATES))}){where} ORDER BY id",
            (*OPEN_STATES, *params),
        )

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
        with self._lock:
            rows = self._db.execute(
                "SELECT at, state, reason, request_id FROM events WHERE entry_id=? ORDER BY rowid",
                (entry_id,),
            ).fetchall()
        return [tuple(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM changes GROUP BY state").fetchall()
        return {state: int(n) for state, n in rows}

    def export_csv(self, file: IO[str]) -> int:
        """Write the audit record (every change, oldest first) as CSV; returns the row count.
        Every entry names its tenant; ``training`` says "yes" for a change made in ``--demo``.
        Cells that a spreadsheet would run as a formula get a leading ``'`` (as the session
        CSV does): serials and reasons come from labels and from Graph."""
        writer = csv.writer(file)
        writer.writerow(
            [
                "id", "created_utc", "updated_utc", "operator", "tenant", "device_id", "serial",
                "state", "reason", "change", "before", "after", "graph_request_ids", "attempts",
                "undo_of", "training",
            ]
        )  # fmt: skip
        rows = 0
        for entry in self._select("ORDER BY id", ()):
            cells = [
                entry.id, entry.created_at, entry.updated_at, entry.operator, entry.tenant,
                entry.device_id, entry.serial, entry.state, entry.reason, entry.summary(),
                json.dumps(entry.before), json.dumps(entry.after),
                " ".join(entry.request_ids), entry.attempts,
                "" if entry.undo_of is None else entry.undo_of,
                "yes" if entry.training else "no",
            ]  # fmt: skip
            writer.writerow([formula_safe(c) if isinstance(c, str) else c for c in cells])
            rows += 1
        return rows

    def _select(self, where: str, params: tuple[Any, ...]) -> list[JournalEntry]:
        with self._lock:
            rows = self._db.execute(f"SELECT {ENTRY_COLUMNS} FROM changes {where}", params)
            return [entry_from_row(row) for row in rows.fetchall()]

    def _get(self, db: sqlite3.Connection, entry_id: int) -> JournalEntry:
        row = db.execute(f"SELECT {ENTRY_COLUMNS} FROM changes WHERE id=?", (entry_id,)).fetchone()
        if row is None:
            raise JournalError(f"no change #{entry_id} in the journal")
        return entry_from_row(row)
