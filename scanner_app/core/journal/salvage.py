"""Reading what can still be read from a damaged journal file, and writing it into a fresh one.

Python's sqlite3 has no ``.recover`` (that lives in the sqlite3 shell, which Windows benches do
not have), so this does the part of it the journal needs, with SQLite's own reader: every row
is asked for by its id, one at a time, so a damaged page costs the rows on it and no more. The
damaged file is never opened: a copy is, in a temporary folder. A file cut short in the middle
of a page (a full disk, a copy interrupted) makes SQLite refuse the whole file; the copy is then
cut to whole pages with its page count set to match, and the pages that are left read again.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner_app.core.journal.journal import OPEN_STATES, Journal
from scanner_app.core.journal.schema import ENTRY_COLUMNS

log = logging.getLogger(__name__)

_EVENT_COLUMNS = "entry_id, at, state, reason, request_id"
#: Ids probed past the last one found when the file does not say how many there were.
_GAP = 1000


@dataclass(frozen=True)
class Salvage:
    """``rows``: the ``changes`` rows read (``ENTRY_COLUMNS``, unfinished ones first);
    ``events`` their history; ``total`` the ids the journal had handed out (as far as known);
    ``lost`` the ids not read; ``open_ids`` the unfinished among ``rows``; ``lost_open`` those
    the state index says were unfinished but could not be read."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    total: int = 0
    lost: tuple[int, ...] = ()
    open_ids: tuple[int, ...] = ()
    lost_open: tuple[int, ...] = ()


def salvage(path: Path) -> Salvage:
    """Every entry and event SQLite can still give from ``path`` (read through a copy)."""
    with tempfile.TemporaryDirectory(prefix="scanner-app-recover-") as folder:
        work = Path(folder) / "journal.sqlite3"
        for side in ("", "-wal"):
            source = Path(f"{path}{side}")
            if source.is_file():
                shutil.copyfile(source, f"{work}{side}")
        with _readable(work) as db:
            if db is None:
                return Salvage()
            return _read(db)


@contextlib.contextmanager
def _readable(work: Path) -> Iterator[sqlite3.Connection | None]:
    """The copy opened, its page count repaired when SQLite cannot read its schema; None when
    it is not an SQLite file at all."""
    db = None
    for attempt in ("as it is", "cut to whole pages"):
        if attempt != "as it is" and not _cut_to_pages(work):
            break
        db = sqlite3.connect(str(work), isolation_level=None)
        # Lenient about a schema that names pages which are gone (an index cut off): the
        # tables that are left still read. Only this copy is opened so, and nothing is written.
        db.execute("PRAGMA writable_schema = ON")
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            break
        except sqlite3.DatabaseError as exc:
            log.info("damaged journal copy unreadable %s: %s", attempt, exc)
            db.close()
            db = None
    try:
        yield db
    finally:
        if db is not None:
            db.close()


def _cut_to_pages(work: Path) -> bool:
    """Cut the copy to whole pages and write that page count in its header; False when the
    file has no SQLite header to go by."""
    data = bytearray(work.read_bytes())
    if len(data) < 100 or not data.startswith(b"SQLite format 3\x00"):
        return False
    size = struct.unpack(">H", data[16:18])[0]
    size = 65536 if size == 1 else size
    if size < 512 or size & (size - 1):
        return False
    pages = len(data) // size
    del data[pages * size :]
    data[28:32] = struct.pack(">I", pages)
    data[92:96] = data[24:28]  # the page count is valid for this version of the file
    work.write_bytes(bytes(data))
    Path(f"{work}-wal").unlink(missing_ok=True)  # its frames may name pages that are gone
    Path(f"{work}-shm").unlink(missing_ok=True)
    return pages > 0


