"""The Graph v1.0/beta subset the app uses, answering the way Graph does (quirks included).

Quirks reproduced on purpose, because the client must cope with each on a real tenant:
- ``$filter=serialNumber eq '…'`` on Autopilot devices is a 400; only ``contains`` works, and it
  is a case-insensitive *substring* match. With ``hyphen_quirk`` (default on), a ``contains``
  literal holding a hyphen or a space matches nothing, as reported in
  msgraph-sdk-powershell#2464.
- Paging through ``@odata.nextLink`` (an opaque ``$skiptoken``); request headers are not carried
  into the link, so ``$search`` pages need ``ConsistencyLevel: eventual`` sent again.
- ``$search`` on users without ``ConsistencyLevel: eventual`` is a 400 (graph_rules.py, with the
  other refusals Graph makes before a handler runs); ``$count=true`` without it is ignored.
- Writes show up in reads only after the store's consistency delay.
- Autopilot sync (beta only): 204, then 409 while the sync runs, 429 until ten minutes passed.
- Beta-only properties (profile assignment, ``remediationState``) and the relationships
  ``deploymentProfile``/``intendedDeploymentProfile`` (``$expand``) exist on beta only; v1.0
  objects never carry them, and ``$expand`` on v1.0 is a 400 (see ``profiles.py``).
- Errors are ODataError bodies with ``innerError.request-id``; Intune's own errors put a JSON
  document inside ``error.message``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from scanner_app.core.tenant_sim.imports_api import ImportsApi
from scanner_app.core.tenant_sim.odata import (
    Ctx,
    ExpandError,
    Reply,
    odata_error,
    page,
    parse_expand,
    select,
)
from scanner_app.core.tenant_sim.profiles import NAVIGATION
from scanner_app.core.tenant_sim.store import TenantStore
from scanner_app.core.tenant_sim.users_api import UsersApi

__all__ = ["GraphApi", "Reply", "odata_error"]

SYNC_RUNNING_SECONDS = 60.0
SYNC_INTERVAL_SECONDS = 600.0
WRITE_SCOPES = {"DeviceManagementServiceConfig.ReadWrite.All"}
READ_SCOPES = WRITE_SCOPES | {"DeviceManagementServiceConfig.Read.All"}
USER_SCOPES = {"User.ReadBasic.All", "User.Read.All", "Directory.Read.All"}

_DEVICES = "/deviceManagement/windowsAutopilotDeviceIdentities"
_IMPORTS = "/deviceManagement/importedWindowsAutopilotDeviceIdentities"
_LITERAL = r"'((?:[^']|'')*)'"
_CONTAINS = re.compile(r"^\s*contains\(\s*serialNumber\s*,\s*" + _LITERAL + r"\s*\)\s*$")
_EQ = re.compile(r"\bserialNumber\s+eq\s+", re.I)
_ACTION = re.compile(r"^(?:microsoft\.graph\.)?(\w+)$")


class GraphApi(UsersApi, ImportsApi):
    """Routes one decoded request to a handler; knows nothing about sockets."""

    def __init__(
        self,
        store: TenantStore,
        *,
        clock: Callable[[], float],
        hyphen_quirk: bool = True,
        page_size: int = 100,
        import_polls: int = 2,
    ) -> None:
        self.store = store
        self.clock = clock
        self.hyphen_quirk = hyphen_quirk
        self.page_size = page_size
        self.import_polls = import_polls
        self.last_sync: float | None = None
        self.sync_count = 0

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: Any,
        base_url: str,
        request_id: str,
        scopes: set[str],
    ) -> Reply:
        """``scopes``: those of the caller's token, which graph_rules.py has already checked."""
        version, _, rest = path.lstrip("/").partition("/")
        if version not in ("v1.0", "beta"):
            return odata_error(400, "BadRequest", "Invalid version: " + version, request_id)
        rest = "/" + rest.rstrip("/")
        ctx = Ctx(method, version, rest, query, headers, body, base_url, request_id, scopes)
        if rest == _DEVICES and method == "GET":
            return self._need(ctx, READ_SCOPES) or self.list_devices(ctx)
        if rest.startswith(_DEVICES + "/"):
            parts = rest[len(_DEVICES) + 1 :].split("/")
            if len(parts) == 1 and method == "GET":
                return self._need(ctx, READ_SCOPES) or self.get_device(ctx, parts[0])
            action = _ACTION.match(parts[1]) if len(parts) == 2 else None
            if action and method == "POST":
                return self._need(ctx, WRITE_SCOPES) or self.device_action(
                    ctx, parts[0], action.group(1)
                )
        if rest.startswith("/deviceManagement/windowsAutopilotSettings/") and method == "POST":
            action = _ACTION.match(rest.rsplit("/", 1)[1])
            if version == "beta" and action and action.group(1) == "sync":
                return self._need(ctx, WRITE_SCOPES) or self.sync(ctx)
        if rest == "/users" and method == "GET":
            return self._need(ctx, USER_SCOPES) or self.list_users(ctx)
        if rest.startswith(_IMPORTS + "/"):
            tail = rest[len(_IMPORTS) + 1 :]
            if method == "POST" and _ACTION.match(tail) and tail.endswith("import"):
                return self._need(ctx, WRITE_SCOPES) or self.import_devices(ctx)
            if method == "GET" and "/" not in tail:
                return self._need(ctx, READ_SCOPES) or self.get_import(ctx, tail)
        segment = rest.strip("/").split("/")[-1]
        return odata_error(
            400, "BadRequest", f"Resource not found for the segment '{segment}'.", request_id
        )

    @staticmethod
    def _need(ctx: Ctx, scopes: set[str]) -> Reply | None:
        if ctx.scopes & scopes:
            return None
        return odata_error(
            403,
            "Forbidden",
            "Application is not authorized to perform this "
            "operation. Application must have one of the following scopes: "
            + ", ".join(sorted(scopes)),
            ctx.request_id,
            intune=True,
        )

    # -- Autopilot devices --------------------------------------------------------------------
    def list_devices(self, ctx: Ctx) -> Reply:
        flt = ctx.query.get("$filter", "")
        if not flt:
            found = self.store.all_devices()
        elif m := _CONTAINS.match(flt):
            literal = m.group(1).replace("''", "'")
            if self.hyphen_quirk and ("-" in literal or " " in literal):
                found = []
            else:
                found = self.store.serial_contains(literal)
        elif _EQ.search(flt):
            return odata_error(
                400,
                "BadRequest",
                "Filtering on serialNumber with the 'eq' "
                "operator is not supported; use contains(serialNumber,'...')",
                ctx.request_id,
                intune=True,
            )
        else:
            return odata_error(
                400,
                "BadRequest",
                f"Invalid filter clause: {flt[:100]}",
                ctx.request_id,
                intune=True,
            )
        shown = self._version_view(ctx)
        if isinstance(shown, Reply):
            return shown
        view, expanded = shown
        return page(
            ctx,
            found,
            "deviceManagement/windowsAutopilotDeviceIdentities",
            1000,
            self.page_size,
            view,
            expanded,
        )

    def get_device(self, ctx: Ctx, device_id: str) -> Reply:
        device = self.store.visible(device_id)
        if device is None:
            return self._no_device(ctx, device_id)
        shown = self._version_view(ctx)
        if isinstance(shown, Reply):
            return shown
        view, expanded = shown
        return Reply(200, select(view(device), ctx.query.get("$select", ""), expanded))

    def _version_view(
        self, ctx: Ctx
    ) -> tuple[Callable[[dict[str, Any]], dict[str, Any]], list[str]] | Reply:
        """How a device reads on this version: v1.0 as stored; beta with its profile assignment
        and remediation, plus the relationships ``$expand`` asks for. (v1.0 has none.)"""
        navigation = NAVIGATION if ctx.version == "beta" else ()
        try:
            wanted = parse_expand(
                ctx.query.get("$expand", ""), "windowsAutopilotDeviceIdentity", navigation
            )
        except ExpandError as err:
            return odata_error(400, "BadRequest", str(err), ctx.request_id)
        if ctx.version != "beta":
            return dict, []
        profiles = self.store.profiles

        def beta(device: dict[str, Any]) -> dict[str, Any]:
            shown = {**device, **profiles.beta_fields(device["id"])}
            for name, fields in wanted.items():
                related = profiles.related(device["id"], name)
                shown[name] = None if related is None else select(related, fields)
            return shown

        return beta, list(wanted)

    def _no_device(self, ctx: Ctx, device_id: str) -> Reply:
        return odata_error(
            404,
            "ResourceNotFound",
            f"No windowsAutopilotDeviceIdentity with id '{device_id[:64]}' was found.",
            ctx.request_id,
            intune=True,
        )

    def device_action(self, ctx: Ctx, device_id: str, action: str) -> Reply:
        if self.store.devices.get(device_id) is None:
            return self._no_device(ctx, device_id)
        # Unknown parameters, a missing body or Content-Type: refused by graph_rules.py first.
        body = ctx.body if isinstance(ctx.body, dict) else {}
        if action == "updateDeviceProperties":
            if not body:
                return odata_error(
                    400,
                    "BadRequest",
                    "The request payload is not valid for updateDeviceProperties: empty.",
                    ctx.request_id,
                )
            self.store.update_device(device_id, {k: v or "" for k, v in body.items()})
            return Reply(204)
        if action == "assignUserToDevice":
            upn = str(body.get("userPrincipalName") or "")
            if not upn:
                return odata_error(
                    400, "BadRequest", "userPrincipalName is required.", ctx.request_id
                )
            name = str(body.get("addressableUserName") or "")
            self.store.update_device(
                device_id, {"userPrincipalName": upn, "addressableUserName": name}
            )
            return Reply(204)
        if action == "unassignUserFromDevice":
            self.store.update_device(
                device_id, {"userPrincipalName": "", "addressableUserName": ""}
            )
            return Reply(204)
        return odata_error(
            400, "BadRequest", f"Resource not found for the segment '{action}'.", ctx.request_id
        )

    def sync(self, ctx: Ctx) -> Reply:
        now = self.clock()
        if self.last_sync is not None:
            since = now - self.last_sync
            if since < SYNC_RUNNING_SECONDS:
                return odata_error(
                    409,
                    "Conflict",
                    "A sync is already in progress. Try again after it completes.",
                    ctx.request_id,
                    intune=True,
                )
            if since < SYNC_INTERVAL_SECONDS:
                return odata_error(
                    429,
                    "TooManyRequests",
                    "Sync requests are limited to one every 10 minutes.",
                    ctx.request_id,
                    intune=True,
                )
        self.last_sync = now
        self.sync_count += 1
        return Reply(204)
