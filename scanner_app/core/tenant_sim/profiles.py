"""Autopilot profile assignment as Intune runs it: which profile a device gets, and when.

What beta shows and v1.0 does not (``../shared/contracts/docs/README.md``): each device's
``deploymentProfileAssignmentStatus`` (``unknown, assignedInSync, assignedOutOfSync,
assignedUnkownSyncState, notAssigned, pending, failed``; the misspelling is Graph's),
``deploymentProfileAssignmentDetailedStatus``, ``deploymentProfileAssignedDateTime``,
``remediationState`` with its time, and the relationships ``deploymentProfile`` /
``intendedDeploymentProfile`` (readable with ``$expand``).

The model, kept plain: a group tag leads to a profile (``seed.TAG_PROFILES``, standing in for the
dynamic device groups a tenant assigns profiles to). Seeded devices start settled: assigned to
their tag's profile, or ``notAssigned``. When a device's tag changes to one that leads
elsewhere, it is ``pending`` (intended profile set, none assigned) for ``delay`` seconds on the
store's clock, then ``assignedInSync`` (or ``notAssigned`` when the new tag leads nowhere). A
virtual machine given a self-deploying profile ends ``failed`` (no TPM 2.0:
``hardwareRequirementsNotMet``). The older record of a serial registered twice (a board swap,
re-imported) has ``manualRemediationRequired``: its hardware hash no longer matches.

State is made on first use, so a 100,000-device tenant costs nothing until beta is asked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scanner_app.core.tenant_sim.odata import now_iso
from scanner_app.core.tenant_sim.seed import PROFILES, SELF_DEPLOYING, TAG_PROFILES

#: How long a changed tag stays ``pending`` (seconds on the store's clock): a few seconds, so
#: the demo shows the card move from pending to assigned; a real tenant takes minutes.
ASSIGN_DELAY_SECONDS = 5.0
#: The relationships beta can expand on a windowsAutopilotDeviceIdentity.
NAVIGATION = ("deploymentProfile", "intendedDeploymentProfile")
_BY_NAME = {p["displayName"]: p for p in PROFILES}
_BY_ID = {p["id"]: p for p in PROFILES}
_ASSIGNED = {"assignedInSync", "assignedOutOfSync", "assignedUnkownSyncState"}


def profile_for_tag(tag: str) -> dict[str, Any] | None:
    """The deployment profile a group tag leads to, or None."""
    name = TAG_PROFILES.get((tag or "").strip().casefold())
    return None if name is None else _BY_NAME[name]


@dataclass
class Assignment:
    """One device's profile assignment, as beta reports it."""

    status: str = "notAssigned"
    detailed: str = "none"
    profile_id: str | None = None
    intended_id: str | None = None
    assigned_at: str = "0001-01-01T00:00:00Z"
    remediation: str = "noRemediationRequired"
    remediation_at: str = "0001-01-01T00:00:00Z"
    settles_at: float | None = None  # when a pending change lands (store clock)


