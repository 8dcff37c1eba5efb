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
    """Run ``body(services)``; a bad setting or a Graph error becomes one clear line, exit 1/2."""
    from scanner_app.core.config import SettingsError
    from scanner_app.core.graph.errors import GraphError

    try:
        with services_for(args) as services:
            return body(services)
    except SettingsError as exc:
        print(f"scanner-app: {exc}", file=sys.stderr)
        return 2
    except GraphError as exc:
        print(f"scanner-app: {exc}", file=sys.stderr)
        return 1


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
