"""What Graph refuses before any handler runs, each with Graph's status, error code and message.

``SimulatedTenant.serve`` runs ``refusal`` on every request after the injected faults and before
Intune's write limit and the route handlers, so a refused request changes nothing and does not
count as a write. The first rule that objects answers; the order is Graph's (the gateway checks
the token before it reads the body). Where each rule, code and message comes from (Microsoft's
reference pages, public issue threads) is listed in docs/architecture.md, ``core/tenant_sim/``.
``$filter=serialNumber eq`` stays with the device list (graph_api.py): it is Intune's own answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from scanner_app.core.tenant_sim.odata import Reply, odata_error
from scanner_app.core.tenant_sim.profiles import NAVIGATION
from scanner_app.core.tenant_sim.tokens import TokenIssuer

WRITES = frozenset({"POST", "PATCH", "PUT"})
#: Parameters of the actions the app calls (DeviceManagement.Enrollment.yml, v1.0; beta sync's
#: reference page says "Do not supply a request body", as does unassignUserFromDevice's).
ACTION_PARAMETERS: dict[str, frozenset[str]] = {
    "updateDeviceProperties": frozenset(
        {"userPrincipalName", "addressableUserName", "groupTag", "displayName"}
    ),
    "assignUserToDevice": frozenset({"userPrincipalName", "addressableUserName"}),
    "unassignUserFromDevice": frozenset(),
    "import": frozenset({"importedWindowsAutopilotDeviceIdentities"}),
    "sync": frozenset(),
}
#: Actions whose reference page has a request body: sent without one, Graph says "Empty Payload".
NEEDS_BODY = frozenset({"updateDeviceProperties", "assignUserToDevice", "import"})
IMPORTED_PROPERTIES = frozenset(
    {"id", "groupTag", "serialNumber", "productKey", "importId", "hardwareIdentifier"}
    | {"assignedUserPrincipalName", "state"}
)
IMPORT_STATE_PROPERTIES = frozenset(
    {"deviceImportStatus", "deviceRegistrationId", "deviceErrorCode", "deviceErrorName"}
)
#: windowsAutopilotDeviceIdentity in v1.0 (the OpenAPI file): no navigation properties.
V1_PROPERTIES = frozenset(
    {"id", "groupTag", "purchaseOrderIdentifier", "serialNumber", "productKey", "manufacturer"}
    | {"model", "enrollmentState", "lastContactedDateTime", "addressableUserName"}
    | {"userPrincipalName", "resourceName", "skuNumber", "systemFamily", "managedDeviceId"}
    | {"azureActiveDirectoryDeviceId", "displayName"}
)
#: Only in beta (the beta windowsAutopilotDeviceIdentity resource page).
BETA_ONLY_PROPERTIES = frozenset(
    {"deploymentProfileAssignmentStatus", "deploymentProfileAssignmentDetailedStatus"}
    | {"deploymentProfileAssignedDateTime", "remediationState"}
    | {"remediationStateLastModifiedDateTime", "azureAdDeviceId", "deviceAccountUpn"}
    | {"deviceAccountPassword", "deviceFriendlyName", "userlessEnrollmentStatus"}
)
BETA_NAVIGATION = frozenset(NAVIGATION)  # the relationships the simulator serves on beta
DEVICE_TYPE = "microsoft.graph.windowsAutopilotDeviceIdentity"
#: Intune's own namespace for its types, as its ModelValidationFailure messages name them.
INTUNE_IMPORTED_TYPE = "microsoft.management.services.api.importedWindowsAutopilotDeviceIdentity"

_Q = r"(?:microsoft\.graph\.)?"
_ACTIONS = (
    re.compile(r"^/deviceManagement/windowsAutopilotDeviceIdentities/[^/]+/" + _Q + r"(\w+)$"),
    re.compile(r"^/deviceManagement/importedWindowsAutopilotDeviceIdentities/" + _Q + "(import)$"),
    re.compile(r"^/deviceManagement/windowsAutopilotSettings/" + _Q + "(sync)$"),
)
_DEVICE_READ = re.compile(r"^/deviceManagement/windowsAutopilotDeviceIdentities(?:/[^/]+)?$")


@dataclass(frozen=True)
class Incoming:
    """One request as the gateway sees it: header names lower-cased, the body as sent."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    request_id: str

    @property
    def version(self) -> str:
        return self.path.lstrip("/").partition("/")[0]

    @property
    def resource(self) -> str:
        """The path after the version, without a trailing slash (``/users``)."""
        return "/" + self.path.lstrip("/").partition("/")[2].rstrip("/")

    def action(self) -> str | None:
        """The action a POST invokes (``updateDeviceProperties``), or None."""
        if self.method != "POST":
            return None
        for pattern in _ACTIONS:
            if m := pattern.match(self.resource):
                return m.group(1) if m.group(1) in ACTION_PARAMETERS else None
        return None


Rule = Callable[[Incoming], Reply | None]


def bearer_claims(headers: dict[str, str], tokens: TokenIssuer) -> dict[str, Any] | None:
    auth = headers.get("authorization", "")
    return tokens.validate(auth[7:]) if auth.lower().startswith("bearer ") else None


def authentication(req: Incoming, tokens: TokenIssuer) -> Reply | None:
    if bearer_claims(req.headers, tokens) is not None:
        return None
    message = (
        "Access token is empty."
        if not req.headers.get("authorization")
        else "Lifetime validation failed, the token is expired or was not issued for this tenant."
    )
    return odata_error(
        401,
        "InvalidAuthenticationToken",
        message,
        req.request_id,
        headers={"WWW-Authenticate": 'Bearer realm=""'},
    )


