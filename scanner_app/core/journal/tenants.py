"""Which journal a change is written to, and whose change it is: training never touches real work.

Real tenants share ``journal.sqlite3``; each entry is filed under its tenant as the operator
configured it (``tenant_key``: trimmed, lower-cased). That name is known before any sign-in and
without a network, which is when queued work must be found, and it is where the app sends
everything (the sign-in authority and so Graph's tenant are built from it). The outbox sees only
its own tenant's entries, so an operator who switches tenants never sends one tenant's change to
another; those entries wait, listed with their tenant, until that tenant is configured again.

Training (``--demo``, ``--self-test``) writes to ``training-journal.sqlite3``, a file of its own.
Each demo run starts a fresh simulated tenant (same seed, so the same device ids) that is gone
when the run ends. A change an earlier run left open can never be sent or verified where it was
made, and resuming it against the new simulated tenant would "verify" a change nobody made
there. So each run is a tenant of its own (``training_tenant``: the simulated tenant's id), and
opening the training journal closes what earlier runs left open (superseded, with a plain
reason) before any outbox looks at it.

Both are opened through ``journal.recovery.open_for_work``: a damaged file is kept and replaced
by a fresh one with what could be read, and one that cannot be written leaves the app able to
look up but not to apply (``Journal.problem``), with the line to show in ``Opened.notice``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scanner_app.core import paths
from scanner_app.core.journal.journal import (
    SUPERSEDED,
    Journal,
    JournalEntry,
    JournalError,
    JournalUnavailable,
    is_training,
    tenant_key,
    training_tenant,
)
from scanner_app.core.journal.recovery import Opened, open_for_work

log = logging.getLogger(__name__)

RUN_ENDED = "training run ended: its simulated tenant is gone, so this change was never finished"


def open_journal(
    tenant: str, *, run: str | None = None, path: Path | None = None
) -> tuple[Journal, str]:
    """(the journal for ``tenant``, the tenant its entries are filed under). ``run`` is the id of
    the simulated tenant of a training run (None for a real tenant); ``path`` overrides the file."""
    opened, filed_as = open_tenant_journal(tenant, run=run, path=path)
    return opened.journal, filed_as


def open_tenant_journal(
    tenant: str, *, run: str | None = None, path: Path | None = None
) -> tuple[Opened, str]:
    """As ``open_journal``, with what the operator must be told about the file (``notice``)."""
    if run is None:
        return open_for_work(path or _journal_file(training=False)), tenant_key(tenant)
    filed_as = training_tenant(tenant, run.replace("-", "")[:8])
    opened = open_for_work(path or _journal_file(training=True))
    if opened.journal.problem is None:
        try:
            close_earlier_runs(opened.journal, filed_as)
        except JournalUnavailable as exc:  # they are closed by the next run that can
            log.warning("Training changes of earlier runs left open: %s", exc)
        except BaseException:
            opened.journal.close()
            raise
    return opened, filed_as


def _journal_file(*, training: bool) -> Path:
    """Where the journal is kept, even when its folder cannot be made (the journal then says
    so, naming the file, and the app goes on without applying)."""
    try:
        return paths.journal_file(training=training)
    except paths.FolderError as exc:
        name = "training-journal.sqlite3" if training else "journal.sqlite3"
        return exc.path / name


def close_earlier_runs(journal: Journal, current: str) -> list[JournalEntry]:
    """Close the training changes other runs than ``current`` left open; returns them. Only
    training entries are touched, whatever file this is."""
    closed = []
    for entry in journal.pending():
        if not is_training(entry.tenant) or tenant_key(entry.tenant) == tenant_key(current):
            continue
        try:
            closed.append(journal.mark(entry.id, SUPERSEDED, reason=RUN_ENDED, expect=entry.state))
        except JournalError:  # moved meanwhile by the run that owns it (still going)
            log.info("Training change #%d was moved by its own run", entry.id)
    if closed:
        log.info("Closed %d training change(s) left open by earlier demo runs", len(closed))
    return closed
