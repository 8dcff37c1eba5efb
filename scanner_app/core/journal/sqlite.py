"""How the journal's SQLite file is opened, and what each way it can fail means to an operator.

Why a module of its own: SQLite says "unable to open database file" for a folder in the file's
place, a read-only folder and a missing one alike, and "database disk image is malformed" is no
advice at all. Here every failure becomes a ``JournalUnavailable`` whose text is one line that
names the file and says what to do; ``JournalDamaged`` (the file is not a sound database) is
the one ``journal.recovery`` can do something about: keep the file, start a fresh journal with
what it can read. The app never overwrites a journal it cannot read.

``open_journal_file`` connects, checks and migrates (schema steps in ``journal.schema``).
``read_only=True`` is for reading only (``journal list``/``export`` and the
history of a journal that cannot be written): ``mode=ro``, or ``immutable=1`` when even SQLite's
shared-memory file cannot be created beside it (a read-only folder or medium).
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scanner_app.core.journal.schema import MIGRATIONS

log = logging.getLogger(__name__)

# SQLite's primary result codes (https://sqlite.org/rescode.html) and the words of their
# messages, for Pythons before 3.11 that do not give the code.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_WORDS = {
    "database is locked": _BUSY,
    "readonly database": _READONLY,
    "disk i/o error": _IOERR,
    "malformed": _CORRUPT,
    "database or disk is full": _FULL,
    "unable to open database file": _CANTOPEN,
    "file is not a database": _NOTADB,
}
RECOVER = "scanner-app journal recover"


class JournalError(Exception):
    """The journal cannot do what was asked (newer schema, invalid transition, unknown entry)."""


class JournalUnavailable(JournalError):
    """The journal cannot be used to record changes now. ``str()`` is one line naming the file
    and what to do; ``problem`` is the short why ("is read-only")."""

    def __init__(self, path: str | Path, problem: str, todo: str) -> None:
        self.path, self.problem, self.todo = Path(path), problem, todo
        super().__init__(f"The change journal {path} {problem}: {todo}.")


class JournalDamaged(JournalUnavailable):
    """The file is not a sound SQLite database (damaged, truncated, or not a journal at all)."""

    def __init__(self, path: str | Path, detail: str) -> None:
        super().__init__(
            path,
            f"is damaged ({detail})",
            f"run `{RECOVER}`: it keeps the damaged file beside it and starts a fresh journal "
            "with every entry it can read",
        )
        self.detail = detail


def read_only_problem(path: str | Path, why: str = "is read-only") -> JournalUnavailable:
    return JournalUnavailable(
        path,
        why,
        "make it and its folder writable (or use --home with a folder you can write), then "
        "start again; `scanner-app journal list` and `export` still read it",
    )


def _code(exc: sqlite3.Error) -> int:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    return next((c for words, c in _WORDS.items() if words in text), 0)


def explain(path: str | Path, exc: BaseException) -> JournalUnavailable:
    """The one line for ``exc`` (an ``sqlite3.Error`` or ``OSError``) met on the journal."""
    path = Path(path)
    if isinstance(exc, OSError):
        return _os_problem(path, exc)
    code = _code(exc) if isinstance(exc, sqlite3.Error) else 0
    detail = str(exc) or type(exc).__name__
    if code in (_CORRUPT, _NOTADB):
        return JournalDamaged(path, detail)
    if code in (_BUSY, _LOCKED):
        return JournalUnavailable(
            path,
            "is locked by another program",
            "close it (another scanner-app, a database browser), then try again",
        )
    if code == _READONLY:
        return read_only_problem(path)
    if code == _FULL:
        return JournalUnavailable(path, "cannot grow: the disk is full", "free some space")
    if code == _CANTOPEN:
        if path.is_dir():
            return folder_in_place(path)
        if not _writable(path):
            return read_only_problem(path, "is read-only (or its folder is)")
        return JournalUnavailable(
            path,
            f"cannot be opened ({detail})",
            "check that you may read and write it and its folder",
        )
    if code == _IOERR:
        return JournalUnavailable(path, f"cannot be read or written ({detail})", "check the disk")
    return JournalUnavailable(path, f"cannot be used ({detail})", "see the log file")


def folder_in_place(path: Path) -> JournalUnavailable:
    return JournalUnavailable(
        path, "is a folder, not a file", "move that folder away, then start again"
    )


def _os_problem(path: Path, exc: OSError) -> JournalUnavailable:
    """A folder on the way that cannot be made: say which, and why."""
    where = Path(exc.filename) if exc.filename else path.parent
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = next((p for p in [where, *where.parents] if p.exists()), where)
        why = f"{blocker} is a file, not a folder"
    else:
        why = f"{where}: {exc.strerror or exc}"
    return JournalUnavailable(
        path,
        f"cannot be created ({why})",
        "use --home (or SCANNER_APP_HOME) with a folder you can write, or fix that folder",
    )


def _writable(path: Path) -> bool:
    """Whether this process may write ``path`` (or create it) and its folder's side files."""
    folder_ok = os.access(path.parent, os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


@contextmanager
def guard(path: str | Path) -> Iterator[None]:
    """SQLite's errors inside as ``JournalUnavailable`` (mistakes of ours stay as they are)."""
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
        raise
    except sqlite3.Error as exc:
        raise explain(path, exc) from exc


def connect(path: Path, *, read_only: bool, busy_timeout_s: float) -> sqlite3.Connection:
    """An autocommit connection to ``path``; raises ``JournalUnavailable`` with the reason."""
    if path.is_dir():
        raise folder_in_place(path)
    if read_only:
        return _connect_read_only(path, busy_timeout_s)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_problem(path, exc) from exc
    with guard(path):
        db = _open(str(path), busy_timeout_s)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")
            # NORMAL (WAL): every commit survives a crash of the app; a power cut can lose the
            # last state marks, which the outbox repairs by re-reading Graph. A new change is
            # written with FULL (``Journal._transaction``) so the intent survives a power cut.
            db.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            db.close()
            raise
    return db


def _open(target: str, busy_timeout_s: float, *, uri: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(
        target, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False, uri=uri
    )


def _connect_read_only(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    uri = path.resolve().as_uri()
    last: sqlite3.Error | None = None
    for query in ("mode=ro", "immutable=1"):  # immutable: not even SQLite's -shm can be made
        try:
            db = _open(f"{uri}?{query}", busy_timeout_s, uri=True)
        except sqlite3.Error as exc:
            last = exc
            continue
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.Error as exc:
            db.close()
            last = exc
            if _code(exc) != _CANTOPEN:
                break
    assert last is not None
    raise explain(path, last) from last


def open_journal_file(path: Path, *, read_only: bool, busy_timeout_s: float) -> sqlite3.Connection:
    """``connect`` and make sure the file is a journal this version can use: its schema not
    newer; for writing, sound (``quick_check``), migrated, and proven writable; for reading, an
    empty file reads as an empty journal."""
    db = connect(path, read_only=read_only, busy_timeout_s=busy_timeout_s)
    try:
        with guard(path):
            return _checked(db, path, read_only)
    except BaseException:
        db.close()
        raise


def _checked(db: sqlite3.Connection, path: Path, read_only: bool) -> sqlite3.Connection:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])  # damage shows here first
    if version > len(MIGRATIONS):
        raise JournalUnavailable(
            path,
            f"was written by a newer version of the app (schema {version}, this version "
            f"knows {len(MIGRATIONS)})",
            "update the app on this computer",
        )
    if read_only:
        if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            db.close()  # an empty file: nothing to read
            return empty_journal_db()
        if version < len(MIGRATIONS):
            raise JournalUnavailable(
                path,
                f"was written by an older version of the app (schema {version})",
                "open it once with this version where it can be written, to update it",
            )
        return db
    row = db.execute("PRAGMA quick_check(1)").fetchone()
    if row is None or row[0] != "ok":
        raise JournalDamaged(path, str(row[0]) if row else "no answer to a check")
    # Setting the version (even to what it is) also proves the file can be written: it fails
    # at once on a read-only file, before any change could be lost.
    db.execute("BEGIN IMMEDIATE")
    try:
        _migrate(db, int(db.execute("PRAGMA user_version").fetchone()[0]), path)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return db


def _migrate(db: sqlite3.Connection, version: int, path: Path | str) -> None:
    for number, steps in enumerate(MIGRATIONS[version:], start=version + 1):
        log.info("Migrating journal %s to schema %d", path, number)
        for statement in steps:
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")


def empty_journal_db() -> sqlite3.Connection:
    """An empty journal in memory (the schema of this version, no entries)."""
    db = _open(":memory:", 0.0)
    _migrate(db, 0, ":memory:")
    return db
