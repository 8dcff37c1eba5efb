"""The simulated tenant itself: tokens, scopes, quirks, fault switching, request records."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.tenant_sim.faults import FaultInjector, parse
from scanner_app.core.tenant_sim.tokens import TokenIssuer
from tests.conftest import CONTRACT

DEVICES = "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities"


@pytest.fixture
def tenant() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(device_count=12, validate_contract=True, contract_path=CONTRACT) as t:
        yield t
        assert not t.contract_violations, t.contract_violations


def get(
    tenant: SimulatedTenant, path: str, token: str | None = None, **kw: object
) -> requests.Response:
    headers = dict(kw.pop("headers", {}) or {})  # type: ignore[call-overload]
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.get(tenant.base_url + path, headers=headers, timeout=5, **kw)  # type: ignore[arg-type]


def test_tokens_expire_and_only_this_issuer_counts() -> None:
    now = [1_000_000.0]
    issuer = TokenIssuer(clock=lambda: now[0])
    token = issuer.issue("ada@contoso.example", ["User.ReadBasic.All"], 60)
    claims = issuer.validate(token)
    assert (
        claims and claims["upn"] == "ada@contoso.example" and claims["scp"] == "User.ReadBasic.All"
    )
    assert TokenIssuer(clock=lambda: now[0]).validate(token) is None
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert issuer.validate(tampered) is None
    now[0] += 61
    assert issuer.validate(token) is None


def test_graph_answers_401_without_a_valid_token(tenant: SimulatedTenant) -> None:
    missing = get(tenant, DEVICES)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "InvalidAuthenticationToken"
    expired = get(tenant, DEVICES, tenant.issue_token(lifetime=-1))
    assert expired.status_code == 401 and expired.headers["request-id"]


def test_a_token_without_the_intune_scope_gets_403(tenant: SimulatedTenant) -> None:
    reply = get(tenant, DEVICES, tenant.issue_token(scopes=["User.ReadBasic.All"]))
    assert reply.status_code == 403
    assert "DeviceManagementServiceConfig" in reply.json()["error"]["message"]


def test_next_links_do_not_carry_the_consistency_header(tenant: SimulatedTenant) -> None:
    token = tenant.issue_token()
    first = get(
        tenant,
        "/v1.0/users",
        token,
        params={"$search": '"displayName:a"', "$top": "2"},
        headers={"ConsistencyLevel": "eventual"},
    )
    assert first.status_code == 200
    link = first.json()["@odata.nextLink"]
    again = requests.get(link, headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert again.status_code == 400
    assert "ConsistencyLevel" in again.json()["error"]["message"]


def test_sync_exists_only_in_beta(tenant: SimulatedTenant) -> None:
    token = tenant.issue_token()
    url = "/deviceManagement/windowsAutopilotSettings/sync"
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        requests.post(tenant.base_url + "/v1.0" + url, headers=headers, timeout=5).status_code
        == 400
    )
    assert (
        requests.post(tenant.base_url + "/beta" + url, headers=headers, timeout=5).status_code
        == 204
    )


def test_faults_switch_on_and_off_at_run_time(tenant: SimulatedTenant) -> None:
    token = tenant.issue_token()
    tenant.faults.throttle(count=None, retry_after=9, path="*/windowsAutopilotDeviceIdentities")
    assert get(tenant, DEVICES, token).status_code == 429
    assert get(tenant, DEVICES, token).headers["Retry-After"] == "9"
    assert get(tenant, "/v1.0/users", token).status_code == 200  # other paths unaffected
    tenant.faults.clear()
    assert get(tenant, DEVICES, token).status_code == 200
    tenant.faults.malformed(count=1)
    with pytest.raises(ValueError):
        get(tenant, DEVICES, token).json()


def test_every_request_is_recorded_with_its_decoded_query(tenant: SimulatedTenant) -> None:
    get(tenant, DEVICES, tenant.issue_token(), params={"$filter": "contains(serialNumber,'a b')"})
    record = tenant.requests[-1]
    assert (record.method, record.path) == ("GET", DEVICES)
    assert record.query == {"$filter": "contains(serialNumber,'a b')"}
    assert record["path"] == DEVICES and record.header("authorization")


def test_fault_specs_from_the_command_line() -> None:
    assert parse("429:count=3:retry_after=2") == ("throttle", {"count": 3, "retry_after": 2.0})
    assert parse("503") == ("error", {"status": 503})
    assert parse("latency:ms=250") == ("latency", {"latency_ms": 250.0, "count": None})
    assert parse("drop:path=*/users*:count=inf") == ("drop", {"path": "*/users*", "count": None})
    with pytest.raises(ValueError):
        parse("explode")
    injector = FaultInjector()
    kind, options = parse("503:count=1:method=POST")
    injector.add(kind, **options)
    assert injector.take("GET", "/v1.0/users") == (0.0, None)
    delay, fault = injector.take("POST", "/v1.0/x")
    assert fault is not None and fault.status == 503
    assert injector.take("POST", "/v1.0/x") == (0.0, None)


def test_stop_ends_open_keep_alive_connections() -> None:
    import threading

    tenant = SimulatedTenant(validate_contract=True, device_count=2)
    tenant.start()
    before = set(threading.enumerate())
    session = requests.Session()
    session.get(tenant.base_url + DEVICES, timeout=5)  # leaves a keep-alive connection open
    handlers = [t for t in threading.enumerate() if t not in before]
    assert handlers  # the connection's handler thread is waiting for the next request
    tenant.stop()
    for thread in handlers:
        thread.join(timeout=2)
    assert not any(t.is_alive() for t in handlers)
    session.close()
