"""A damaged journal is kept, read row by row, and replaced by a fresh one holding what was read.

Why: the journal is the only record of changes not yet sent and the audit trail of those that
were; a truncated or damaged file must stop neither the bench nor the audit, and must never be
overwritten. ``open_for_work`` is how the app opens its journal: a damaged one is recovered
(``recover``), one that cannot be written (read-only, a folder in its place, locked, no folder
to put it in) is opened for reading only, or stood in for by an empty one, with ``problem`` set:
look-ups go on and nothing is applied until changes can be recorded. ``notice`` is the line to
show, naming the file, what happened and what to do.

Recovery, step by step (the damaged file itself is only ever read, through a copy):
1. copy it (and its ``-wal``) to a temporary folder; when SQLite cannot even read the schema
   there (a file cut short mid-page), cut the copy to whole pages and set its page count;
2. read every entry by its id, one at a time, so a damaged page loses only the rows on it
   (``journal.salvage``); unfinished changes are read first and the state index, when it
   survives, names the unfinished ones that could not be read;
3. write them, with their ids and history, into a new file beside the journal;
4. keep the damaged file as ``journal.damaged-<UTC time>.sqlite3`` (a hard link, so no moment
   exists without it), then move the new file into the journal's place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from scanner_app.core.journal.journal import (
    OPEN_STATES,
    Journal,
    JournalDamaged,
    JournalUnavailable,
)
from scanner_app.core.journal.salvage import Salvage, salvage, write_salvage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recovery:
    """What a recovery did: where the damaged file is kept and what came back from it."""

    path: Path
    damaged_copy: Path
    detail: str
    salvage: Salvage

    def line(self) -> str:
        s = self.salvage
        if not s.rows and not s.total:
            found = "nothing in it could be read as a journal; a fresh journal was started"
        else:
            found = (
                f"{len(s.rows)} of its {s.total} entries were recovered into a fresh journal "
                f"({len(s.open_ids)} of them not finished yet)"
            )
        lost = ""
        if s.lost_open:
            ids = ", ".join(f"#{i}" for i in s.lost_open[:8]) + (" …" if len(s.lost_open) > 8
                                                                 else "")  # fmt: skip
            lost = f"; {len(s.lost_open)} unfinished change(s) could not be read ({ids}): " \
                "make them again"  # fmt: skip
        return (
            f"The change journal {self.path} was damaged ({self.detail}); it is kept as "
            f"{self.damaged_copy}. {found[0].upper()}{found[1:]}{lost}."
        )


@dataclass(frozen=True)
class Opened:
    """The journal to work with; ``notice``: the one line to show ("" when all is well)."""

    journal: Journal
    notice: str = ""
    recovery: Recovery | None = None


def open_for_work(path: Path, *, now: Callable[[], float] = time.time) -> Opened:
    """The journal at ``path`` for recording changes, whatever state the file is in."""
    recovery = None
    try:
        journal = Journal(path, now=now)
    except JournalDamaged as exc:
        try:
            recovery = recover(path, exc.detail)
            journal = Journal(path, now=now)
        except JournalUnavailable as failed:  # e.g. its folder is read-only: nothing renamed
            return _for_reading(path, failed)
    except JournalUnavailable as exc:
        return _for_reading(path, exc)
    notice = recovery.line() if recovery else ""
    settled = settle_unreadable(journal)
    if settled:
        ids = ", ".join(f"#{i}" for i in settled)
        notice = (notice + " " if notice else "") + (
            f"The change journal {path} has unfinished changes whose record cannot be read "
            f"({ids}): they were marked failed and never sent; make them again."
        )
    if notice:
        log.info("%s", notice)  # the front end shows it (a warning would echo on the console)
    return Opened(journal, notice, recovery)


def _for_reading(path: Path, problem: JournalUnavailable) -> Opened:
    """A journal that cannot record: read it if it can be read, else an empty stand-in."""
    log.info("%s", problem)
    try:
        journal = Journal(path, read_only=True, problem=problem) if path.is_file() else None
    except JournalUnavailable as also:
        log.info("cannot read it either: %s", also)
        journal = None
    notice = f"{problem} Until then look-ups work and nothing is applied."
    return Opened(journal or Journal.stand_in(path, problem), notice)


@contextlib.contextmanager
def read_damaged(path: Path, detail: str) -> Iterator[tuple[Journal, str]]:
    """What can be read of the damaged journal at ``path`` as a read-only journal (for
    ``journal list`` and ``export``, which change nothing), and the line that says so."""
    found = salvage(path)
    with tempfile.TemporaryDirectory(prefix="scanner-app-read-") as folder:
        copy = Path(folder) / "readable.sqlite3"
        write_salvage(copy, found, note="read from a damaged journal", at="")
        problem = JournalDamaged(path, detail)
        journal = Journal(copy, read_only=True, problem=problem)
        shown = (
            f"these are the {len(found.rows)} of its {found.total} entries that could be read"
            if found.rows or found.total
            else "nothing in it can be read as a journal"
        )
        line = (
            f"The change journal {path} is damaged ({detail}): {shown}. `scanner-app journal "
            "recover` (or the app's next start) keeps the damaged file beside it and starts a "
            "fresh journal with what could be read."
        )
        try:
            yield journal, line
        finally:
            journal.close()


def settle_unreadable(journal: Journal) -> list[int]:
    """Mark failed the unfinished entries whose row cannot be read (nothing is known to send);
    their stored values are left as they are. Returns their ids."""
    settled = []
    unfinished = sorted((e for s in OPEN_STATES for e in journal.in_state(s)), key=lambda e: e.id)
    for entry in (e for e in unfinished if e.damage):
        reason = f"this change's record cannot be read ({entry.damage}); nothing was sent"
        journal.mark(entry.id, "failed", reason=reason, expect=entry.state)
        settled.append(entry.id)
    return settled


def recover(path: Path, detail: str, *, now: Callable[[], float] = time.time) -> Recovery:
    """Keep the damaged journal at ``path`` beside it, and put a fresh journal holding every
    entry that could be read in its place. Raises ``JournalUnavailable`` when that cannot be
    done (a read-only folder): then nothing has changed."""
    when = datetime.fromtimestamp(now(), timezone.utc)
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    stem = path.name.removesuffix(".sqlite3")
    copy = _free_name(path.with_name(f"{stem}.damaged-{stamp}.sqlite3"))
    fresh = path.with_name(f"{stem}.recovering-{stamp}.sqlite3")
    try:
        found = salvage(path)
        note = f"recovered from the damaged journal {copy.name}"
        write_salvage(fresh, found, note=note, at=when.isoformat(timespec="milliseconds"))
        _keep(path, copy)
        for side in ("-wal", "-shm"):  # they belong to the damaged file, never the fresh one
            Path(f"{path}{side}").unlink(missing_ok=True)
        os.replace(fresh, path)
    except (OSError, JournalUnavailable) as exc:  # e.g. a read-only folder: nothing changed
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        why = exc.problem if isinstance(exc, JournalUnavailable) else exc.strerror or str(exc)
        raise JournalUnavailable(
            path,
            f"is damaged ({detail}) and no fresh journal can be made beside it ({why})",
            "copy it somewhere safe, make its folder writable, then start again",
        ) from exc
    recovery = Recovery(path, copy, detail, found)
    lost = ", ".join(map(str, found.lost[:100])) + (" …" if len(found.lost) > 100 else "")
    log.info("Journal recovered into a fresh file; ids not read: %s", lost or "none")
    return recovery


def _keep(path: Path, copy: Path) -> None:
    """``path`` (and its ``-wal``, which holds its latest writes) also as ``copy``."""
    for side in ("", "-wal"):
        source, target = Path(f"{path}{side}"), Path(f"{copy}{side}")
        if not source.exists():
            continue
        try:
            os.link(source, target)
        except OSError:  # no hard links on this file system: a copy
            shutil.copy2(source, target)


def _free_name(path: Path) -> Path:
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
