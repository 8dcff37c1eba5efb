"""Serial lookups and user searches on a 100,000-device / 100,000-user simulated tenant.

Prints, per operation: Graph requests per call (the target is exactly one) and the client's
own time beyond the network round trip. "Round trip" is measured inside the HTTP adapter, from
sending the request to having read the whole answer, so it covers the wire and the simulated
server; everything else (building the query, requests' bookkeeping, JSON parsing, exact
matching, building dataclasses) is client time. Target: <= 20 ms per lookup.

    uv run python benchmarks/lookup.py [--devices 100000] [--users 100000] [--lookups 300] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wire_timing import TimedAdapter  # noqa: E402

from scanner_app.core.graph.autopilot import AutopilotService  # noqa: E402
from scanner_app.core.graph.client import GraphClient  # noqa: E402
from scanner_app.core.graph.users import UserDirectory  # noqa: E402
from scanner_app.core.tenant_sim import SimulatedTenant  # noqa: E402


def measure(calls: list[Any], adapter: TimedAdapter, tenant: SimulatedTenant) -> dict[str, Any]:
    client_ms: list[float] = []
    total_ms: list[float] = []
    requests_per_call: list[int] = []
    for call in calls:
        before_requests, before_wire = len(tenant.requests), adapter.spent
        started = time.perf_counter()
        call()
        total = time.perf_counter() - started
        wire = adapter.spent - before_wire
        total_ms.append(total * 1000)
        client_ms.append((total - wire) * 1000)
        requests_per_call.append(len(tenant.requests) - before_requests)
    client_ms.sort()
    return {
        "calls": len(calls),
        "requests_per_call": sorted(set(requests_per_call)),
        "client_ms_median": round(statistics.median(client_ms), 2),
        "client_ms_p95": round(client_ms[int(len(client_ms) * 0.95) - 1], 2),
        "client_ms_max": round(client_ms[-1], 2),
        "total_ms_median": round(statistics.median(total_ms), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    cpu, started = time.process_time(), time.perf_counter()
    tenant = SimulatedTenant(args.devices, args.users, validate_contract=False)
    seed_s = (time.perf_counter() - started, time.process_time() - cpu)
    url = tenant.start()
    try:
        session = requests.Session()
        adapter = TimedAdapter()
        session.mount("http://", adapter)
        client = GraphClient(url, lambda: tenant.issue_token(), session)
        autopilot, directory = AutopilotService(client), UserDirectory(client, ttl=0)
        rng = random.Random(42)
        devices = list(tenant.devices.values())
        # Warm-up builds the simulator's indexes and opens the keep-alive connection.
        autopilot.find_by_serial(devices[0]["serialNumber"])
        directory.search("warm")
        serials = [rng.choice(devices)["serialNumber"] for _ in range(args.lookups)]
        found = []
        lookups = measure(
            [lambda s=s: found.append(len(autopilot.find_by_serial(s))) for s in serials],
            adapter,
            tenant,
        )
        lookups["all_found"] = all(n >= 1 for n in found)
        people = list(tenant.users.values())
        prefixes = [rng.choice(people)["displayName"].split()[rng.randint(0, 1)][:3]
                    for _ in range(args.searches)]  # fmt: skip
        sizes: list[int] = []
        searches = measure(
            [lambda p=p: sizes.append(len(directory.search(p))) for p in prefixes],
            adapter,
            tenant,
        )
        searches["full_first_page"] = all(n == 10 for n in sizes)
    finally:
        tenant.stop()
    report = {
        "tenant": {"devices": args.devices, "users": args.users,
                   "seed_wall_s": round(seed_s[0], 2), "seed_cpu_s": round(seed_s[1], 2)},
        "serial_lookup": lookups,
        "user_search_first_page": searches,
    }  # fmt: skip
    if args.json:
        print(json.dumps(report))
    else:
        t = report["tenant"]
        print(f"tenant: {t['devices']:,} devices, {t['users']:,} users, seeded in "
              f"{t['seed_wall_s']} s wall / {t['seed_cpu_s']} s CPU")  # fmt: skip
        for name in ("serial_lookup", "user_search_first_page"):
            r = report[name]
            print(f"{name}: {r['calls']} calls, requests per call {r['requests_per_call']}, "
                  f"client ms median {r['client_ms_median']} / p95 {r['client_ms_p95']} / "
                  f"max {r['client_ms_max']}, total ms median {r['total_ms_median']}")  # fmt: skip
    ok = lookups["requests_per_call"] == [1] and lookups["client_ms_p95"] <= 20
    ok = ok and searches["requests_per_call"] == [1]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
