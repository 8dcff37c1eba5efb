"""Raw HTTP to the simulated tenant (``requests``, not the project's Graph client), for the tests
that show what Graph refuses: exactly the headers and bytes given are sent."""

from __future__ import annotations

import copy
import json
from typing import Any

import requests

from scanner_app.core.tenant_sim import SimulatedTenant

V1 = "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities"
BETA = "/beta/deviceManagement/windowsAutopilotDeviceIdentities"
IMPORT = "/v1.0/deviceManagement/importedWindowsAutopilotDeviceIdentities/import"
SYNC = "/beta/deviceManagement/windowsAutopilotSettings/sync"
JSON = {"Content-Type": "application/json"}


def send(
    tenant: SimulatedTenant,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    *,
    token: bool = True,
    **params: str,
) -> requests.Response:
    """``body`` goes out as given (bytes), or JSON-encoded, with no Content-Type unless given."""
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {tenant.issue_token()}"
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    return requests.request(
        method, tenant.base_url + path, data=data, headers=sent, params=params, timeout=5
    )


def error(reply: requests.Response) -> tuple[int, str, str]:
    """(status, error.code, error.message) of an ODataError answer."""
    err = reply.json()["error"]
    assert err["innerError"]["request-id"] == reply.headers["request-id"]
    return reply.status_code, err["code"], err["message"]


def snapshot(tenant: SimulatedTenant) -> Any:
    """Everything a write could change: devices, applied-write counts, imports."""
    return copy.deepcopy((tenant.devices, tenant.store.applied, tenant.store.imports))


def first(tenant: SimulatedTenant) -> str:
    return sorted(tenant.devices)[0]
