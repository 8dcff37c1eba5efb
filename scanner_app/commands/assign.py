"""`scanner-app assign SERIAL --group-tag T [--user UPN] [--name N]`: journaled and verified."""

from __future__ import annotations

import argparse
from typing import Any

from scanner_app.commands._tenant import add_parser, device_text, emit, run_guarded, say


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
        say(target.reason)
        return 2
    wanted = DeviceChange(
        group_tag=args.group_tag, user_principal_name=args.user, display_name=args.name
    )
    if wanted.is_empty():
        say("nothing to assign: give --group-tag, --user or --name")
        return 2

    def body(services: Any) -> int:
        if services.journal.problem is not None:
            return 1  # changes cannot be recorded: the notice above said why and what to do
        resolution = services.workflow.resolve(target)
        devices = [d for d in resolution.devices if not args.device_id or d.id == args.device_id]
        if resolution.error:
            say(resolution.error)
            return 1
        if not devices:
            say(f"no Autopilot device found for {target.describe()}")
            return 3
        if len(devices) > 1:
            ids = ", ".join(d.id for d in devices)
            say(
                f"{len(devices)} devices match {target.value}; nothing changed. "
                f"Choose one with --device-id ({ids})."
            )
            return 4
        if resolution.found_as and not args.device_id:
            # Found through another reading of the code (an Express Service Code read as its
            # service tag, say): a change to a production record needs the device named.
            say(
                f"{target.value} was found as {resolution.found_as}; nothing "
                f"changed. If that is the device, confirm with --device-id {devices[0].id}."
            )
            return 4
        known = {e.id for e in services.journal.for_device(devices[0].id)}
        try:
            outcome = services.workflow.apply(devices[0], wanted)
        except KeyboardInterrupt:
            return _cancelled(services, devices[0], known)
        emit(args, outcome, f"{outcome.message}\n{device_text(outcome.device)}")
        return 0 if outcome.verified or outcome.state == "accepted" else 1

    return run_guarded(args, body)


def _cancelled(services: Any, device: Any, known: set[int]) -> int:
    """Ctrl+C while the change was being recorded, sent or verified: say where it stands. The
    journal is consistent (a write interrupted is rolled back whole), and a change recorded is
    finished by ``journal retry`` or the app, which re-read the device before sending again."""
    made = [e for e in services.journal.for_device(device.id) if e.id not in known]
    if not made:
        say(f"cancelled: nothing was recorded or sent for {device.serial_number}.")
    elif made[-1].is_open:
        e = made[-1]
        say(
            f"cancelled: change #{e.id} for {device.serial_number} is in the journal ({e.state}); "
            "`scanner-app journal retry` finishes it, checking Intune first."
        )
    else:
        e = made[-1]
        say(f"cancelled: change #{e.id} for {device.serial_number} was already {e.state}.")
    return 130
