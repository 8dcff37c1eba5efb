"""One journal per tenant; training never touches real work.

A change queued for a real tenant while its Graph is down (503) must survive any number of demo
runs (``--demo --self-test`` in a process of its own, as CI and the frozen-app smoke test run
it, sharing the same app folder) and be applied exactly once by ``journal retry`` when that
tenant is back; ``journal list`` says which tenant each change belongs to and marks training.
The "real" tenant is the simulated one served as a real tenant is: over HTTPS, with its own
identity provider and MSAL (see test_real_tenant_cli.py), seeded differently from the demo's so
its devices are not the demo's.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scanner_app.cli import build_parser, main
from scanner_app.commands.journal import journal_path
from scanner_app.core.journal.journal import Journal, JournalEntry
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.services import open_services, settings_from_args
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.tenant_sim.identity import SimulatedIdentityProvider

REPO = Path(__file__).resolve().parents[2]


@dataclass
class RealTenant:
    graph: SimulatedTenant
    idp: SimulatedIdentityProvider
    flags: list[str]

    def stop(self) -> None:
        self.idp.stop()
        self.graph.stop()


@pytest.fixture
def real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RealTenant]:
    graph = SimulatedTenant(device_count=8, seed=2, validate_contract=True)
    base_url = graph.start(tls=True)
    idp = SimulatedIdentityProvider(graph.tokens, list(graph.users.values()), cert=graph.cert_pair)
    idp.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(graph.cert_path))
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    flags = [
        "--graph-endpoint", base_url,
        "--authority-host", idp.authority.rsplit("/", 1)[0],
        "--tenant", idp.tenant,  # "contoso.example": the very name the demo tenant has
        "--client-id", idp.client_id,
    ]  # fmt: skip
    tenant = RealTenant(graph, idp, flags)
    try:
        yield tenant
    finally:
        tenant.stop()
    assert not graph.contract_violations


def queue_while_graph_is_down(real: RealTenant, capsys: Any) -> tuple[AutopilotDevice, int]:
    """Sign in and look the device up (as the operator did), then Graph answers 503 to
    everything and the change is queued the way the app queues it while offline."""
    record = real.graph.devices[sorted(real.graph.devices)[0]]
    device = AutopilotDevice.from_graph(record)
    assert main(["lookup", device.serial_number, *real.flags]) == 0
    capsys.readouterr()
    real.graph.faults.error(status=503, count=None)
    settings = settings_from_args(build_parser().parse_args(["journal", "retry", *real.flags]))
    with open_services(settings) as services:
        entry = services.outbox.enqueue(device, DeviceChange(group_tag="QUEUED-REAL"))
    return device, entry.id


def snapshot(entry_id: int) -> tuple[JournalEntry, list[tuple[str, str, str, str]]]:
    journal = Journal(journal_path())
    try:
        return journal.get(entry_id), journal.history(entry_id)
    finally:
        journal.close()


def cli(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """``scanner-app ARGV`` in a process of its own (this one's SCANNER_APP_HOME and CA bundle)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, "-m", "scanner_app", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )


def test_a_queued_real_change_survives_demo_runs_and_is_applied_once(
    real: RealTenant, tmp_path: Path, capsys: Any
) -> None:
    device, entry_id = queue_while_graph_is_down(real, capsys)
    queued = snapshot(entry_id)
    assert queued[0].state == "pending" and queued[0].tenant == "contoso.example"

    done = cli(["--demo", "--self-test"])  # training, in the same app folder, Graph still down
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: passed" in done.stdout
    assert main(["--demo", "journal", "retry"]) == 0  # and a second demo run, from the CLI
    capsys.readouterr()
    assert snapshot(entry_id) == queued  # not read, resumed, failed or touched at all
    assert real.graph.applied_updates(device.id) == 0

    real.graph.faults.clear()  # the tenant is back
    assert main(["journal", "retry", *real.flags]) == 0
    out = capsys.readouterr().out
    assert f"#{entry_id}" in out and "verified" in out and "0 still waiting" in out
    assert real.graph.applied_updates(device.id) == 1
    assert real.graph.devices[device.id]["groupTag"] == "QUEUED-REAL"
    assert snapshot(entry_id)[0].state == "verified"
    assert main(["journal", "retry", *real.flags]) == 0  # nothing left: never applied twice
    assert real.graph.applied_updates(device.id) == 1

    capsys.readouterr()
    assert main(["journal", "list"]) == 0
    listed = capsys.readouterr()
    (line,) = listed.out.splitlines()  # only the real change: training is kept apart
    assert f"#{entry_id}" in line and "verified" in line and "[contoso.example]" in line
    assert "journal list --demo" in listed.err
    assert main(["journal", "list", "--json"]) == 0
    (shown,) = json.loads(capsys.readouterr().out)
    assert (shown["id"], shown["tenant"], shown["training"]) == (entry_id, "contoso.example", False)
    assert main(["journal", "list", "--demo"]) == 0
    note, *training = capsys.readouterr().out.splitlines()
    assert note.startswith("Training journal (--demo)") and "none of them is real" in note
    assert len(training) == 1  # the self-test's change (the CLI demo run made none)
    assert "verified" in training[0] and "[contoso.example (training run " in training[0]
    for flags, training_column in (([], "no"), (["--demo"], "yes")):
        target = tmp_path / f"audit{len(flags)}.csv"
        assert main(["journal", "export", *flags, "--csv", str(target)]) == 0
        (row,) = csv.DictReader(target.open(encoding="utf-8"))
        assert row["tenant"].startswith("contoso.example") and row["training"] == training_column


def test_journal_retry_without_a_network_says_so_in_one_line_and_changes_nothing(
    real: RealTenant, capsys: Any
) -> None:
    device, entry_id = queue_while_graph_is_down(real, capsys)
    queued = snapshot(entry_id)
    real.stop()  # the sign-in server and Graph are both unreachable now
    done = cli(["journal", "retry", *real.flags])  # a process of its own: its real stderr
    assert done.returncode != 0
    # The app's own line; logged warnings (no system keychain on this machine) may precede it.
    told = [line for line in done.stderr.splitlines() if line.startswith("scanner-app")]
    assert len(told) == 1, done.stderr
    assert told[0].startswith("scanner-app journal retry: 1 change(s) for contoso.example")
    assert "still waiting" in told[0] and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert snapshot(entry_id) == queued
