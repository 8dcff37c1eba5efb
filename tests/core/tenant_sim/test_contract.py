"""The contract check catches what Graph would reject, and passes what the client sends."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.users import UserDirectory
from scanner_app.core.models import DeviceChange, ScanTarget
from scanner_app.core.tenant_sim import SimulatedTenant, graph_rules
from scanner_app.core.tenant_sim.contract import ContractValidator, default_contract_path
from tests.conftest import CONTRACT

DEVICES = "/deviceManagement/windowsAutopilotDeviceIdentities"


@pytest.fixture
def tenant() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(validate_contract=True, contract_path=CONTRACT) as t:
        yield t


@pytest.fixture
def client(tenant: SimulatedTenant) -> GraphClient:
    return GraphClient(tenant.base_url, lambda: tenant.issue_token(), sleep=lambda s: None)


def test_an_invented_property_in_an_update_is_a_violation(
    tenant: SimulatedTenant, client: GraphClient
) -> None:
    device_id = next(iter(tenant.devices))
    try:
        client.post(
            f"{DEVICES}/{device_id}/updateDeviceProperties", {"groupTag": "A", "colour": "red"}
        )
    except Exception:  # noqa: BLE001 - Graph answers 400 too; the violation is what counts
        pass
    assert len(tenant.contract_violations) == 1
    assert "updateDeviceProperties" in tenant.contract_violations[0]
    assert "colour" in tenant.contract_violations[0] or "additional" in (
        tenant.contract_violations[0].lower()
    )
    tenant.contract_violations.clear()


def test_a_wrongly_typed_query_parameter_is_a_violation(
    tenant: SimulatedTenant, client: GraphClient
) -> None:
    try:
        client.get(DEVICES, {"$top": "lots"})
    except Exception:  # noqa: BLE001
        pass
    assert any("$top" in v for v in tenant.contract_violations)
    tenant.contract_violations.clear()


def test_a_response_the_schema_forbids_is_a_violation(
    tenant: SimulatedTenant, client: GraphClient
) -> None:
    device_id = next(iter(tenant.devices))
    tenant.devices[device_id]["enrollmentState"] = "halfEnrolled"
    client.get(f"{DEVICES}/{device_id}")
    assert any("halfEnrolled" in v for v in tenant.contract_violations)
    tenant.contract_violations.clear()


def test_everything_the_client_sends_passes(tenant: SimulatedTenant, client: GraphClient) -> None:
    service = AutopilotService(client, sleep=lambda s: None)
    devices = list(tenant.devices.values())
    service.resolve(ScanTarget("serial", devices[0]["serialNumber"]))
    service.resolve(ScanTarget("ztd_id", devices[1]["id"]))
    service.find_by_serial("X' or 1 eq 1 or '")
    service.find_by_serial(devices[6]["serialNumber"])
    service.update(devices[2]["id"], DeviceChange(group_tag="Lab", display_name="BENCH-01"))
    service.update(
        devices[3]["id"],
        DeviceChange(user_principal_name="ada@contoso.example", addressable_user_name="Ada"),
    )
    service.update(devices[4]["id"], DeviceChange(user_principal_name=""))
    service.assign_user(devices[5]["id"], "jo@contoso.example")
    service.group_tags_in_use()
    blob = base64.b64encode(b"hash" * 64).decode()
    service.import_hardware_hash("NEWSERIAL9", blob, group_tag="Lab", poll_interval=0)
    service.sync()
    UserDirectory(client).search("jo")
    with pytest.raises(Exception):  # noqa: B017 - a 404 answer is checked against the contract too
        service.get("00000000-0000-4000-8000-000000000000")
    covered = [r for r in tenant.requests if r.path.startswith("/v1.0/deviceManagement")]
    assert len(covered) >= 12
    assert tenant.contract_violations == []


def test_paths_the_file_does_not_cover_are_not_judged() -> None:
    validator = ContractValidator(CONTRACT)
    assert validator.check_request("GET", "/v1.0/users", {"$top": "x"}, {}, b"") == []
    assert validator.check_request("POST", "/beta/anything", {}, {}, b"{}") == []


def test_the_vendored_copy_is_found_without_the_shared_folder() -> None:
    assert default_contract_path() == CONTRACT
    assert CONTRACT.read_bytes().startswith(b"openapi: 3.0.4")


def test_a_body_is_judged_by_the_content_type_that_was_sent() -> None:
    validator = ContractValidator(CONTRACT)
    path = f"/v1.0{DEVICES}/abc/updateDeviceProperties"
    body = b'{"groupTag": "Lab"}'
    assert (
        validator.check_request("POST", path, {}, {"Content-Type": "application/json"}, body) == []
    )
    charset = {"content-type": "Application/JSON; charset=utf-8"}
    assert validator.check_request("POST", path, {}, charset, body) == []
    missing = validator.check_request("POST", path, {}, {}, body)
    assert len(missing) == 1 and "mimetype not found" in missing[0]  # not taken for JSON
    assert validator.check_request("POST", path + "x", {}, {}, b"") == []  # not in the file


def test_the_rules_know_what_microsofts_file_defines() -> None:
    """graph_rules.py's parameter and property names are those of the OpenAPI file."""
    import yaml

    spec = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    schemas, paths = spec["components"]["schemas"], spec["paths"]

    def properties(name: str) -> set[str]:
        """Own properties, and the entity's ``id`` for an entity type (``allOf: [entity, ...]``)."""
        schema = schemas[f"microsoft.graph.{name}"]
        parts = [
            schemas[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
            for p in schema.get("allOf", [schema])
        ]
        return {prop for part in parts for prop in part.get("properties", {})}

    for action, expected in graph_rules.ACTION_PARAMETERS.items():
        found = [op for key, op in paths.items() if key.endswith(f"microsoft.graph.{action}")]
        if action == "sync":  # beta only: not in the v1.0 file (its page: no request body)
            assert found == []
            continue
        body = found[0]["post"].get("requestBody", {})
        schema = body.get("content", {}).get("application/json", {}).get("schema", {})
        assert set(schema.get("properties", {})) == expected, action
    assert properties("windowsAutopilotDeviceIdentity") == graph_rules.V1_PROPERTIES
    assert properties("importedWindowsAutopilotDeviceIdentity") == graph_rules.IMPORTED_PROPERTIES
    state = properties("importedWindowsAutopilotDeviceIdentityState")
    assert state == graph_rules.IMPORT_STATE_PROPERTIES
    assert not graph_rules.BETA_ONLY_PROPERTIES & graph_rules.V1_PROPERTIES


def test_the_tenant_the_app_starts_for_itself_in_a_test_checks_the_contract(
    tmp_path: Path,
) -> None:
    """A test's own tenants say validate_contract=True; the demo's, which the app starts
    in-process, validates too (tests/conftest.py); saying False still turns it off."""
    from scanner_app.core.config import Settings
    from scanner_app.core.services import open_services

    settings = Settings.from_mapping({"demo": True})
    with open_services(settings, journal_path=tmp_path / "j.sqlite3") as services:
        assert services.simulator.validator is not None
    assert SimulatedTenant(device_count=1, validate_contract=False).validator is None
