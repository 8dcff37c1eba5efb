"""Offline scanning: recently seen Autopilot devices, kept on disk, for when Graph is away.

A bench loses Wi-Fi; the operator should still be able to scan and queue changes (the outbox
sends them later and re-reads each device before it writes, so a stale value never silently
overwrites a newer one: it becomes a conflict). ``CachedAutopilot`` wraps ``AutopilotService``
for the scan side only: every device Graph returns is remembered; when Graph is unreachable
(``GraphUnreachable`` / ``ServiceUnavailable`` after the client's retries) the lookup is answered
from the cache, as a ``CachedResolution`` with ``stale=True`` and when the device was last seen,
so the GUI can say "possibly out of date". A look-up runs under a deadline (``lookup_deadline``,
the client's ``read_deadline``): a Graph too slow to answer within it (``GraphTooSlow``) is
treated like an unreachable one, with ``slow=True`` so the operator reads "Graph is slow".

The outbox must never be answered from the cache: it verifies writes by re-reading Graph, and
a cached answer there would "verify" nothing. It gets ``GraphReadsRemembered`` instead, which
only *feeds* the cache: the verifying re-read refreshes the device's cached copy, so an offline
look-up right after a change shows the verified group tag and user, not the ones before.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from scanner_app.core import paths
from scanner_app.core.graph.errors import (
    GraphError,
    GraphTooSlow,
    GraphUnreachable,
    ServiceUnavailable,
)
from scanner_app.core.models import AutopilotDevice, Reading, Resolution, ScanTarget
from scanner_app.core.payload import normalise_serial

log = logging.getLogger(__name__)

#: Errors that mean "Graph is away", not "Graph said no": answer from the cache.
OFFLINE_ERRORS = (GraphUnreachable, ServiceUnavailable)
MAX_DEVICES = 5000
MAX_AGE = 30 * 24 * 3600.0  # a month: older entries say more about the past than the device


@dataclass(frozen=True)
class CachedResolution(Resolution):
    """A Resolution answered from the offline cache: ``stale`` is True, ``seen_at`` is the
    oldest time (epoch seconds) any of its devices was last read from Graph, ``offline_reason``
    why Graph was not asked, ``slow`` True when Graph was there but missed the look-up's
    deadline. (A subclass: models.Resolution itself has no such fields.)"""

    stale: bool = True
    seen_at: float = 0.0
    offline_reason: str = ""
    slow: bool = False


class _Autopilot(Protocol):
    def find_by_serial(self, serial: str) -> list[AutopilotDevice]: ...
    def find(
        self, readings: tuple[Reading, ...]
    ) -> tuple[tuple[AutopilotDevice, ...], Reading | None]: ...
    def get(self, device_id: str) -> AutopilotDevice: ...
    def group_tags_in_use(self, *, refresh: bool = False) -> list[str]: ...


class DeviceCache:
    """A small SQLite file of devices by id and normalised serial, with when each was seen."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        now: Callable[[], float] = time.time,
        max_devices: int = MAX_DEVICES,
        max_age: float = MAX_AGE,
    ) -> None:
        self.path = Path(path) if path is not None else paths.cache_dir() / "devices.sqlite3"
        self.now, self.max_devices, self.max_age = now, max_devices, max_age
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, serial TEXT NOT NULL,"
            " fields TEXT NOT NULL, seen_at REAL NOT NULL)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS devices_serial ON devices(serial)")

    @classmethod
    def for_tenant(cls, tenant: str, **options: Any) -> DeviceCache:
        """The cache file of one tenant: the demo tenant's devices must never show up offline
        on a real tenant's bench (or another customer's)."""
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", tenant.strip().lower()) or "default"
        return cls(paths.cache_dir() / f"devices-{slug}.sqlite3", **options)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def remember(self, devices: Iterable[AutopilotDevice]) -> None:
        """Store (or refresh) devices just read from Graph; prune the oldest beyond the cap."""
        now = self.now()
        rows = [
            (d.id, normalise_serial(d.serial_number), json.dumps(asdict(d)), now)
            for d in devices
            if d.id
        ]
        if not rows:
            return
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO devices VALUES (?,?,?,?)", rows)
            self._db.execute("DELETE FROM devices WHERE seen_at < ?", (now - self.max_age,))
            self._db.execute(
                "DELETE FROM devices WHERE id NOT IN"
                " (SELECT id FROM devices ORDER BY seen_at DESC LIMIT ?)",
                (self.max_devices,),
            )
            self._db.execute("COMMIT")

    def by_serial(self, serial: str) -> list[tuple[AutopilotDevice, float]]:
        wanted = normalise_serial(serial)
        return self._select("WHERE serial = ? ORDER BY id", (wanted,)) if wanted else []

    def by_id(self, device_id: str) -> tuple[AutopilotDevice, float] | None:
        found = self._select("WHERE lower(id) = lower(?)", (device_id.strip(),))
        return found[0] if found else None

    def group_tags(self) -> list[str]:
        seen: dict[str, str] = {}
        for device, _ in self._select("", ()):
            tag = device.group_tag.strip()
            if tag:
                seen.setdefault(tag.casefold(), tag)
        return sorted(seen.values(), key=str.casefold)

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM devices").fetchone()[0])

    def _select(self, where: str, params: tuple[Any, ...]) -> list[tuple[AutopilotDevice, float]]:
        with self._lock:
            rows = self._db.execute(f"SELECT fields, seen_at FROM devices {where}", params)
            found = rows.fetchall()
        return [(_device(fields), float(seen_at)) for fields, seen_at in found]


