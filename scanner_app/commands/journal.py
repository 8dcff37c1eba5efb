"""`scanner-app journal list|retry|export --csv FILE`: the change journal from the command line.

``list`` and ``export`` only read the local journal (no sign-in, work offline); ``retry`` sends
what is waiting (and failed changes given by id) through the same outbox the GUI uses, for the
tenant it connects to only. Every entry shows the tenant it was made for. Training (``--demo``)
keeps a journal of its own: ``list``/``export`` show it only with ``--demo``, and say so.
"""

from __future__ import annotations

import argparse
import json
import sys
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
    from scanner_app.core.journal import Journal, JournalError

    if args.journal_command == "retry":
        return _retry(args)  # the services open the journal of the tenant they connect to
    training = bool(getattr(args, "demo", False))
    try:
        journal = Journal(journal_path(training=training))
    except JournalError as exc:
        print(f"scanner-app journal: {exc}", file=sys.stderr)
        return 2
    try:
        if args.journal_command == "list":
            return _list(journal, args, training)
        return _export(journal, args.csv, training)
    finally:
        journal.close()


def _list(journal: Any, args: argparse.Namespace, training: bool) -> int:
    if args.state:
        entries = journal.in_state(args.state)[-args.limit :][::-1]
    else:
        entries = journal.entries(limit=args.limit)
    if args.json:
        from dataclasses import asdict

        rows = [{**asdict(e), "training": e.training} for e in entries]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if training:
        print(TRAINING_NOTE)
    elif journal_path(training=True).exists():
        print("(Changes made in --demo are kept apart: scanner-app journal list --demo)",
              file=sys.stderr)  # fmt: skip
    if not entries:
        print("The journal is empty." if not args.state else f"No change is {args.state}.")
        return 0
    for e in entries:
        reason = f" ({e.reason})" if e.reason else ""
        print(
            f"#{e.id:<5} {e.created_at[:19]}  {e.state:<10} {e.serial:<16} "
            f"[{e.tenant or 'no tenant'}] {e.summary()}{reason}"
        )
    return 0


def _export(journal: Any, target: str, training: bool) -> int:
    if training:
        print(TRAINING_NOTE, file=sys.stderr)
    if target == "-":
        rows = journal.export_csv(sys.stdout)
    else:
        with open(target, "w", newline="", encoding="utf-8") as file:
            rows = journal.export_csv(file)
        print(f"{rows} change(s) written to {target}", file=sys.stderr)
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
        from scanner_app.core.journal import JournalError

        outbox = services.outbox
        for entry_id in args.ids:
            try:
                outbox.retry(entry_id)
            except JournalError as exc:
                print(f"scanner-app journal retry: {exc}", file=sys.stderr)
                return 1
        entries = outbox.resume()  # this tenant's only: other tenants' changes stay as they are
        for e in entries:
            if not e.is_open:
                print(f"#{e.id:<5} {e.state:<10} {e.serial:<16} {e.reason}")
        waiting = outbox.pending_count()
        tenant = outbox.tenant or "(no tenant)"
        if outbox.last_error is not None:
            print(
                f"scanner-app journal retry: {waiting} change(s) for {tenant} still waiting: "
                f"{outbox.last_error}",
                file=sys.stderr,
            )
            return 1
        print(f"{len(entries)} change(s) processed for {tenant}; {waiting} still waiting.")
        return 0 if waiting == 0 else 1

    return int(run_guarded(args, body))
