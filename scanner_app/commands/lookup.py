"""`scanner-app lookup SERIAL|ZTDID`: the same look-up the window makes, for scripts.

With Graph unreachable or too slow (the look-up deadline, ``lookup_deadline_s``), a device seen
recently is answered from the offline cache: exit 0, the text starts with a line saying it is a
copy and when it was seen, and ``--json`` carries ``"stale": true`` and ``"seen_at"`` (UTC,
ISO 8601). A device not in the cache is one line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from scanner_app.commands._tenant import add_parser, device_text, emit, run_guarded, say


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
    from scanner_app.core.device_cache import CachedResolution

    target = payload.parse(args.code)
    if not target.usable:
        say(target.reason)
        return 2

    def body(services: Any) -> int:
        resolution = services.workflow.resolve(target)
        devices = list(resolution.devices)
        if resolution.error:
            say(resolution.error)
            return 1
        if not devices:
            emit(
                args,
                {"target": target, "devices": [], "stale": False, "seen_at": None},
                f"No Autopilot device found for {target.describe()}.",
            )
            return 3
        text = f"{len(devices)} device(s) for {target.describe()}:\n" + "\n\n".join(
            device_text(d) for d in devices
        )
        if resolution.found_as:  # found through another reading of the code: say which
            text = f"Found as {resolution.found_as}.\n{text}"
        value = {
            "target": target,
            "devices": devices,
            "found_as": resolution.found_as,
            "stale": False,
            "seen_at": None,
        }
        if isinstance(resolution, CachedResolution):  # Graph was away or slow: a copy
            value |= stale_fields(resolution)
            text = f"{stale_note(resolution)}\n{text}"
        emit(args, value, text)
        return 0

    return run_guarded(args, body)


def stale_fields(resolution: Any) -> dict[str, Any]:
    """The JSON fields of an answer from the offline cache: when it was seen, and why."""
    seen = dt.datetime.fromtimestamp(resolution.seen_at, dt.timezone.utc)
    return {
        "stale": True,
        "seen_at": seen.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "offline_reason": resolution.offline_reason,
        "graph_slow": bool(resolution.slow),
    }


def stale_note(resolution: Any) -> str:
    """One line above the device: this is a copy, from when, and why Graph was not asked."""
    seen = dt.datetime.fromtimestamp(resolution.seen_at).astimezone()
    when = seen.strftime("%Y-%m-%d %H:%M %Z").strip()
    lead = "GRAPH IS SLOW" if resolution.slow else "OFFLINE"
    return (
        f"{lead}: an offline copy last seen in Intune {when}; it may be out of date. "
        f"({resolution.offline_reason})"
    )
