"""`scanner-app assign SERIAL --group-tag T [--user UPN] [--name N]`: journaled and verified."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scanner_app.commands._tenant import add_parser, device_text, emit, run_guarded


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = add_parser(sub, name, help_text)
    parser.add_argument("serial", metavar="SERIAL|ZTDID")
    parser.add_argument("--group-tag", metavar="TAG", help="the group tag to set")
    parser.add_argument("--user", metavar="UPN", help="the user to assign ('' to remove)")
    parser.add_argument("--name", metavar="NAME", help="the device display name to set")
    parser.add_argument(
        "--device-id", metavar="ID", help="which device, when the serial matches several"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from scanner_app.core import payload
    from scanner_app.core.models import DeviceChange

    target = payload.parse(args.serial)
    if not target.usable:
        print(f"scanner-app: {target.reason}", file=sys.stderr)
        return 2
    wanted = DeviceChange(
        group_tag=args.group_tag, user_principal_name=args.user, display_name=args.name
    )
    if wanted.is_empty():
        print("scanner-app: nothing to assign: give --group-tag, --user or --name", file=sys.stderr)
        return 2

    def body(services: Any) -> int:
        resolution = services.workflow.resolve(target)
        devices = [d for d in resolution.devices if not args.device_id or d.id == args.device_id]
        if resolution.error:
            print(f"scanner-app: {resolution.error}", file=sys.stderr)
            return 1
        if not devices:
            print(
                f"scanner-app: no Autopilot device found for {target.describe()}", file=sys.stderr
            )
            return 3
        if len(devices) > 1:
            ids = ", ".join(d.id for d in devices)
            print(
                f"scanner-app: {len(devices)} devices match {target.value}; nothing changed. "
                f"Choose one with --device-id ({ids}).",
                file=sys.stderr,
            )
            return 4
        if resolution.found_as and not args.device_id:
            # Found through another reading of the code (an Express Service Code read as its
            # service tag, say): a change to a production record needs the device named.
            print(
                f"scanner-app: {target.value} was found as {resolution.found_as}; nothing "
                f"changed. If that is the device, confirm with --device-id {devices[0].id}.",
                file=sys.stderr,
            )
            return 4
        outcome = services.workflow.apply(devices[0], wanted)
        emit(args, outcome, f"{outcome.message}\n{device_text(outcome.device)}")
        return 0 if outcome.verified or outcome.state == "accepted" else 1

    return run_guarded(args, body)
