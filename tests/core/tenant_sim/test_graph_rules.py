"""Writes: the simulated tenant refuses what Graph refuses, with Graph's status, code and message.

Each rule is shown with raw HTTP (raw_graph.py, not the project's Graph client), and each refused
request leaves the tenant as it was. The last test shows that the client's own writes pass.
Reads ($search, $select, $expand): test_graph_query_rules.py.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.models import DeviceChange
from scanner_app.core.tenant_sim import SimulatedTenant

from .raw_graph import IMPORT, JSON, SYNC, V1, error, first, send, snapshot

HASH = base64.b64encode(b"hardware-hash" * 20).decode()
NO_TYPE = (
    "The request contains an entity body but no Content-Type header. The inferred media type "
    "'application/octet-stream' is not supported for this resource."
)


@pytest.fixture
def tenant() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(validate_contract=True, device_count=4, user_count=4) as t:
        yield t


def action(tenant: SimulatedTenant, name: str) -> str:
    return {"import": IMPORT, "sync": SYNC}.get(name, f"{V1}/{first(tenant)}/{name}")


BODIES = {
    "updateDeviceProperties": {"groupTag": "Lab", "displayName": "BENCH-01"},
    "assignUserToDevice": {"userPrincipalName": "ada@contoso.example", "addressableUserName": ""},
    "import": {
        "importedWindowsAutopilotDeviceIdentities": [
            {
                "@odata.type": "#microsoft.graph.importedWindowsAutopilotDeviceIdentity",
                "serialNumber": "NEW-1",
                "hardwareIdentifier": HASH,
                "groupTag": "Lab",
            }
        ]
    },
}


@pytest.mark.parametrize("name", list(BODIES))
def test_a_write_without_content_type_is_a_415_and_changes_nothing(
    tenant: SimulatedTenant, name: str
) -> None:
    before = snapshot(tenant)
    reply = send(tenant, "POST", action(tenant, name), BODIES[name])
    assert error(reply) == (415, "UnsupportedMediaType", NO_TYPE)
    assert snapshot(tenant) == before
    # The contract check judges the header that was sent: no Content-Type is not JSON.
    assert any("mimetype not found" in v for v in tenant.contract_violations)
    tenant.contract_violations.clear()


@pytest.mark.parametrize("declared", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_write_declared_as_something_else_is_a_415(
    tenant: SimulatedTenant, declared: str
) -> None:
    before = snapshot(tenant)
    body = BODIES["updateDeviceProperties"]
    reply = send(
        tenant, "POST", action(tenant, "updateDeviceProperties"), body, {"Content-Type": declared}
    )
    assert error(reply) == (
        415,
        "UnsupportedMediaType",
        f"The request entity's media type '{declared}' is not supported for this resource.",
    )
    assert snapshot(tenant) == before
    tenant.contract_violations.clear()


@pytest.mark.parametrize(
    "declared", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_json_with_parameters_or_in_any_case_is_accepted(
    tenant: SimulatedTenant, declared: str
) -> None:
    path = action(tenant, "updateDeviceProperties")
    reply = send(tenant, "POST", path, b'{"groupTag": "Lab"}', {"Content-Type": declared})
    assert reply.status_code == 204
    assert tenant.devices[first(tenant)]["groupTag"] == "Lab"


def test_actions_without_a_body_need_no_content_type(tenant: SimulatedTenant) -> None:
    device_id = first(tenant)
    tenant.devices[device_id]["userPrincipalName"] = "ada@contoso.example"
    assert send(tenant, "POST", action(tenant, "unassignUserFromDevice")).status_code == 204
    assert tenant.devices[device_id]["userPrincipalName"] == ""
    assert send(tenant, "POST", SYNC).status_code == 204


@pytest.mark.parametrize("name", list(BODIES))
def test_an_action_that_takes_parameters_refuses_an_empty_payload(
    tenant: SimulatedTenant, name: str
) -> None:
    before = snapshot(tenant)
    reply = send(tenant, "POST", action(tenant, name), headers=JSON)
    assert error(reply) == (400, "BadRequest", "Empty Payload. JSON content expected.")
    assert snapshot(tenant) == before
    tenant.contract_violations.clear()  # the file marks these bodies required


def test_a_body_that_is_not_json_is_refused(tenant: SimulatedTenant) -> None:
    before = snapshot(tenant)
    path = action(tenant, "updateDeviceProperties")
    reply = send(tenant, "POST", path, b"{groupTag: Lab", JSON)
    assert error(reply) == (
        400,
        "BadRequest",
        "Unable to read JSON request payload. Please ensure Content-Type header is set and "
        "payload is of valid JSON format.",
    )
    assert snapshot(tenant) == before
    tenant.contract_violations.clear()


@pytest.mark.parametrize(
    ("name", "segment"),
    [
        ("updateDeviceProperties", "updateDeviceProperties"),
        ("updateDeviceProperties", "microsoft.graph.updateDeviceProperties"),
        ("assignUserToDevice", "assignUserToDevice"),
        ("unassignUserFromDevice", "unassignUserFromDevice"),
        ("import", "import"),
        ("sync", "sync"),
    ],
)
def test_every_action_refuses_a_parameter_graph_does_not_know(
    tenant: SimulatedTenant, name: str, segment: str
) -> None:
    before = snapshot(tenant)
    path = action(tenant, name).rsplit("/", 1)[0] + "/" + segment
    body = {**BODIES.get(name, {}), "colour": "red"}
    reply = send(tenant, "POST", path, body, JSON)
    message = (
        f"The parameter 'colour' in the request payload is not a valid parameter for the "
        f"operation '{name}'."
    )
    assert error(reply) == (400, "ModelValidationFailure", message)
    assert reply.json()["error"]["innerError"]["message"] == message
    assert snapshot(tenant) == before
    tenant.contract_violations.clear()  # the contract says the same (additionalProperties)


@pytest.mark.parametrize(
    ("item", "type_name"),
    [
        ({"colour": "red"}, "importedWindowsAutopilotDeviceIdentity"),
        ({"state": {"colour": "red"}}, "importedWindowsAutopilotDeviceIdentityState"),
    ],
)
def test_an_imported_device_with_an_unknown_property_is_refused(
    tenant: SimulatedTenant, item: dict[str, Any], type_name: str
) -> None:
    body = {"importedWindowsAutopilotDeviceIdentities": [{"serialNumber": "N-2", **item}]}
    reply = send(tenant, "POST", IMPORT, body, JSON)
    assert error(reply) == (
        400,
        "ModelValidationFailure",
        f"The property 'colour' does not exist on type 'microsoft.management.services.api."
        f"{type_name}'. Make sure to only use property names that are defined by the type.",
    )
    assert tenant.store.imports == {}


def test_an_import_as_microsofts_example_sends_it_is_accepted(tenant: SimulatedTenant) -> None:
    body = BODIES["import"]  # "@odata.type" is an annotation, not a parameter
    reply = send(tenant, "POST", IMPORT, body, JSON)
    assert reply.status_code == 200 and reply.json()["value"][0]["serialNumber"] == "NEW-1"


def test_no_authorization_is_a_401_before_anything_else(tenant: SimulatedTenant) -> None:
    before = snapshot(tenant)
    body = BODIES["updateDeviceProperties"]  # and no Content-Type either
    reply = send(tenant, "POST", action(tenant, "updateDeviceProperties"), body, token=False)
    assert error(reply) == (401, "InvalidAuthenticationToken", "Access token is empty.")
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert snapshot(tenant) == before
    tenant.contract_violations.clear()


def test_the_clients_writes_pass_the_strict_tenant(tenant: SimulatedTenant) -> None:
    client = GraphClient(tenant.base_url, lambda **kw: tenant.issue_token(), max_retries=0)
    service = AutopilotService(client, sleep=lambda s: None)
    ids = sorted(tenant.devices)
    tenant.devices[ids[2]]["userPrincipalName"] = "jo@contoso.example"
    service.update(ids[0], DeviceChange(group_tag="Lab", display_name="BENCH-01"))
    service.assign_user(ids[1], "ada@contoso.example", "Ada")
    service.update(ids[2], DeviceChange(user_principal_name=""))  # unassigns: no body
    service.unassign_user(ids[3])
    result = service.import_hardware_hash("NEWSERIAL9", HASH, group_tag="Lab", poll_interval=0)
    service.sync()
    assert tenant.devices[ids[0]]["groupTag"] == "Lab"
    assert tenant.devices[ids[1]]["userPrincipalName"] == "ada@contoso.example"
    assert tenant.devices[ids[2]]["userPrincipalName"] == ""
    assert result.status == "complete"
    writes = [r for r in tenant.requests if r.method == "POST"]
    assert len(writes) == 6
    for r in writes:
        with_body = r.json is not None
        assert (r.header("Content-Type") == "application/json") == with_body, r.path
    assert sum(r.json is not None for r in writes) == 3
    assert tenant.contract_violations == []


def test_a_refused_write_does_not_count_towards_intunes_write_limit() -> None:
    with SimulatedTenant(validate_contract=True, device_count=2, write_limit=(1, 60.0)) as tenant:
        path = action(tenant, "updateDeviceProperties")
        refused = send(tenant, "POST", path, {"groupTag": "A"})  # no Content-Type
        assert refused.status_code == 415
        assert send(tenant, "POST", path, {"groupTag": "A"}, JSON).status_code == 204
        assert send(tenant, "POST", path, {"groupTag": "B"}, JSON).status_code == 429
        tenant.contract_violations.clear()


def test_an_import_of_something_that_is_not_a_device_is_refused(tenant: SimulatedTenant) -> None:
    body = {"importedWindowsAutopilotDeviceIdentities": ["NEW-1"]}
    reply = send(tenant, "POST", IMPORT, body, JSON)
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "BadRequest"
    assert tenant.store.imports == {}
    tenant.contract_violations.clear()
