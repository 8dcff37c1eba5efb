"""The simulated tenant refuses device writes past Intune's per-app limit, as Intune does, and a
stopped tenant really stops answering (an outage the outbox must ride out)."""

from __future__ import annotations

import pytest
import requests

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.errors import Throttled
from scanner_app.core.models import DeviceChange
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.tenant_sim.write_limit import INTUNE_WRITE_LIMIT, WriteLimit

DEVICES = "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities"


def service(tenant: SimulatedTenant) -> AutopilotService:
    client = GraphClient(tenant.base_url, lambda **kw: tenant.issue_token(), max_retries=0)
    return AutopilotService(client)


def test_the_101st_write_in_20_seconds_is_refused_until_the_window_moves() -> None:
    now = [1000.0]
    with SimulatedTenant(validate_contract=True, device_count=3, clock=lambda: now[0],
                         write_limit=INTUNE_WRITE_LIMIT) as tenant:  # fmt: skip
        autopilot = service(tenant)
        device_id = sorted(tenant.devices)[0]
        for n in range(100):
            now[0] += 0.1  # 100 writes in 10 s
            autopilot.update(device_id, DeviceChange(group_tag=f"T{n}"))
        now[0] += 5.0  # 15 s after the first write: still inside the window
        with pytest.raises(Throttled) as refused:
            autopilot.update(device_id, DeviceChange(group_tag="ONE-TOO-MANY"))
        assert refused.value.status == 429
        assert refused.value.retry_after == 6.0  # the first write leaves the window in 5.1 s
        assert tenant.applied_updates(device_id) == 100  # the refused write changed nothing
        autopilot.get(device_id)  # reads are not limited
        now[0] += 5.1
        autopilot.update(device_id, DeviceChange(group_tag="AFTER"))
        assert tenant.applied_updates(device_id) == 101
        assert tenant.write_limit is not None
        assert (tenant.write_limit.accepted, tenant.write_limit.refused) == (101, 1)


def test_without_a_limit_the_tenant_takes_every_write() -> None:
    now = [0.0]
    with SimulatedTenant(validate_contract=True, device_count=2, clock=lambda: now[0]) as tenant:
        autopilot = service(tenant)
        device_id = sorted(tenant.devices)[0]
        for n in range(120):
            autopilot.update(device_id, DeviceChange(group_tag=f"T{n}"))
        assert tenant.write_limit is None and tenant.applied_updates(device_id) == 120


def test_only_device_writes_count() -> None:
    assert WriteLimit.applies_to("POST", DEVICES + "/abc/updateDeviceProperties")
    assert not WriteLimit.applies_to("GET", DEVICES + "/abc")
    assert not WriteLimit.applies_to("POST", "/beta/deviceManagement/windowsAutopilotSettings/sync")
    assert WriteLimit.retry_after(0.25) == "0.25" and WriteLimit.retry_after(5.1) == "6"
    with pytest.raises(ValueError):
        WriteLimit(0, 20.0, clock=lambda: 0.0)


def test_a_stopped_tenant_answers_nothing_on_a_kept_alive_connection() -> None:
    tenant = SimulatedTenant(validate_contract=True, device_count=2)
    tenant.start()
    port = int(tenant.base_url.rsplit(":", 1)[1])
    session = requests.Session()
    headers = {"Authorization": "Bearer " + tenant.issue_token()}
    try:
        assert session.get(tenant.base_url + DEVICES, headers=headers, timeout=5).ok
        tenant.stop()
        with pytest.raises(requests.ConnectionError):  # not an answer from a ghost server
            session.get(tenant.base_url + DEVICES, headers=headers, timeout=5)
        tenant.start(port=port)
        assert session.get(tenant.base_url + DEVICES, headers=headers, timeout=5).ok
    finally:
        tenant.stop()
        session.close()
