"""Offline acceptance through the GUI pieces: with Graph away, ten changes wait and the status
bar says so; when the tenant comes back on the same port, all are verified with nobody touching
anything, and the status bar says that too."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.core.config import Settings
from scanner_app.core.models import DeviceChange
from scanner_app.core.outbox import Backoff, OutboxStatus, RetryPolicy
from scanner_app.core.services import Services, open_services
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.ui.outbox_runner import OutboxRunner, apply_outbox_status, describe
from scanner_app.ui.status_bar import StatusBar

WAIT_MS = 20_000


@pytest.fixture
def sim() -> Iterator[SimulatedTenant]:
    tenant = SimulatedTenant(validate_contract=True, device_count=12, consistency_delay=0.1)
    tenant.start()
    yield tenant
    tenant.stop()


@pytest.fixture
def services(sim: SimulatedTenant, tmp_path: Path) -> Iterator[Services]:
    settings = Settings.from_mapping({"demo": True})
    with open_services(settings, simulator=sim, journal_path=tmp_path / "j.sqlite3") as s:
        s.client.timeout = 5
        s.outbox.policy = RetryPolicy(
            verify_timeout=3.0,
            poll=Backoff(0.05, 1.5, 2.0),
            idle=0.05,
            offline=Backoff(0.05, 2.0, 0.2),
        )
        yield s


def test_changes_made_offline_land_when_graph_returns(
    qtbot: Any, sim: SimulatedTenant, services: Services
) -> None:
    bar = StatusBar(services)
    qtbot.add_widget(bar)
    outbox = services.outbox
    port = int(sim.base_url.rsplit(":", 1)[1])
    devices = [services.autopilot.get(d) for d in sorted(sim.devices)[:10]]
    sim.stop()

    runner = OutboxRunner(outbox)
    runner.status_changed.connect(lambda s: apply_outbox_status(bar, s))
    seen: list[OutboxStatus] = []
    runner.status_changed.connect(seen.append)
    runner.start()
    try:
        # the operator goes on scanning: the first change finds Graph away, the rest just queue
        queued = [outbox.submit(d, DeviceChange(group_tag="OFFLINE")) for d in devices]
        assert [e.state for e in queued] == ["pending"] * 10
        qtbot.waitUntil(  # the first status comes from the loop's thread
            lambda: bool(seen) and seen[-1].waiting == 10 and not seen[-1].online, timeout=WAIT_MS
        )
        assert bar.outbox.text() == "10 changes waiting"
        assert "Graph: unreachable" in bar.graph.text()

        sim.start(port=port)  # Graph is back; nobody touches anything
        qtbot.waitUntil(lambda: seen[-1].online and seen[-1].waiting == 0, timeout=WAIT_MS)
    finally:
        assert runner.stop()
        sim.stop()
    assert bar.outbox.text() == "No changes waiting"
    assert "unreachable" not in bar.graph.text()
    assert runner.latest is not None and runner.latest.online
    assert all(outbox.journal.get(e.id).state == "verified" for e in queued)
    assert all(sim.applied_updates(d.id) == 1 for d in devices)


def test_stop_ends_the_loop_promptly_and_leaves_no_thread(qtbot: Any, services: Services) -> None:
    services.outbox.policy = dataclasses.replace(services.outbox.policy, idle=30.0)
    runner = OutboxRunner(services.outbox)
    with qtbot.waitSignal(runner.status_changed, timeout=WAIT_MS):
        runner.start()
    assert runner.is_running()
    assert runner.stop(timeout=5) and not runner.is_running()
    assert runner.stop()  # twice is harmless


def test_the_status_texts() -> None:
    assert describe(OutboxStatus(True, 0, 0)) == ("No changes waiting", "Graph")
    assert describe(OutboxStatus(True, 1, 2))[0] == "1 change waiting · 2 to decide"
    busy = OutboxStatus(False, 3, 0, "Microsoft Graph refused the request.", retry_in=8)
    assert describe(busy) == ("3 changes waiting", "not available, next try in 8 s")
