"""Outbox benchmark: N queued changes against a simulated tenant enforcing Intune's write limit.

    uv run python benchmarks/outbox.py [--changes 200] [--limit 100] [--window 20]
                                       [--consistency 0.5] [--json]

The tenant answers 429 past ``limit`` writes in any ``window`` seconds (Intune: 100 per 20 s
per app). N changes on N devices are queued (journaled, nothing sent), then ``Outbox.resume()``
is timed until every change is verified by a re-read. Printed: total time against the minimum
the limit allows, ``(ceil(N / limit) - 1) * window`` (every batch sent instantly), how many
writes the tenant refused (the pacing should make that 0) and the most writes any one device
received (must be 1). A smaller ``--window`` (with ``--limit``) runs faster for a quick check.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.journal.journal import Journal
from scanner_app.core.models import DeviceChange
from scanner_app.core.outbox import Outbox, RetryPolicy
from scanner_app.core.tenant_sim import SimulatedTenant


def run(
    changes: int, limit: int, window: float, consistency: float, workers: int = 8
) -> dict[str, Any]:
    with SimulatedTenant(
        device_count=changes, consistency_delay=consistency, write_limit=(limit, window)
    ) as tenant:
        gate = tenant.write_limit
        assert gate is not None
        client = GraphClient(tenant.base_url, lambda **kw: tenant.issue_token())
        autopilot = AutopilotService(client)
        with tempfile.TemporaryDirectory() as tmp:
            journal = Journal(Path(tmp) / "journal.sqlite3")
            outbox = Outbox(
                journal,
                autopilot,
                operator="bench@contoso.example",
                write_rate=(limit, window),
                policy=RetryPolicy(verify_timeout=30.0),
                workers=workers,
            )
            device_ids = sorted(tenant.devices)[:changes]
            for n, device_id in enumerate(device_ids):
                outbox.enqueue(autopilot.get(device_id), DeviceChange(group_tag=f"BENCH-{n:03d}"))
            requests_before = len(tenant.requests)
            started = time.perf_counter()
            done = outbox.resume()
            elapsed = time.perf_counter() - started
            journal.close()
        minimum = (math.ceil(changes / limit) - 1) * window
        states: dict[str, int] = {}
        for entry in done:
            states[entry.state] = states.get(entry.state, 0) + 1
        return {
            "changes": changes,
            "limit": f"{limit} writes / {window:g} s",
            "consistency_delay_s": consistency,
            "workers": workers,
            "seconds": round(elapsed, 3),
            "minimum_seconds": minimum,
            "over_minimum_pct": round(100 * (elapsed - minimum) / minimum, 1) if minimum else None,
            "states": states,
            "refused_by_tenant": gate.refused,
            "max_writes_per_device": max(tenant.applied_updates(d) for d in device_ids),
            "requests": len(tenant.requests) - requests_before,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--limit", type=int, default=100, help="writes per window (Intune: 100)")
    parser.add_argument("--window", type=float, default=20.0, help="seconds (Intune: 20)")
    parser.add_argument("--consistency", type=float, default=0.5,
                        help="seconds before a write shows in reads (default 0.5)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=8, help="outbox threads (default 8)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.changes, args.limit, args.window, args.consistency, args.workers)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    ok = (
        result["states"] == {"verified": args.changes}
        and result["max_writes_per_device"] == 1
        and result["refused_by_tenant"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
