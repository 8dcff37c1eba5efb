"""Offline scanning: devices Graph showed recently are found again while Graph is away, marked
as possibly stale; nothing is invented for devices never seen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.core.device_cache import CachedAutopilot, CachedResolution, DeviceCache
from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.errors import GraphUnreachable
from scanner_app.core.models import AutopilotDevice, DeviceChange, ScanTarget
from scanner_app.core.tenant_sim import SimulatedTenant
from tests.core.graph.conftest import FakeClock
from tests.core.graph.slow_wire import SlowWire, slow_session


@pytest.fixture
def sim() -> Iterator[SimulatedTenant]:
    tenant = SimulatedTenant(validate_contract=True, device_count=6)
    tenant.start()
    yield tenant
    tenant.stop()


def cached(tenant: SimulatedTenant, path: Path, now: list[float]) -> CachedAutopilot:
    client = GraphClient(
        tenant.base_url, lambda **kw: tenant.issue_token(), max_retries=0, timeout=5
    )
    return CachedAutopilot(AutopilotService(client), DeviceCache(path, now=lambda: now[0]))


def test_a_device_seen_online_is_found_offline_and_marked_stale(
    sim: SimulatedTenant, tmp_path: Path
) -> None:
    now = [1_000.0]
    autopilot = cached(sim, tmp_path / "devices.sqlite3", now)
    first, second = (sim.devices[i] for i in sorted(sim.devices)[:2])
    online = autopilot.resolve(ScanTarget("serial", first["serialNumber"]))
    assert online.kind == "found" and not isinstance(online, CachedResolution)
    by_id = autopilot.resolve(ScanTarget("ztd_id", second["id"]))
    tags = autopilot.group_tags_in_use()

    sim.stop()
    now[0] = 1_600.0
    offline = autopilot.resolve(ScanTarget("serial", first["serialNumber"].lower()))
    assert isinstance(offline, CachedResolution)
    assert offline.kind == "found" and offline.stale and offline.seen_at == 1_000.0
    assert offline.devices == online.devices
    assert "cannot be reached" in offline.offline_reason
    again = autopilot.resolve(ScanTarget("ztd_id", second["id"].upper()))
    assert isinstance(again, CachedResolution) and again.devices == by_id.devices
    assert autopilot.get(second["id"]) == by_id.devices[0]
    assert autopilot.group_tags_in_use(refresh=True) == [
        t for t in tags if t in {first.get("groupTag"), second.get("groupTag")}
    ]


def test_a_device_never_seen_is_an_error_not_a_guess(sim: SimulatedTenant, tmp_path: Path) -> None:
    autopilot = cached(sim, tmp_path / "devices.sqlite3", [0.0])
    unseen = sim.devices[sorted(sim.devices)[3]]
    sim.stop()
    result = autopilot.resolve(ScanTarget("serial", unseen["serialNumber"]))
    assert result.kind == "error" and "not among the recently seen" in result.error
    with pytest.raises(GraphUnreachable):
        autopilot.get(unseen["id"])


def test_the_cache_survives_a_restart_and_refreshes_what_graph_shows(
    sim: SimulatedTenant, tmp_path: Path
) -> None:
    path = tmp_path / "devices.sqlite3"
    now = [10.0]
    autopilot = cached(sim, path, now)
    device_id = sorted(sim.devices)[0]
    autopilot.get(device_id)
    autopilot.autopilot.update(device_id, DeviceChange(group_tag="NEWER"))  # type: ignore[attr-defined]
    now[0] = 20.0
    assert autopilot.get(device_id).group_tag == "NEWER"
    autopilot.cache.close()

    reopened = DeviceCache(path)
    device, seen_at = reopened.by_id(device_id) or (None, 0.0)
    assert device is not None and device.group_tag == "NEWER" and seen_at == 20.0
    reopened.close()


def test_old_and_surplus_devices_are_pruned(tmp_path: Path) -> None:
    now = [0.0]
    cache = DeviceCache(tmp_path / "c.sqlite3", now=lambda: now[0], max_devices=3, max_age=100)
    for n in range(5):
        now[0] = float(n)
        cache.remember([AutopilotDevice(id=f"id-{n}", serial_number=f"SN{n}")])
    assert len(cache) == 3 and cache.by_id("id-0") is None and cache.by_id("id-4") is not None
    now[0] = 150.0
    cache.remember([AutopilotDevice(id="id-9", serial_number="SN9")])
    assert len(cache) == 1 and cache.by_serial("sn9")[0][0].id == "id-9"
    cache.close()


def test_each_tenant_has_its_own_cache_file() -> None:
    demo, real = DeviceCache.for_tenant("contoso.example"), DeviceCache.for_tenant("Fabrikam/x")
    demo.remember([AutopilotDevice(id="demo-1", serial_number="DEMO1")])
    assert real.by_serial("DEMO1") == [] and demo.path != real.path
    assert real.path.name == "devices-fabrikam_x.sqlite3"
    demo.close()
    real.close()


def test_an_offline_look_up_after_a_change_shows_the_verified_values(
    tenant: SimulatedTenant, tmp_path: Path
) -> None:
    """The bench applies a group tag, Wi-Fi drops, the operator scans the same label again:
    the card must show the tag just verified, not the one from before the change."""
    from scanner_app.core.config import Settings
    from scanner_app.core.services import open_services

    settings = Settings.from_mapping({"demo": True})
    device = tenant.devices[sorted(tenant.devices)[0]]
    target = ScanTarget("serial", device["serialNumber"])
    with open_services(settings, simulator=tenant, journal_path=tmp_path / "j.sqlite3") as s:
        before = s.workflow.resolve(target).devices[0]
        assert before.group_tag != "Bench-Offline"
        outcome = s.workflow.apply(before, DeviceChange(group_tag="Bench-Offline"))
        assert outcome.verified, outcome.message
        tenant.stop()
        offline = s.workflow.resolve(target)
    assert isinstance(offline, CachedResolution) and offline.stale
    assert offline.devices[0].group_tag == "Bench-Offline"


# ---- a Graph too slow for the look-up's deadline ---------------------------------------------
def slow_cached(
    tenant: SimulatedTenant, path: Path, clock: FakeClock, deadline: float
) -> tuple[CachedAutopilot, SlowWire]:
    """Look-ups over a wire whose answers take ``wire.seconds`` on ``clock``, each look-up
    limited to ``deadline`` seconds, as services.open_services wires them."""
    session, wire = slow_session(clock, 0.0)
    client = GraphClient(
        tenant.base_url, lambda **kw: tenant.issue_token(), session=session,
        sleep=clock.advance, clock=clock,
    )  # fmt: skip
    autopilot = CachedAutopilot(
        AutopilotService(client),
        DeviceCache(path, now=lambda: 5_000.0),
        lookup_deadline=lambda: client.read_deadline(deadline),
    )
    return autopilot, wire


def test_a_graph_too_slow_for_the_deadline_gives_the_copy_and_says_graph_is_slow(
    sim: SimulatedTenant, tmp_path: Path
) -> None:
    clock = FakeClock()
    autopilot, wire = slow_cached(sim, tmp_path / "devices.sqlite3", clock, deadline=20)
    seen, unseen = (sim.devices[i] for i in sorted(sim.devices)[:2])
    online = autopilot.resolve(ScanTarget("serial", seen["serialNumber"]))
    assert online.kind == "found"

    wire.seconds = 35.0  # Graph now takes 35 s an answer
    started = clock.now
    slow = autopilot.resolve(ScanTarget("serial", seen["serialNumber"]))
    assert clock.now - started == pytest.approx(20)  # not 6 x 30 s
    assert isinstance(slow, CachedResolution) and slow.stale and slow.slow
    assert slow.devices == online.devices and slow.seen_at == 5_000.0
    assert "too slow" in slow.offline_reason

    never = autopilot.resolve(ScanTarget("serial", unseen["serialNumber"]))
    assert never.kind == "error" and not isinstance(never, CachedResolution)
    assert "too slow" in never.error and "No offline copy" in never.error


def test_one_deadline_covers_both_queries_of_a_virtual_machines_serial(
    sim: SimulatedTenant, tmp_path: Path
) -> None:
    """``VMware-56 4d …`` costs two queries (see graph/autopilot.py): the second gets what the
    first left of the deadline, not a deadline of its own."""
    clock = FakeClock()
    autopilot, wire = slow_cached(sim, tmp_path / "devices.sqlite3", clock, deadline=12)
    wire.seconds = 8.0
    started = clock.now
    result = autopilot.resolve(ScanTarget("serial", "VMware-56 4d 2f 11 aa bb"))
    assert result.kind == "error" and "too slow" in result.error
    assert clock.now - started == pytest.approx(12)
    assert wire.timeouts == [pytest.approx(12), pytest.approx(4)]
