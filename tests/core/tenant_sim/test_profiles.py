"""The simulated tenant's Autopilot profile assignment: on beta only, as Graph serves it, and
moving from pending to assigned some time after a group tag changes (on its injected clock)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.tenant_sim.profiles import ASSIGN_DELAY_SECONDS
from tests.conftest import CONTRACT
from tests.core.graph.conftest import FakeClock

PATH = "/deviceManagement/windowsAutopilotDeviceIdentities"
#: On the beta resource page, not in v1.0's (../shared/contracts/docs/README.md).
BETA_ONLY_PROPERTIES = {
    "deploymentProfileAssignmentStatus",
    "deploymentProfileAssignmentDetailedStatus",
    "deploymentProfileAssignedDateTime",
    "remediationState",
    "remediationStateLastModifiedDateTime",
}
EXPAND = {"$expand": "deploymentProfile,intendedDeploymentProfile"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tenant(clock: FakeClock) -> Iterator[SimulatedTenant]:
    with SimulatedTenant(validate_contract=True, contract_path=CONTRACT, clock=clock) as t:
        yield t
        assert not t.contract_violations, t.contract_violations


def call(
    tenant: SimulatedTenant, method: str, path: str, params: dict[str, str] | None = None, **kw: Any
) -> requests.Response:
    headers = {"Authorization": f"Bearer {tenant.issue_token()}"}
    if "json" in kw:
        headers["Content-Type"] = "application/json"
    return requests.request(
        method, tenant.base_url + path, params=params, headers=headers, timeout=5, **kw
    )


def beta(tenant: SimulatedTenant, device_id: str) -> dict[str, Any]:
    reply = call(tenant, "GET", f"/beta{PATH}/{device_id}", EXPAND)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def tag(tenant: SimulatedTenant, device_id: str, group_tag: str) -> None:
    reply = call(
        tenant,
        "POST",
        f"/v1.0{PATH}/{device_id}/updateDeviceProperties",
        json={"groupTag": group_tag},
    )
    assert reply.status_code == 204, reply.text


def first(tenant: SimulatedTenant, **wanted: str) -> str:
    return next(
        i for i, d in tenant.devices.items() if all(d.get(k) == v for k, v in wanted.items())
    )


def test_v1_objects_carry_no_beta_property_and_beta_objects_carry_them(
    tenant: SimulatedTenant,
) -> None:
    device_id = first(tenant, groupTag="Kiosk")
    v1 = call(tenant, "GET", f"/v1.0{PATH}/{device_id}").json()
    listed = call(tenant, "GET", f"/v1.0{PATH}").json()["value"]
    for obj in [v1, *listed]:
        assert not (BETA_ONLY_PROPERTIES | {"deploymentProfile"}) & set(obj)
    on_beta = beta(tenant, device_id)
    assert BETA_ONLY_PROPERTIES <= set(on_beta)
    assert on_beta["deploymentProfileAssignmentStatus"] == "assignedInSync"
    assert on_beta["deploymentProfile"]["displayName"] == "Kiosk"
    assert on_beta["deploymentProfile"]["@odata.type"].endswith("WindowsAutopilotDeploymentProfile")
    assert on_beta["remediationState"] == "noRemediationRequired"
    # The list on beta carries them too (Graph's beta list is where scripts usually read them).
    beta_list = call(tenant, "GET", f"/beta{PATH}", {"$top": "5"}).json()["value"]
    assert all("deploymentProfileAssignmentStatus" in d for d in beta_list)


def test_the_seed_holds_the_states_a_bench_meets(tenant: SimulatedTenant) -> None:
    states = {i: beta(tenant, i) for i in tenant.devices}
    status = {i: s["deploymentProfileAssignmentStatus"] for i, s in states.items()}
    names = {(s["deploymentProfile"] or {}).get("displayName") for s in states.values()}
    assert {"Kiosk", "Staff laptop"} <= names
    assert {"assignedInSync", "notAssigned", "failed"} <= set(status.values())
    untagged = [i for i, d in tenant.devices.items() if not d["groupTag"]]
    assert untagged and all(status[i] == "notAssigned" for i in untagged)
    manual = [s for s in states.values() if s["remediationState"] == "manualRemediationRequired"]
    assert len(manual) == 1  # the old record of the board swapped and re-imported
    twice = [d for d in tenant.devices.values() if d["serialNumber"] == manual[0]["serialNumber"]]
    assert len(twice) == 2
    # A virtual machine cannot take a self-deploying profile (no TPM 2.0).
    failed = next(s for s in states.values() if s["deploymentProfileAssignmentStatus"] == "failed")
    assert failed["model"] == "Virtual Machine"
    assert failed["deploymentProfileAssignmentDetailedStatus"] == "hardwareRequirementsNotMet"
    assert failed["intendedDeploymentProfile"]["displayName"] == "Shared device"


def test_a_new_tag_is_pending_then_assigned_after_the_delay(
    tenant: SimulatedTenant, clock: FakeClock
) -> None:
    device_id = first(tenant, groupTag="Kiosk", model="OptiPlex 7010")
    tag(tenant, device_id, "Sales")
    pending = beta(tenant, device_id)
    assert pending["deploymentProfileAssignmentStatus"] == "pending"
    assert pending["deploymentProfile"] is None
    assert pending["intendedDeploymentProfile"]["displayName"] == "Staff laptop"
    clock.advance(ASSIGN_DELAY_SECONDS - 0.1)
    assert beta(tenant, device_id)["deploymentProfileAssignmentStatus"] == "pending"
    clock.advance(0.1)
    assigned = beta(tenant, device_id)
    assert assigned["deploymentProfileAssignmentStatus"] == "assignedInSync"
    assert assigned["deploymentProfile"]["displayName"] == "Staff laptop"
    assert assigned["deploymentProfileAssignedDateTime"] != "0001-01-01T00:00:00Z"


def test_a_tag_that_leads_nowhere_ends_not_assigned_and_the_same_profile_stays(
    tenant: SimulatedTenant, clock: FakeClock
) -> None:
    sales = first(tenant, groupTag="Sales")
    tag(tenant, sales, "Finance")  # the same profile: nothing to re-assign
    assert beta(tenant, sales)["deploymentProfileAssignmentStatus"] == "assignedInSync"
    tag(tenant, sales, "Warehouse")
    assert beta(tenant, sales)["deploymentProfileAssignmentStatus"] == "pending"
    clock.advance(ASSIGN_DELAY_SECONDS)
    gone = beta(tenant, sales)
    assert gone["deploymentProfileAssignmentStatus"] == "notAssigned"
    assert gone["deploymentProfile"] is None and gone["intendedDeploymentProfile"] is None


def test_the_delay_is_a_setting(tenant: SimulatedTenant, clock: FakeClock) -> None:
    tenant.store.profiles.delay = 60.0
    device_id = first(tenant, groupTag="")
    tag(tenant, device_id, "Kiosk")
    clock.advance(59)
    assert beta(tenant, device_id)["deploymentProfileAssignmentStatus"] == "pending"
    clock.advance(1)
    assert beta(tenant, device_id)["deploymentProfile"]["displayName"] == "Kiosk"


def test_expand_takes_a_nested_select_and_refuses_what_is_not_a_relationship(
    tenant: SimulatedTenant,
) -> None:
    device_id = first(tenant, groupTag="Kiosk")
    url = f"/beta{PATH}/{device_id}"
    narrow = call(
        tenant,
        "GET",
        url,
        {
            "$select": "id,deploymentProfileAssignmentStatus",
            "$expand": "deploymentProfile($select=id,displayName)",
        },
    ).json()
    assert set(narrow) == {
        "@odata.type",
        "id",
        "deploymentProfileAssignmentStatus",
        "deploymentProfile",
    }
    assert set(narrow["deploymentProfile"]) == {"@odata.type", "id", "displayName"}
    wrong = call(tenant, "GET", url, {"$expand": "assignedDevices"})
    assert wrong.status_code == 400
    assert "assignedDevices" in wrong.json()["error"]["message"]
