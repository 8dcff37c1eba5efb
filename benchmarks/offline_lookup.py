"""Look-ups when Graph is gone or slow: how long until the operator has an answer.

Two figures, each the case a tester met on a real tenant:

1. ``scanner-app lookup`` as a real process with Graph and the sign-in server unreachable (a
   real-like tenant over HTTPS with its identity provider, then both stopped): seconds to the
   answer from the offline cache, its exit code, and whether it says it is a copy. Aim: < 10 s,
   exit 0, ``"stale": true``, no traceback. A device never seen: one line, exit 1.
2. One look-up through the services the window uses when every Graph answer takes ``--delay``
   seconds (35 in the tester's report, where it took 195 s): the look-up deadline
   (``lookup_deadline_s``, 20 s by default) bounds it and the offline copy is offered.

    uv run python benchmarks/offline_lookup.py [--runs 3] [--delay 35]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scanner_app.core.config import Settings
from scanner_app.core.models import ScanTarget
from scanner_app.core.services import open_services
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.tenant_sim.identity import SimulatedIdentityProvider
from scanner_app.core.tenant_sim.seed import demo_labels


def offline_cli(runs: int) -> None:
    home = tempfile.mkdtemp()
    tenant = SimulatedTenant()
    base = tenant.start(tls=True)
    idp = SimulatedIdentityProvider(
        tenant.tokens, list(tenant.users.values()), cert=tenant.cert_pair
    )
    idp.device_code_pending_polls = 0
    idp.start()
    env = dict(os.environ, REQUESTS_CA_BUNDLE=str(tenant.cert_path), SCANNER_APP_HOME=home)
    flags = ["--graph-endpoint", base, "--authority-host", idp.authority.rsplit("/", 1)[0],
             "--tenant", idp.tenant, "--client-id", idp.client_id]  # fmt: skip
    seen, unseen = (str(label["serial"]) for label in demo_labels()[:2])

    def run(*argv: str) -> tuple[float, subprocess.CompletedProcess[str]]:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "scanner_app", *argv, *flags],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        return time.perf_counter() - started, done

    took, done = run("lookup", seen)  # online: signs in (device code) and fills the cache
    print(f"online look-up (signs in): {took:.2f} s, exit {done.returncode}")
    idp.stop()
    tenant.stop()
    for _ in range(runs):
        took, done = run("lookup", "--json", seen)
        stale = '"stale": true' in done.stdout
        print(
            f"offline look-up of a cached device: {took:.2f} s, exit {done.returncode}, "
            f"stale={stale}, traceback={'Traceback' in done.stderr}"
        )
    took, done = run("lookup", unseen)
    print(f"offline look-up of an unseen device: {took:.2f} s, exit {done.returncode}: "
          f"{done.stderr.strip()!r}")  # fmt: skip


def slow_graph(delay: float) -> None:
    tenant = SimulatedTenant()
    tenant.start()
    record = tenant.devices[sorted(tenant.devices)[0]]
    target = ScanTarget("serial", record["serialNumber"])
    journal = Path(tempfile.mkdtemp()) / "journal.sqlite3"
    settings = Settings.from_mapping({"demo": True})
    with open_services(settings, simulator=tenant, journal_path=journal) as services:
        services.workflow.resolve(target)  # online first: the device enters the offline cache
        before = len(tenant.requests)
        tenant.faults.latency(delay * 1000, path="*windowsAutopilotDeviceIdentities*")
        started = time.perf_counter()
        answer = services.workflow.resolve(target)
        took = time.perf_counter() - started
        tenant.faults.clear()
    tenant.stop()
    print(
        f"Graph answering in {delay:g} s: look-up took {took:.1f} s with "
        f"{len(tenant.requests) - before} request(s); {answer.kind}, "
        f"stale={getattr(answer, 'stale', False)}, slow={getattr(answer, 'slow', False)} "
        f"(deadline {settings.lookup_deadline_s:g} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=35.0)
    args = parser.parse_args()
    offline_cli(args.runs)
    slow_graph(args.delay)


if __name__ == "__main__":
    main()
