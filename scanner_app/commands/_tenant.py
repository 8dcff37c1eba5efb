"""Shared plumbing for commands that talk to a tenant: settings, services, errors, output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from typing import Any

from scanner_app.cli import add_tenant_options


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
    services = open_services(settings, device_code_prompt=lambda text: print(text, file=sys.stderr))
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
    print(f"scanner-app: {line}", file=sys.stderr)
    return code


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
    from scanner_app.core.journal import JournalError

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
    if isinstance(exc, OSError):  # a file or socket the system refused
        return 1, exc.strerror or str(exc) or type(exc).__name__
    return None


def emit(args: argparse.Namespace, value: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(_plain(value), ensure_ascii=False, indent=2))
    else:
        print(text)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def device_text(device: Any) -> str:
    rows = [
        ("Serial", device.serial_number),
        ("Id (ZtdId)", device.id),
        ("Model", f"{device.manufacturer} {device.model}".strip()),
        ("Group tag", device.group_tag or "(none)"),
        ("User", device.user_principal_name or "(none)"),
        ("Name", device.display_name or "(none)"),
        ("Enrollment", device.enrollment_state),
        ("Last contact", device.last_contacted),
    ]
    return "\n".join(f"  {k:<12} {v}" for k, v in rows)
