"""`scanner-app lookup SERIAL|ZTDID`: the same look-up the window makes, for scripts."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scanner_app.commands._tenant import add_parser, device_text, emit, run_guarded


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = add_parser(sub, name, help_text)
    parser.add_argument(
        "code",
        metavar="SERIAL|ZTDID",
        help="a serial number, or the text of a scanned code (an Autopilot QR's JSON works too)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from scanner_app.core import payload

    target = payload.parse(args.code)
    if not target.usable:
        print(f"scanner-app: {target.reason}", file=sys.stderr)
        return 2

    def body(services: Any) -> int:
        resolution = services.workflow.resolve(target)
        devices = list(resolution.devices)
        if resolution.error:
            print(f"scanner-app: {resolution.error}", file=sys.stderr)
            return 1
        if not devices:
            emit(
                args,
                {"target": target, "devices": []},
                f"No Autopilot device found for {target.describe()}.",
            )
            return 3
        text = f"{len(devices)} device(s) for {target.describe()}:\n" + "\n\n".join(
            device_text(d) for d in devices
        )
        emit(args, {"target": target, "devices": devices}, text)
        return 0

    return run_guarded(args, body)