def content_type(req: Incoming) -> Reply | None:
    """A write with a body must declare it as JSON (parameters such as charset are fine)."""
    if req.method not in WRITES or not req.body:
        return None
    declared = req.headers.get("content-type")
    if declared is None:
        message = (
            "The request contains an entity body but no Content-Type header. The inferred "
            "media type 'application/octet-stream' is not supported for this resource."
        )
    elif declared.split(";")[0].strip().lower() != "application/json":
        message = (
            f"The request entity's media type '{declared}' is not supported for this resource."
        )
    else:
        return None
    return odata_error(415, "UnsupportedMediaType", message, req.request_id)


def readable_json(req: Incoming) -> Reply | None:
    if req.method not in WRITES or not req.body or isinstance(_json(req.body), dict):
        return None
    return odata_error(
        400,
        "BadRequest",
        "Unable to read JSON request payload. Please ensure Content-Type header is set and "
        "payload is of valid JSON format.",
        req.request_id,
    )


def empty_payload(req: Incoming) -> Reply | None:
    if req.body or req.action() not in NEEDS_BODY:
        return None
    return odata_error(400, "BadRequest", "Empty Payload. JSON content expected.", req.request_id)


def unknown_parameters(req: Incoming) -> Reply | None:
    """Every action body holds only the parameters Graph defines for it (annotations aside)."""
    action = req.action()
    body = _json(req.body) if req.body else None
    if action is None or not isinstance(body, dict):
        return None
    for name in _unknown(body, ACTION_PARAMETERS[action]):
        return _model_validation(
            f"The parameter '{name}' in the request payload is not a valid parameter for the "
            f"operation '{action}'.",
            req.request_id,
        )
    items = body.get("importedWindowsAutopilotDeviceIdentities") if action == "import" else None
    for item in items if isinstance(items, list) else ():
        state = item.get("state") if isinstance(item, dict) else None
        found = [
            *(_unknown(item, IMPORTED_PROPERTIES) if isinstance(item, dict) else ()),
            *(_unknown(state, IMPORT_STATE_PROPERTIES) if isinstance(state, dict) else ()),
        ]
        for name in found:
            kind = INTUNE_IMPORTED_TYPE + ("State" if name not in item else "")
            return _model_validation(
                f"The property '{name}' does not exist on type '{kind}'. Make sure to only "
                "use property names that are defined by the type.",
                req.request_id,
            )
    return None


def search_needs_eventual(req: Incoming) -> Reply | None:
    if req.method != "GET" or req.resource != "/users" or "$search" not in req.query:
        return None
    if req.headers.get("consistencylevel", "").lower() == "eventual":
        return None
    return odata_error(
        400,
        "Request_UnsupportedQuery",
        "Request with $search query parameter only works through MSGraph with a special "
        "request header: 'ConsistencyLevel: eventual'",
        req.request_id,
    )


def select_and_expand(req: Incoming) -> Reply | None:
    """``$select``/``$expand`` name only what this version's Autopilot device type has."""
    if req.method != "GET" or not _DEVICE_READ.match(req.resource):
        return None
    beta = req.version == "beta"
    structural = V1_PROPERTIES | (BETA_ONLY_PROPERTIES if beta else frozenset())
    navigation = BETA_NAVIGATION if beta else frozenset()
    for name in _names(req.query.get("$select", "")):
        if name not in structural | navigation:
            return _select_expand_failed(_not_found(name), req.request_id)
    for name in _names(req.query.get("$expand", "")):
        if name in structural:
            return _select_expand_failed(
                f"Property '{name}' on type '{DEVICE_TYPE}' is not a navigation property or "
                "complex property. Only navigation properties can be expanded.",
                req.request_id,
            )
        if name not in navigation:
            return _select_expand_failed(_not_found(name), req.request_id)
    return None


RULES: tuple[Rule, ...] = (
    content_type,
    readable_json,
    empty_payload,
    unknown_parameters,
    search_needs_eventual,
    select_and_expand,
)


def refusal(req: Incoming, tokens: TokenIssuer) -> Reply | None:
    """Graph's answer when it refuses ``req`` before any handler runs, else None."""
    found = authentication(req, tokens)
    for rule in RULES:
        if found is not None:
            break
        found = rule(req)
    return found


# -- helpers ------------------------------------------------------------------------------------
def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:  # UnicodeDecodeError is a ValueError too
        return None


def _unknown(obj: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    known = set(allowed)
    return [k for k in obj if k not in known and "@" not in k]  # "@odata.type" is an annotation


def _model_validation(message: str, request_id: str) -> Reply:
    """Intune's 400 for a payload its model does not describe (message repeated inside)."""
    reply = odata_error(400, "ModelValidationFailure", message, request_id)
    reply.body["error"]["innerError"]["message"] = message
    return reply


def _names(option: str) -> list[str]:
    """Top-level item names of a ``$select``/``$expand`` value (nested options skipped)."""
    names, depth, current = [], 0, ""
    for ch in option + ",":
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            name = re.split(r"[(/]", current.strip(), maxsplit=1)[0].strip()
            if name and name != "*":
                names.append(name)
            current = ""
        else:
            current += ch
    return names


def _not_found(name: str) -> str:
    return f"Could not find a property named '{name}' on type '{DEVICE_TYPE}'."


def _select_expand_failed(detail: str, request_id: str) -> Reply:
    return odata_error(
        400, "BadRequest", "Parsing OData Select and Expand failed: " + detail, request_id
    )
