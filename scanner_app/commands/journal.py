"""`scanner-app journal list|retry|export --csv FILE|recover`: the change journal, from a shell.

``list`` and ``export`` only read the local journal (no sign-in, work offline, never write or lock
it: a read-only journal lists and exports); ``retry`` sends what is waiting (and failed changes
given by id) through the same outbox the GUI uses, for the tenant it connects to only. Every
entry shows the tenant it was made for. Training (``--demo``) keeps a journal of its own:
``list``/``export`` show it only with ``--demo``, and say so.

A journal that cannot be read is one line naming the file and what to do (exit 1). A damaged
one is listed and exported as far as it can be read, with a line saying so (exit 1), and
``recover`` keeps it beside and starts a fresh journal with what could be read (the app does
the same when it next opens it for work).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TRAINING_NOTE = (
    "Training journal (--demo): changes made on simulated tenants, one per demo run; "
    "none of them is real work."
)


def journal_path(*, training: bool = False) -> Path:
    """Where the app keeps its journal (``SCANNER_APP_HOME`` / ``--home`` respected); with
    ``training``, the one changes made in ``--demo`` go to."""
    from scanner_app.core import paths

    return paths.journal_file(training=training)


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    from scanner_app.cli import add_tenant_options

    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    actions = parser.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    show = actions.add_parser("list", help="the latest changes and their state, newest first")
    show.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    show.add_argument("--state", help="only changes in this state (e.g. pending, conflict)")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    _training_option(show)
    retry = actions.add_parser(
        "retry", help="send the changes still waiting now (and failed ones given by id)"
    )
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="failed changes to retry")
    add_tenant_options(retry, subcommand=True)
    export = actions.add_parser("export", help="write the audit record of every change")
    export.add_argument("--csv", required=True, metavar="FILE", help="CSV file ('-' = stdout)")
    _training_option(export)
    recover = actions.add_parser(
        "recover",
        help="keep a damaged journal beside it; start a fresh one with what can be read",
    )
    _training_option(recover)
    return parser


def _training_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: `scanner-app --demo journal list` must keep the --demo given before it.
    parser.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="the training journal (changes made in --demo) instead of the real one",
    )


def run(args: argparse.Namespace) -> int:
    if args.journal_command == "retry":
        return _retry(args)  # the services open the journal of the tenant they connect to
    training = bool(getattr(args, "demo", False))
    try:
        path = journal_path(training=training)
    except OSError as exc:  # its folder cannot be made (paths.FolderError says which and why)
        return _say(str(exc), 1)
    if args.journal_command == "recover":
        return _recover(path)
    target: Any = None
    if args.journal_command == "export" and args.csv != "-":
        target = _csv_target(args.csv)
        if isinstance(target, int):
            return target
    from scanner_app.core.journal.journal import JournalUnavailable

    try:
        with _reading(path) as (journal, warning):
            if args.journal_command == "list":
                code = _list(journal, args, training)
            else:
                code = _export(journal, target, training)
            if warning:
                _say(warning, 0)
            return 1 if warning else code
    except JournalUnavailable as exc:
        return _say(str(exc), 1)


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[tuple[Any, str]]:
    """The journal at ``path`` opened for reading only, and a line to show when only part of
    it could be read (a damaged file); a journal not made yet reads as empty."""
    from scanner_app.core.journal.journal import Journal, JournalDamaged
    from scanner_app.core.journal.recovery import read_damaged

    if not path.exists():
        journal = Journal.stand_in(path, None)
    else:
        try:
            journal = Journal(path, read_only=True)
        except JournalDamaged as exc:
            with read_damaged(path, exc.detail) as (readable, warning):
                yield readable, warning
            return
    try:
        yield journal, ""
    finally:
        journal.close()


def _say(line: str, code: int) -> int:
    from scanner_app.commands._text import visible

    print(f"scanner-app journal: {visible(line)}", file=sys.stderr)
    return code


def _csv_target(name: str) -> Path | int:
    """The file to write, or the exit code after one line saying why it cannot be written."""
    target = Path(name)
    if target.is_dir():
        return _say(f"cannot write {name}: it is a folder; give a file name, such as "
                    f"{target / 'journal.csv'}", 2)  # fmt: skip
    if not target.parent.is_dir():
        return _say(f"cannot write {name}: the folder {target.parent} does not exist; "
                    "create it first, or choose another", 2)  # fmt: skip
    return target


def _recover(path: Path) -> int:
    from scanner_app.core.journal.journal import Journal, JournalDamaged, JournalUnavailable
    from scanner_app.core.journal.recovery import recover

    try:
        Journal(path).close()
    except JournalDamaged as exc:
        try:
            print(recover(path, exc.detail).line())
        except JournalUnavailable as failed:
            return _say(str(failed), 1)
        return 0
    except JournalUnavailable as exc:
        return _say(str(exc), 1)
    print(f"The change journal {path} is sound: nothing to recover.")
    return 0


def _list(journal: Any, args: argparse.Namespace, training: bool) -> int:
    from scanner_app.commands._text import visible

    if args.state:
        entries = journal.in_state(args.state)[-args.limit :][::-1]
    else:
        entries = journal.entries(limit=args.limit)
    if args.json:
        from dataclasses import asdict

        rows = [{**asdict(e), "training": e.training} for e in entries]
        print(json.dumps(rows, indent=2))  # ensure_ascii: no control character goes out raw
        return 0
    if training:
        print(TRAINING_NOTE)
    elif _has_training_journal():
        print("(Changes made in --demo are kept apart: scanner-app journal list --demo)",
              file=sys.stderr)  # fmt: skip
    if not entries:
        print("The journal is empty." if not args.state else f"No change is {args.state}.")
        return 0
    for e in entries:
        reason = f" ({e.reason})" if e.reason else ""
        print(visible(
            f"#{e.id:<5} {e.created_at[:19]}  {e.state:<10} {e.serial:<16} "
            f"[{e.tenant or 'no tenant'}] {e.summary()}{reason}"
        ))  # fmt: skip
    return 0


def _has_training_journal() -> bool:
    try:
        return journal_path(training=True).exists()
    except OSError:
        return False


def _export(journal: Any, target: Path | None, training: bool) -> int:
    if training:
        print(TRAINING_NOTE, file=sys.stderr)
    if target is None:
        journal.export_csv(sys.stdout)
        return 0
    try:
        with target.open("w", newline="", encoding="utf-8") as file:
            rows = journal.export_csv(file)
    except OSError as exc:
        return _say(f"cannot write {target}: {exc.strerror or exc}", 2)
    _say(f"{rows} change(s) written to {target}", 0)
    return 0


def _retry(args: argparse.Namespace) -> int:
    try:
        from scanner_app.commands._tenant import run_guarded
        from scanner_app.core import services as _services  # noqa: F401
    except ImportError:
        print(
            "scanner-app journal retry: needs the Graph services, not built yet.", file=sys.stderr
        )
        return 2

    def body(services: Any) -> int:
        from scanner_app.commands._text import visible
        from scanner_app.core.journal.journal import JournalError

        if services.journal.problem is not None:
            return 1  # nothing can be recorded: the services' notice said why, in one line
        outbox = services.outbox
        for entry_id in args.ids:
            try:
                outbox.retry(entry_id)
            except JournalError as exc:
                print(f"scanner-app journal retry: {visible(str(exc))}", file=sys.stderr)
                return 1
        entries = outbox.resume()  # this tenant's only: other tenants' changes stay as they are
        for e in entries:
            if not e.is_open:
                print(visible(f"#{e.id:<5} {e.state:<10} {e.serial:<16} {e.reason}"))
        waiting = outbox.pending_count()
        tenant = outbox.tenant or "(no tenant)"
        if outbox.last_error is not None:
            print(
                visible(f"scanner-app journal retry: {waiting} change(s) for {tenant} still "
                        f"waiting: {outbox.last_error}"),
                file=sys.stderr,
            )  # fmt: skip
            return 1
        print(visible(f"{len(entries)} change(s) processed for {tenant}; {waiting} still waiting."))
        return 0 if waiting == 0 else 1

    return int(run_guarded(args, body))