def _device(fields: str) -> AutopilotDevice:
    known = set(AutopilotDevice.__dataclass_fields__)
    values = {k: str(v) for k, v in json.loads(fields).items() if k in known}
    return AutopilotDevice(**values)


class GraphReadsRemembered:
    """``AutopilotService`` for the outbox: reads always go to Graph (errors pass through), and
    every device Graph returns refreshes the offline cache. Nothing is read from the cache."""

    def __init__(self, autopilot: _Autopilot, cache: DeviceCache) -> None:
        self.autopilot = autopilot
        self.cache = cache

    def __getattr__(self, name: str) -> Any:  # update, sync, client, ...
        return getattr(self.autopilot, name)

    def get(self, device_id: str) -> AutopilotDevice:
        device = self.autopilot.get(device_id)
        self.cache.remember([device])
        return device

    def find_by_serial(self, serial: str) -> list[AutopilotDevice]:
        devices = self.autopilot.find_by_serial(serial)
        self.cache.remember(devices)
        return devices


class CachedAutopilot:
    """``resolve`` / ``get`` / ``group_tags_in_use`` like AutopilotService, falling back to the
    cache while Graph is unreachable. Anything else is passed through to the wrapped service.
    ``lookup_deadline()`` gives the block each ``resolve`` runs its Graph reads in (all of them:
    the ZtdId read, the serial queries, their retries), e.g. ``client.read_deadline(20)``.
    ``resolve`` looks the target's readings up with ``AutopilotService.find`` (and, offline,
    in the cache in the same order), so the resolution names the reading that found it."""

    def __init__(
        self,
        autopilot: _Autopilot,
        cache: DeviceCache,
        *,
        lookup_deadline: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        self.autopilot = autopilot
        self.cache = cache
        self.lookup_deadline = lookup_deadline

    def __getattr__(self, name: str) -> Any:  # find_by_serial, update, sync, client, ...
        return getattr(self.autopilot, name)

    def resolve(self, target: ScanTarget) -> Resolution:
        """A scan target -> its devices; from the cache (marked stale) when Graph is away.
        Never raises GraphError, like AutopilotService.resolve."""
        try:
            with self.lookup_deadline():
                devices, reading = self.autopilot.find(target.lookups)
        except OFFLINE_ERRORS as err:
            return self._from_cache(target, err)
        except GraphError as err:
            return Resolution(target, error=str(err))
        self.cache.remember(devices)
        return Resolution(target, devices, reading=reading)

    def get(self, device_id: str) -> AutopilotDevice:
        """The device from Graph; when Graph is away, its cached copy (else the error)."""
        try:
            device = self.autopilot.get(device_id)
        except OFFLINE_ERRORS:
            cached = self.cache.by_id(device_id)
            if cached is None:
                raise
            log.info("Graph unreachable: device %s from the offline cache", device_id)
            return cached[0]
        self.cache.remember([device])
        return device

    def group_tags_in_use(self, *, refresh: bool = False) -> list[str]:
        try:
            return self.autopilot.group_tags_in_use(refresh=refresh)
        except OFFLINE_ERRORS:
            return self.cache.group_tags()

    def _from_cache(self, target: ScanTarget, err: GraphError) -> Resolution:
        found: list[tuple[AutopilotDevice, float]] = []
        reading: Reading | None = None
        for reading in target.lookups:  # the same readings, in the same order, as Graph's
            if reading.kind == "ztd_id":
                hit = self.cache.by_id(reading.value)
                found = [hit] if hit else []
            else:
                found = self.cache.by_serial(reading.value)
            if found:
                break
        slow = isinstance(err, GraphTooSlow)
        if not found:
            lead = "No offline copy either:" if slow else "Offline, and"
            message = f"{err} {lead} this device is not among the recently seen ones."
            return Resolution(target, error=message)
        why = "slow" if slow else "unreachable"
        log.info("Graph %s: %d device(s) from the offline cache", why, len(found))
        return CachedResolution(
            target,
            tuple(d for d, _ in found),
            reading=reading,
            stale=True,
            seen_at=min(seen for _, seen in found),
            offline_reason=str(err),
            slow=slow,
        )
