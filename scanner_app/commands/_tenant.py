"""Shared plumbing for commands that talk to a tenant: settings, services, errors, output.

Everything printed here goes through ``_text.visible``: a display name, a group tag or an error
text from Graph, a file name or a code's text may hold terminal escapes or bidi overrides.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from typing import Any

from scanner_app.cli import add_tenant_options
from scanner_app.commands._text import visible
from scanner_app.core.device_fields import CLI_FIELDS


def add_parser(
    sub: Any, name: str, help_text: str, description: str = ""
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, description=description or help_text
    )
    add_tenant_options(parser, subcommand=True)
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


@contextmanager
def services_for(args: argparse.Namespace) -> Iterator[Any]:
    """Open the services for ``args``; device-code prompts go to stderr."""
    from scanner_app.core.services import open_services, settings_from_args

    settings = settings_from_args(args)
    services = open_services(settings, device_code_prompt=say_raw)
    if services.journal_notice:  # recovered from damage, or why nothing can be applied
        say(services.journal_notice)
    try:
        yield services
    finally:
        services.close()


def run_guarded(args: argparse.Namespace, body: Callable[[Any], int]) -> int:
    """Run ``body(services)``; a bad setting, a sign-in, Graph, network or TLS failure becomes
    one line on stderr and an exit code (see ``failure``), never a traceback."""
    try:
        with services_for(args) as services:
            return body(services)
    except (Exception, KeyboardInterrupt) as exc:
        return report_failure(exc)


def report_failure(exc: BaseException) -> int:
    """Print the one line for ``exc`` and return its exit code; re-raise what is not ours."""
    known = failure(exc)
    if known is None:
        raise exc
    code, line = known
    say(line)
    return code


def say(line: str) -> None:
    """One line for the operator on stderr, ``scanner-app: `` first, outside text made visible."""
    print(f"scanner-app: {visible(line)}", file=sys.stderr)


def say_raw(text: str) -> None:
    """Text for the operator on stderr as it is (a device-code prompt), each line made visible."""
    print(lines_visible(text), file=sys.stderr, flush=True)


def lines_visible(text: str) -> str:
    """``text`` with each of its lines made visible (the line breaks kept)."""
    return "\n".join(visible(line) for line in text.split("\n"))


def failure(exc: BaseException) -> tuple[int, str] | None:
    """``(exit code, one line)`` for a failure an operator can act on; None for a bug.

    2: a setting the app cannot use. 1: a sign-in or Graph failure, no network, TLS.
    130: cancelled (Ctrl+C or a cancelled sign-in).
    """
    import requests

    from scanner_app.core.config import SettingsError
    from scanner_app.core.graph.errors import GraphError
    from scanner_app.core.graph.sign_in_errors import (
        SignInCancelled,
        SignInError,
        SignInRequired,
        network_failure,
    )
    from scanner_app.core.journal.journal import JournalError

    if isinstance(exc, SettingsError):
        return 2, str(exc)
    if isinstance(exc, SignInCancelled):
        return 130, "sign-in cancelled."
    if isinstance(exc, KeyboardInterrupt):
        return 130, "cancelled."
    if isinstance(exc, SignInRequired):
        return 1, f"{exc} Run: scanner-app sign-in [--device-code]"
    if isinstance(exc, (SignInError, GraphError, JournalError)):
        return 1, str(exc)
    if isinstance(exc, requests.RequestException):
        return 1, f"no connection: {network_failure(exc)}."
    if isinstance(exc, BrokenPipeError):  # the reader went away: cli.main ends quietly
        return None
    if isinstance(exc, OSError):  # a file or socket the system refused
        return 1, exc.strerror or str(exc) or type(exc).__name__
    return None


def emit(args: argparse.Namespace, value: Any, text: str) -> None:
    """Print ``value`` as JSON (``--json``) or ``text``, each of its lines made visible.

    JSON keeps ``ensure_ascii``: every character outside ASCII is a ``\\uXXXX`` escape, so the
    output is the exact value for a program and no control, C1 or bidi character reaches a
    terminal that shows it (``ensure_ascii=False`` passes DEL, C1 controls and U+202E raw)."""
    if getattr(args, "json", False):
        print(json.dumps(_plain(value), indent=2))
    else:
        print(lines_visible(text))


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def device_text(device: Any) -> str:
    """The device's lines for the terminal: ``device_fields.CLI_FIELDS``, in their order, raw
    as Graph sent them; an empty value Apply can set reads "(none)"."""
    rows = []
    for field in CLI_FIELDS:
        value = str(getattr(device, field.attr))
        if field.kind == "model":
            value = f"{device.manufacturer} {value}".strip()
        elif field.changeable and not value:
            value = "(none)"
        rows.append((field.cli_label, value))
    return "\n".join(f"  {k:<12} {visible(v)}" for k, v in rows)