def _one(db: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    try:
        row = db.execute(sql, params).fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _ids(db: sqlite3.Connection, sql: str) -> list[int]:
    """Ids from an index, as far as it can be read."""
    found: list[int] = []
    with contextlib.suppress(sqlite3.DatabaseError):
        for (entry_id,) in db.execute(sql):
            found.append(int(entry_id))
    return found


def _probe(
    db: sqlite3.Connection, sql: str, ids: Iterator[int] | list[int], known_end: int
) -> tuple[dict[int, tuple[Any, ...]], list[int]]:
    """Rows by id, and the ids not read up to ``known_end`` or the last one found; past
    ``known_end`` (0: unknown) the probe stops after ``_GAP`` ids with nothing."""
    rows: dict[int, tuple[Any, ...]] = {}
    missed: list[int] = []
    last_found = 0
    for rowid in ids:
        if rowid > known_end and rowid > last_found + _GAP:
            break
        try:
            row = db.execute(sql, (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is not None:
            rows[rowid], last_found = row, max(last_found, rowid)
        else:
            missed.append(rowid)
    end = max(known_end, last_found)
    return rows, [i for i in missed if i <= end]


def _read(db: sqlite3.Connection) -> Salvage:
    known = max(
        int(_one(db, "SELECT seq FROM sqlite_sequence WHERE name='changes'") or 0),
        int(_one(db, "SELECT max(id) FROM changes") or 0),
    )
    states = ",".join(f"'{s}'" for s in OPEN_STATES)
    unfinished = _ids(db, f"SELECT id FROM changes INDEXED BY changes_state WHERE state IN "
                          f"({states}) ORDER BY id")  # fmt: skip
    sql = f"SELECT {ENTRY_COLUMNS} FROM changes WHERE id=?"
    first, lost_first = _probe(db, sql, unfinished, known)  # unfinished work first
    rest_ids = (i for i in _count_from(1) if i not in first and i not in lost_first)
    rest, lost_rest = _probe(db, sql, rest_ids, max(known, *unfinished, 0))
    found = {**first, **rest}
    total = max([known, *found, *lost_first, *lost_rest, 0])
    lost = sorted({*lost_first, *lost_rest, *(i for i in range(1, total + 1) if i not in found)})
    open_ids = tuple(i for i, row in found.items() if row[7] in OPEN_STATES)
    events_end = int(_one(db, "SELECT max(rowid) FROM events") or 0)
    events, _ = _probe(db, f"SELECT {_EVENT_COLUMNS} FROM events WHERE rowid=?",
                       _count_from(1), events_end)  # fmt: skip
    ordered = [found[i] for i in open_ids] + [r for i, r in sorted(found.items())
                                              if i not in open_ids]  # fmt: skip
    return Salvage(
        rows=ordered,
        events=[e for _, e in sorted(events.items()) if e[0] in found],
        total=total,
        lost=tuple(lost),
        open_ids=open_ids,
        lost_open=tuple(sorted(set(lost_first) | (set(unfinished) - set(found)))),
    )


def _count_from(start: int) -> Iterator[int]:
    n = start
    while True:
        yield n
        n += 1


def write_salvage(path: Path, found: Salvage, *, note: str, at: str) -> None:
    """A new journal at ``path`` holding ``found`` with their ids (ids never handed out again),
    each entry's history ending with ``note`` at ``at``; left as one file (no ``-wal``), to be
    moved into the journal's place."""
    Journal(path).close()  # the schema, as this version writes it
    db = sqlite3.connect(str(path), isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        marks = ",".join("?" * (1 + len(_DEFAULTS)))
        db.executemany(
            f"INSERT INTO changes ({ENTRY_COLUMNS}) VALUES ({marks})",
            [_filled(row) for row in found.rows],
        )
        db.executemany(f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?,?,?,?,?)",
                       [_filled(e, ("", "", "", "")) for e in found.events])  # fmt: skip
        db.execute("INSERT INTO events (entry_id, at, state, reason) "
                   "SELECT id, ?, state, ? FROM changes", (at, note))  # fmt: skip
        db.execute("INSERT INTO sqlite_sequence (name, seq) SELECT 'changes', 0 WHERE NOT "
                   "EXISTS (SELECT 1 FROM sqlite_sequence WHERE name='changes')")  # fmt: skip
        db.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name='changes'",
                   (found.total,))  # fmt: skip
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()


#: What a NOT NULL column that came back empty from a damaged page is written as (the entry
#: then reads as damaged where that matters: its JSON, never sent).
_DEFAULTS: tuple[Any, ...] = ("", "", "", "", "", "", "", "", 0, "", "", "", None, "")


def _filled(row: tuple[Any, ...], defaults: tuple[Any, ...] = _DEFAULTS) -> tuple[Any, ...]:
    head, rest = row[0], row[1:]
    return (head, *(d if v is None else v for v, d in zip(rest, defaults, strict=False)))
