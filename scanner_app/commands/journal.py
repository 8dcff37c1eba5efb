"""`scanner-app journal list|retry|export --csv FILE`: the change journal from the command line.

``list`` and ``export`` only read the local journal (no sign-in, work offline); ``retry`` sends
what is waiting (and failed changes given by id) through the same outbox the GUI uses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def journal_path() -> Path:
    """Where the app keeps its journal (``SCANNER_APP_HOME`` / ``--home`` respected)."""
    try:
        from scanner_app.core import paths
    except ImportError:  # pragma: no cover - paths.py ships with the app
        import platformdirs

        return (
            Path(platformdirs.user_data_dir("autopilot-bench-scanner", False)) / "journal.sqlite3"
        )
    return paths.data_dir() / "journal.sqlite3"


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    from scanner_app.cli import add_tenant_options

    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    actions = parser.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    show = actions.add_parser("list", help="the latest changes and their state, newest first")
    show.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    show.add_argument("--state", help="only changes in this state (e.g. pending, conflict)")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    retry = actions.add_parser(
        "retry", help="send the changes still waiting now (and failed ones given by id)"
    )
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="failed changes to retry")
    add_tenant_options(retry, subcommand=True)
    export = actions.add_parser("export", help="write the audit record of every change")
    export.add_argument("--csv", required=True, metavar="FILE", help="CSV file ('-' = stdout)")
    return parser


def run(args: argparse.Namespace) -> int:
    from scanner_app.core.journal import Journal, JournalError

    try:
        journal = Journal(journal_path())
    except JournalError as exc:
        print(f"scanner-app journal: {exc}", file=sys.stderr)
        return 2
    try:
        if args.journal_command == "list":
            return _list(journal, args)
        if args.journal_command == "export":
            return _export(journal, args.csv)
        return _retry(args)
    finally:
        journal.close()


def _list(journal: Any, args: argparse.Namespace) -> int:
    if args.state:
        entries = journal.in_state(args.state)[-args.limit :][::-1]
    else:
        entries = journal.entries(limit=args.limit)
    if args.json:
        from dataclasses import asdict

        print(json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("The journal is empty." if not args.state else f"No change is {args.state}.")
        return 0
    for e in entries:
        reason = f" ({e.reason})" if e.reason else ""
        print(f"#{e.id:<5} {e.created_at[:19]}  {e.state:<10} {e.serial:<16} {e.summary()}{reason}")
    return 0


def _export(journal: Any, target: str) -> int:
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
        entries = outbox.resume()
        for e in entries:
            print(f"#{e.id:<5} {e.state:<10} {e.serial:<16} {e.reason}")
        if outbox.last_error is not None:
            print(f"scanner-app journal retry: still waiting: {outbox.last_error}", file=sys.stderr)
            return 1
        waiting = outbox.pending_count()
        print(f"{len(entries)} change(s) processed; {waiting} still waiting.")
        return 0 if waiting == 0 else 1

    return int(run_guarded(args, body))