class ProfileBook:
    """Assignments by device id; ``device`` callbacks give the device's current Graph JSON."""

    def __init__(self, devices: dict[str, dict[str, Any]], *, clock: Callable[[], float]) -> None:
        self.devices = devices
        self.clock = clock
        self.delay = ASSIGN_DELAY_SECONDS
        self._lock = threading.RLock()
        self._state: dict[str, Assignment] = {}
        self._swapped: set[str] | None = None

    def _older_records(self) -> set[str]:
        """Ids of the first record of each serial registered twice (replaced boards)."""
        if self._swapped is None:
            first: dict[str, str] = {}
            self._swapped = set()
            for device_id, device in self.devices.items():
                serial = str(device.get("serialNumber") or "").strip().casefold()
                if serial in first:
                    self._swapped.add(first[serial])
                else:
                    first[serial] = device_id
        return self._swapped

    def current(self, device_id: str, tag: str | None = None) -> Assignment:
        """The assignment as of now (a pending change that is due has landed). ``tag``: the
        group tag to seed from when this device has no state yet (default: its tag now)."""
        with self._lock:
            state = self._state.get(device_id)
            if state is None:
                state = self._state[device_id] = self._seeded(device_id, tag)
            if state.settles_at is not None and self.clock() >= state.settles_at:
                self._settle(device_id, state)
            return state

    def _seeded(self, device_id: str, tag: str | None) -> Assignment:
        device = self.devices.get(device_id, {})
        state = Assignment()
        profile = profile_for_tag(str(device.get("groupTag") or "") if tag is None else tag)
        if profile is not None:
            state.intended_id = profile["id"]
            self._land(device, state, profile, when="2026-01-21T08:00:00Z")
        if device_id in self._older_records():
            state.remediation = "manualRemediationRequired"
            state.remediation_at = "2026-02-02T10:30:00Z"
        return state

    def tag_changed(self, device_id: str, old_tag: str, new_tag: str) -> None:
        """A write changed the device's group tag: Intune re-evaluates its profile."""
        with self._lock:
            state = self.current(device_id, old_tag)  # the device already holds the new tag
            target = profile_for_tag(new_tag)
            target_id = None if target is None else target["id"]
            if old_tag.strip().casefold() == new_tag.strip().casefold():
                return
            if state.settles_at is None and (
                (target_id is None and state.status == "notAssigned")
                or (state.profile_id == target_id and state.status in _ASSIGNED)
            ):
                return  # already where the new tag leads
            state.status, state.detailed = "pending", "none"
            state.profile_id, state.intended_id = None, target_id
            state.settles_at = self.clock() + self.delay

    def registered(self, device_id: str) -> None:
        """A device just imported: unassigned, its tag's profile (if any) on its way."""
        with self._lock:
            self._swapped = None  # a serial may now be registered twice
            self._state[device_id] = Assignment()
            tag = str(self.devices.get(device_id, {}).get("groupTag") or "")
            self.tag_changed(device_id, "", tag)

    def _settle(self, device_id: str, state: Assignment) -> None:
        state.settles_at = None
        target = None if state.intended_id is None else _BY_ID[state.intended_id]
        if target is None:
            state.status, state.profile_id, state.detailed = "notAssigned", None, "none"
            return
        self._land(self.devices.get(device_id, {}), state, target, when=now_iso())

    @staticmethod
    def _land(
        device: dict[str, Any], state: Assignment, profile: dict[str, Any], when: str
    ) -> None:
        if profile["displayName"] in SELF_DEPLOYING and device.get("model") == "Virtual Machine":
            state.status, state.detailed = "failed", "hardwareRequirementsNotMet"
            state.profile_id = None
            return
        state.status, state.detailed = "assignedInSync", "none"
        state.profile_id, state.assigned_at = profile["id"], when

    # -- what beta shows ----------------------------------------------------------------------
    def beta_fields(self, device_id: str) -> dict[str, Any]:
        """The beta-only properties of one device (added to its v1.0 JSON on beta reads)."""
        state = self.current(device_id)
        device = self.devices.get(device_id, {})
        return {
            "deploymentProfileAssignmentStatus": state.status,
            "deploymentProfileAssignmentDetailedStatus": state.detailed,
            "deploymentProfileAssignedDateTime": state.assigned_at,
            "remediationState": state.remediation,
            "remediationStateLastModifiedDateTime": state.remediation_at,
            "azureAdDeviceId": device.get("azureActiveDirectoryDeviceId", ""),
            "deviceAccountUpn": "",
            "deviceAccountPassword": None,
            "deviceFriendlyName": "",
            "userlessEnrollmentStatus": "unknown",
        }

    def related(self, device_id: str, name: str) -> dict[str, Any] | None:
        """``deploymentProfile`` or ``intendedDeploymentProfile`` of a device (None: no profile)."""
        state = self.current(device_id)
        profile_id = state.profile_id if name == "deploymentProfile" else state.intended_id
        return None if profile_id is None else dict(_BY_ID[profile_id])
