"""The operator's use case, free of Qt: resolve a scan, plan a change, apply it, see it verified.

The GUI and the CLI both drive this; blocking calls happen here, so callers run it on a worker.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Protocol

from scanner_app.core.models import AutopilotDevice, DeviceChange, Resolution, ScanTarget, User

log = logging.getLogger(__name__)


class _Autopilot(Protocol):
    def resolve(self, target: ScanTarget) -> Resolution: ...
    def group_tags_in_use(self) -> list[str]: ...


class _Users(Protocol):
    def search(self, text: str, limit: int = 10) -> list[User]: ...


class _Entry(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def reason(self) -> str: ...


class _Outbox(Protocol):
    def submit(self, device: AutopilotDevice, change: DeviceChange) -> _Entry: ...


@dataclass(frozen=True)
class ApplyOutcome:
    """What became of one Apply: the journal entry, its final state, and the device as shown."""

    entry_id: int
    state: str  # verified | accepted | conflict | failed | pending | nothing-to-do
    device: AutopilotDevice
    change: DeviceChange
    message: str

    @property
    def verified(self) -> bool:
        return self.state in {"verified", "nothing-to-do"}


class Workflow:
    def __init__(self, autopilot: _Autopilot, users: _Users, outbox: _Outbox) -> None:
        self.autopilot = autopilot
        self.users = users
        self.outbox = outbox

    def resolve(self, target: ScanTarget) -> Resolution:
        if not target.usable:
            return Resolution(target)
        resolution = self.autopilot.resolve(target)
        log.info("scan %s -> %s", target.kind, resolution.kind)
        return resolution

    def group_tags(self, configured: tuple[str, ...] = ()) -> list[str]:
        """Configured tags first, then the ones in use in the tenant, without duplicates."""
        tags: list[str] = []
        known: set[str] = set()
        in_use = sorted(self.autopilot.group_tags_in_use(), key=str.casefold)
        for tag in [*configured, *in_use]:
            if tag and tag.casefold() not in known:
                known.add(tag.casefold())
                tags.append(tag)
        return tags

    def search_users(self, text: str, limit: int = 10) -> list[User]:
        text = text.strip()
        return self.users.search(text, limit) if len(text) >= 2 else []

    def apply(self, device: AutopilotDevice, wanted: DeviceChange) -> ApplyOutcome:
        """Journal, send and verify the part of ``wanted`` that differs from ``device``."""
        change = wanted.against(device)
        if change.is_empty():
            return ApplyOutcome(
                0, "nothing-to-do", device, change, "Already set: nothing to change."
            )
        entry = self.outbox.submit(device, change)
        after = device
        if entry.state in {"verified", "accepted"}:
            after = dataclasses.replace(device, **change.changed_fields())
        message = _MESSAGES.get(entry.state, "The change was not applied.")
        if entry.reason:
            message = f"{message} {entry.reason}"
        log.info("apply change %s on device -> %s", entry.id, entry.state)
        return ApplyOutcome(entry.id, entry.state, after, change, message)


_MESSAGES = {
    "verified": "Applied and verified in Intune.",
    "accepted": "Accepted by Intune, not visible yet; it will be re-checked.",
    "conflict": "The device changed in Intune since it was read.",
    "failed": "The change failed.",
    "pending": "Queued: Graph is not reachable; it will be sent when it is.",
    "sent": "Sent; waiting for Intune to confirm.",
}
