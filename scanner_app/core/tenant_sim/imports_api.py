"""Simulated hardware-hash imports: accepted at once, complete after a few polls."""

from __future__ import annotations

import uuid
from typing import Any

from scanner_app.core.tenant_sim.odata import Ctx, Reply, odata_error
from scanner_app.core.tenant_sim.store import TenantStore


class ImportsApi:
    """Mixed into GraphApi. An import turns into a device after ``import_polls`` reads; a serial
    already registered fails with ``ZtdDeviceAlreadyAssigned``, a missing hash with
    ``InvalidHardwareHash``."""

    store: TenantStore
    import_polls: int

    def import_devices(self, ctx: Ctx) -> Reply:
        body = ctx.body if isinstance(ctx.body, dict) else {}
        items = body.get("importedWindowsAutopilotDeviceIdentities")
        if not isinstance(items, list) or not items:
            return odata_error(
                400,
                "BadRequest",
                "importedWindowsAutopilotDeviceIdentities is required.",
                ctx.request_id,
            )
        if not all(isinstance(item, dict) for item in items):  # OData's reader refuses these
            return odata_error(
                400,
                "BadRequest",
                "An unexpected 'PrimitiveValue' node was found when reading from the JSON reader. "
                "A 'StartObject' node was expected.",
                ctx.request_id,
            )
        out = []
        for item in items:
            import_id = str(uuid.uuid4())
            rec: dict[str, Any] = {
                "id": import_id,
                "groupTag": item.get("groupTag") or "",
                "serialNumber": item.get("serialNumber") or "",
                "productKey": item.get("productKey") or "",
                "importId": item.get("importId") or "",
                "hardwareIdentifier": item.get("hardwareIdentifier") or "",
                "assignedUserPrincipalName": item.get("assignedUserPrincipalName") or "",
                "state": {
                    "deviceImportStatus": "unknown",
                    "deviceRegistrationId": "",
                    "deviceErrorCode": 0,
                    "deviceErrorName": "",
                },
                "_polls": 0,
            }
            self.store.imports[import_id] = rec
            out.append(_public(rec))
        return Reply(200, {"value": out})

    def get_import(self, ctx: Ctx, import_id: str) -> Reply:
        rec = self.store.imports.get(import_id)
        if rec is None:
            return odata_error(
                404, "ResourceNotFound", "Imported device not found.", ctx.request_id, intune=True
            )
        rec["_polls"] += 1
        if rec["state"]["deviceImportStatus"] in ("unknown", "pending"):
            if rec["_polls"] >= self.import_polls:
                self._complete_import(rec)
            else:
                rec["state"]["deviceImportStatus"] = "pending"
        return Reply(200, _public(rec))

    def _complete_import(self, rec: dict[str, Any]) -> None:
        serial = rec["serialNumber"].strip().casefold()
        taken = any(
            str(d.get("serialNumber") or "").strip().casefold() == serial
            for d in self.store.devices.values()
        )
        if not rec["hardwareIdentifier"] or taken:
            name = "ZtdDeviceAlreadyAssigned" if taken else "InvalidHardwareHash"
            rec["state"].update(
                deviceImportStatus="error",
                deviceErrorCode=806 if taken else 808,
                deviceErrorName=name,
            )
            return
        device_id = str(uuid.uuid4())
        self.store.add_device(
            {
                "@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity",
                "id": device_id,
                "groupTag": rec["groupTag"],
                "serialNumber": rec["serialNumber"],
                "purchaseOrderIdentifier": "",
                "productKey": rec["productKey"],
                "manufacturer": "",
                "model": "",
                "enrollmentState": "notContacted",
                "lastContactedDateTime": "0001-01-01T00:00:00Z",
                "addressableUserName": "",
                "userPrincipalName": rec["assignedUserPrincipalName"],
                "resourceName": "",
                "skuNumber": "",
                "systemFamily": "",
                "azureActiveDirectoryDeviceId": str(uuid.uuid4()),
                "managedDeviceId": "00000000-0000-0000-0000-000000000000",
                "displayName": "",
            }
        )
        rec["state"].update(deviceImportStatus="complete", deviceRegistrationId=device_id)


def _public(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in rec.items() if k[0] != "_"}
