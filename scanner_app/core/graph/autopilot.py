"""Autopilot devices in Intune: find by serial, read, change, sync, import a hardware hash, and
read (from beta) whether Intune assigned the device its Autopilot profile.

A look-up costs one request, two at most. Graph offers only ``contains(serialNumber,'…')``
(``eq`` is a 400), a substring match, so the exact match is checked here with
``payload.normalise_serial``. A scanned code may be read several ways (``ScanTarget.lookups``:
an Apple ``S`` code with and without its ``S``, a Lenovo ``1S`` code's serial and its
type-model + serial, a number and the Dell service tag it converts to, a GUID as ZtdId and as
serial): :func:`plan_lookup` makes one ``contains`` query serve every reading that contains its
literal, and a second request is made only when the first finds nothing. The resolution names
the reading that found the device (``Resolution.reading`` / ``found_as``).

Serials with hyphens or spaces have broken ``contains`` in the past
(msgraph-sdk-powershell#2464): whitespace is removed by normalising, and for a serial with
hyphens the query asks for its longest hyphen-free segment, the client keeping exact matches.
Virtual machines are the exception to "firmware serials have no spaces": VMware reports
``VMware-56 4d 2f …``, Parallels ``Parallels-1A 2B …`` (``payload.vendors.vm``), and some makers
print spaces that are part of the serial (MSI's ``GT72S 6QF-017JPK…``). A VM serial read with its
spaces is asked for by its longest space- and hyphen-free run (``VMWARE``). When the first query
finds nothing and the serial has hyphens, a second query asks for a shorter piece likely to
survive the stored spaces (its longest run of letters or of digits: ``VMWARE``, ``0042`` of
``TB 33-0042 A``); the exact match is again checked here. The serial comes from an untrusted
label: the OData literal is escaped (quotes doubled) and the query string %-encoded by the
client.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from scanner_app.core import device_fields
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.errors import GraphError, NotFound, SyncRefused, Throttled
from scanner_app.core.graph.lookup_plan import _literal, _serial_reading, plan_lookup
from scanner_app.core.models import (
    AutopilotDevice,
    DeviceChange,
    ProfileState,
    Reading,
    Resolution,
    ScanTarget,
)
from scanner_app.core.payload import normalise_serial

log = logging.getLogger(__name__)

DEVICES = "/deviceManagement/windowsAutopilotDeviceIdentities"
IMPORTS = "/deviceManagement/importedWindowsAutopilotDeviceIdentities"
SYNC = "/deviceManagement/windowsAutopilotSettings/sync"
#: Only what the app shows or changes (smaller answers on slow bench networks): the v1.0
#: properties of ``device_fields.DEVICE_FIELDS``.
SELECT = device_fields.SELECT
#: The profile read (beta only): the relationships in the form Microsoft's own Autopilot
#: scripts send (WindowsAutopilotIntune's ``Get-AutopilotDevice -expand``). No ``$select``:
#: Intune does not promise nested ``$select`` inside ``$expand`` on this entity, and the
#: reference page documents neither (a public client falls back on a 400 for it). The cost:
#: one device's whole beta object, with its two profiles, once per card.
PROFILE_EXPAND = "deploymentProfile,intendedDeploymentProfile"
GROUP_TAG_TTL = 600.0
SYNC_INTERVAL = dt.timedelta(minutes=10)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def odata_literal(text: str) -> str:
    """``text`` as an OData string literal: quotes doubled, wrapped in quotes."""
    return "'" + text.replace("'", "''") + "'"


def serial_filter(serial: str) -> str:
    """The ``$filter`` for a serial: its normalised form, or its longest hyphen-free segment
    when it has hyphens (see the module doc). Whitespace is gone after normalising."""
    return contains_filter(_literal(normalise_serial(serial)))


def contains_filter(literal: str) -> str:
    return f"contains(serialNumber,{odata_literal(literal)})"


@dataclass(frozen=True)
class ImportResult:
    """How a hardware-hash import ended: ``status`` is complete, error or timeout."""

    status: str
    import_id: str
    device_id: str = ""
    error_name: str = ""
    error_code: int = 0


class AutopilotService:
    """Autopilot calls the workflow and the CLI make. ``clock``/``sleep`` are injectable."""

    def __init__(
        self,
        client: GraphClient,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.client = client
        self.clock = clock
        self.now = now
        self.sleep = sleep or client.sleep
        self._tags: tuple[float, list[str]] | None = None
        self._last_sync: dt.datetime | None = None

    # -- reading ------------------------------------------------------------------------------
    def find_by_serial(self, serial: str) -> list[AutopilotDevice]:
        """Every device whose serial equals ``serial`` once normalised (0, 1 or several)."""
        if not normalise_serial(serial):
            return []
        return list(self.find((_serial_reading(serial),))[0])

    def find(
        self, readings: tuple[Reading, ...]
    ) -> tuple[tuple[AutopilotDevice, ...], Reading | None]:
        """The devices the first finding reading names, and that reading; ((), None) when no
        reading finds one. At most two requests (:func:`plan_lookup`). Raises GraphError."""
        for step in plan_lookup(readings):
            if step.ztd_id:
                try:
                    return (self.get(step.ztd_id),), step.covers[0]
                except NotFound:
                    continue
            found = self._by_literal(step.literal)
            for reading in step.covers:
                exact = tuple(
                    d for d in found if normalise_serial(d.serial_number) == reading.value
                )
                if exact:
                    log.debug("serial %s: %d exact match(es)", reading.value, len(exact))
                    return exact, reading
        return (), None

    def _by_literal(self, literal: str) -> list[AutopilotDevice]:
        params = {"$filter": contains_filter(literal), "$select": SELECT}
        return [
            AutopilotDevice.from_graph(obj)
            for page in self.client.get_pages(DEVICES, params)
            for obj in page.get("value", [])
        ]

    def get(self, device_id: str) -> AutopilotDevice:
        if not _GUID.match(device_id.strip()):
            raise NotFound(404, "invalidId", "this is not an Autopilot device id")
        obj = self.client.get(f"{DEVICES}/{quote(device_id.strip(), safe='')}", {"$select": SELECT})
        return AutopilotDevice.from_graph(obj)

    def profile(self, device_id: str) -> ProfileState:
        """The device's Autopilot profile assignment, from beta (v1.0 has none of it): a second
        read, made after the card is shown. Never raises GraphError: when beta refuses (403,
        400, 404, no network) the state is *unavailable*, with the reason."""
        try:
            obj = self.client.beta_get(self._path(device_id), {"$expand": PROFILE_EXPAND})
        except GraphError as err:
            log.info("profile of %s unavailable: %s", device_id, err)
            return ProfileState.unavailable(device_id, str(err))
        state = ProfileState.from_graph(obj)
        return state if state.device_id else replace(state, device_id=device_id)

    def resolve(self, target: ScanTarget) -> Resolution:
        """A scan target -> the devices it names (and the reading that found them), or a human
        error; never raises GraphError."""
        try:
            devices, reading = self.find(target.lookups)
        except GraphError as err:
            return Resolution(target, error=str(err))
        return Resolution(target, devices, reading=reading)

    def group_tags_in_use(self, *, refresh: bool = False) -> list[str]:
        """Distinct group tags on the tenant's devices, for the picker (cached 10 minutes)."""
        if self._tags and not refresh and self.clock() - self._tags[0] < GROUP_TAG_TTL:
            return list(self._tags[1])
        seen: dict[str, str] = {}
        params = {"$select": "id,groupTag", "$top": 1000}
        for page in self.client.get_pages(DEVICES, params):
            for obj in page.get("value", []):
                tag = str(obj.get("groupTag") or "").strip()
                if tag:
                    seen.setdefault(tag.casefold(), tag)
        tags = sorted(seen.values(), key=str.casefold)
        self._tags = (self.clock(), tags)
        return list(tags)

    # -- writing ------------------------------------------------------------------------------
    def update(self, device_id: str, change: DeviceChange) -> str:
        """Send only the fields in ``change``. An empty ``user_principal_name`` unassigns.

        Returns the Graph request id(s) of this call's writes (space-separated when removing a
        user took a call of its own), for the audit record; exact with many threads writing,
        because the client keeps ``last_request_id`` per thread.
        Raises WriteOutcomeUnknown when an answer was lost: re-read before sending again.
        """
        body = change.to_graph()
        ids: list[str] = []
        if change.user_principal_name == "":
            self.unassign_user(device_id)
            ids.append(self.client.last_request_id)
            body.pop("userPrincipalName", None)
            body.pop("addressableUserName", None)
        if body:
            self.client.post(f"{self._path(device_id)}/updateDeviceProperties", body)
            ids.append(self.client.last_request_id)
            if "groupTag" in body and self._tags is not None:
                self._tags = None  # a new tag may now be in use
        return " ".join(i for i in ids if i)

    def assign_user(self, device_id: str, upn: str, addressable_user_name: str = "") -> None:
        body = {"userPrincipalName": upn, "addressableUserName": addressable_user_name}
        self.client.post(f"{self._path(device_id)}/assignUserToDevice", body)

    def unassign_user(self, device_id: str) -> None:
        self.client.post(f"{self._path(device_id)}/unassignUserFromDevice")

    def sync(self) -> None:
        """Ask Intune to sync Autopilot devices (beta). Raises SyncRefused on 409/429."""
        try:
            self.client.beta_post(SYNC, max_retries=0)
        except GraphError as err:
            if err.status not in (409, 429):
                raise
            now = self.now()
            if err.retry_after is not None:
                nxt = now + dt.timedelta(seconds=err.retry_after)
            elif self._last_sync is not None and err.status == 429:
                nxt = max(now, self._last_sync + SYNC_INTERVAL)
            else:
                nxt = now + (dt.timedelta(minutes=1) if err.status == 409 else SYNC_INTERVAL)
            raise SyncRefused(err.status, err.code, err.message, err.request_id, nxt) from err
        self._last_sync = self.now()

    def import_hardware_hash(
        self,
        serial: str,
        hardware_hash: str,
        *,
        group_tag: str = "",
        user_principal_name: str = "",
        poll_interval: float = 5.0,
        timeout: float = 900.0,
    ) -> ImportResult:
        """Import a device by its hardware hash and poll until Intune finishes (or gives up)."""
        item: dict[str, Any] = {
            "serialNumber": serial,
            "hardwareIdentifier": hardware_hash,
            "groupTag": group_tag,
            "assignedUserPrincipalName": user_principal_name,
        }
        answer = self.client.post(
            f"{IMPORTS}/import", {"importedWindowsAutopilotDeviceIdentities": [item]}
        )
        values = (answer or {}).get("value") or []
        if not values:
            raise GraphError(0, "emptyImport", "Intune did not accept the import")
        import_id = str(values[0].get("id") or "")
        waited = 0.0  # counted, not clocked: an injected sleep must not make this spin forever
        while True:
            try:
                rec = self.client.get(f"{IMPORTS}/{quote(import_id, safe='')}")
            except Throttled as err:
                delay = err.retry_after or poll_interval
                self.sleep(delay)
                waited += delay
                continue
            state = rec.get("state") or {}
            status = str(state.get("deviceImportStatus") or "unknown")
            if status in ("complete", "error"):
                return ImportResult(
                    status,
                    import_id,
                    str(state.get("deviceRegistrationId") or ""),
                    str(state.get("deviceErrorName") or ""),
                    int(state.get("deviceErrorCode") or 0),
                )
            if waited >= timeout:
                return ImportResult("timeout", import_id)
            self.sleep(poll_interval)
            waited += poll_interval

    @staticmethod
    def _path(device_id: str) -> str:
        return f"{DEVICES}/{quote(device_id.strip(), safe='')}"
