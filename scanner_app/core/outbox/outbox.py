"""``Outbox``: what the operator (and the background loop) may ask of the queue of changes.

Each call journals first, then runs a pass (``scheduler.run_pass``) of ``job.ChangeJob``s over
the device's (or the tenant's) open entries; the rules it keeps are in the package docstring.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from scanner_app.core.graph.errors import GraphUnreachable
from scanner_app.core.journal.journal import (
    ACCEPTED,
    CONFLICT,
    FAILED,
    PENDING,
    SUPERSEDED,
    VERIFIED,
    Journal,
    JournalEntry,
    JournalError,
    JournalUnavailable,
    tenant_key,
)
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.outbox.delivery import Autopilot, Delivery, Lag, Offline
from scanner_app.core.outbox.job import ChangeJob
from scanner_app.core.outbox.pacing import WriteLimiter
from scanner_app.core.outbox.policy import RetryPolicy
from scanner_app.core.outbox.scheduler import Claims, run_pass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxStatus:
    """What the status bar shows: is Graph reachable, how many changes wait, and why."""

    online: bool
    waiting: int
    conflicts: int
    message: str = ""
    retry_in: float = 0.0


class Outbox:
    """Sends journaled changes; see the package docstring for the rules.

    ``policy`` holds every retry, poll and idle number (``RetryPolicy``; replace it whole to
    change them). ``clock`` measures deadlines and the write window; ``sleep`` waits between
    re-reads of a change whose answer was lost. ``write_rate`` is Intune's write limit,
    ``(writes, seconds)``; ``workers`` the threads a pass may use.
    """

    def __init__(
        self,
        journal: Journal,
        autopilot: Autopilot,
        *,
        operator: str = "",
        tenant: str = "",
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        policy: RetryPolicy | None = None,
        write_rate: tuple[int, float] = (100, 20.0),
        workers: int = 8,
    ) -> None:
        self.journal, self.autopilot = journal, autopilot
        self.operator, self.tenant = operator, tenant
        self.clock, self.sleep = clock, sleep
        self.workers = workers
        self._policy = policy or RetryPolicy()
        self.limiter = WriteLimiter(*write_rate, clock, recheck=self._policy.slot_recheck)
        self.last_error: Exception | None = None
        self._claims = Claims()  # the devices a pass of this outbox is working on
        self._lag = Lag()
        self._wake = threading.Event()
        self._background = False

    @property
    def policy(self) -> RetryPolicy:
        return self._policy

    @policy.setter
    def policy(self, policy: RetryPolicy) -> None:
        """A new policy holds from the next pass (and the background loop's next start)."""
        self._policy = policy
        self.limiter.recheck = policy.slot_recheck

    # -- the operator's calls -------------------------------------------------------------------
    def enqueue(
        self, device: AutopilotDevice, change: DeviceChange, *, undo_of: int | None = None
    ) -> JournalEntry:
        """Journal ``change`` without sending it. Unsent queued changes it fully covers are
        superseded; its before-values are what the device will show once the queue ahead of it
        for this device has drained."""
        if change.is_empty():
            raise ValueError("nothing to change")
        expected = device
        for earlier in self.journal.for_device(device.id, tenant=self.tenant):
            if not earlier.is_open:
                continue
            if earlier.state == PENDING and set(earlier.after) <= set(change.changed_fields()):
                try:
                    self.journal.mark(
                        earlier.id, SUPERSEDED, reason="replaced by a newer change", expect=PENDING
                    )
                    continue
                except JournalUnavailable:
                    raise
                except JournalError:
                    earlier = self.journal.get(earlier.id)  # being sent right now: queue behind
            if earlier.is_open:
                expected = dataclasses.replace(expected, **earlier.after)
        entry_id = self.journal.record(
            expected,
            change,
            operator=self.operator,
            tenant=tenant_key(self.tenant),
            undo_of=undo_of,
        )
        self._wake.set()
        return self.journal.get(entry_id)

    def submit(self, device: AutopilotDevice, change: DeviceChange) -> JournalEntry:
        """Journal, send and verify (blocking, at most about the policy's ``verify_timeout``).
        When Graph is unreachable the change stays queued (state pending) for ``resume`` or
        ``run_forever``."""
        entry = self.enqueue(device, change)
        if self._background and isinstance(self.last_error, GraphUnreachable):
            return entry  # offline: queued at once; the background loop (just woken) sends it
        self._run_device(device.id, upto=entry.id)
        return self.journal.get(entry.id)

    def undo(self, entry_id: int) -> JournalEntry:
        """Restore the before-values of an applied change, as a new journaled change."""
        entry = self._own(entry_id)
        if entry.state not in (VERIFIED, ACCEPTED):
            raise ValueError(f"change #{entry_id} is {entry.state}: only applied changes undo")
        shown = AutopilotDevice(id=entry.device_id, serial_number=entry.serial, **entry.after)
        undo = self.enqueue(shown, entry.before_change, undo_of=entry_id)
        self._run_device(entry.device_id, upto=undo.id)
        return self.journal.get(undo.id)

    def overwrite(self, entry_id: int) -> JournalEntry:
        """The operator's decision on a conflict: apply anyway over the values Graph showed."""
        entry = self._own(entry_id)
        self.journal.mark(
            entry_id,
            PENDING,
            reason="operator chose to overwrite the values changed in Intune",
            before={n: entry.current.get(n, entry.before.get(n, "")) for n in entry.after},
            expect=CONFLICT,
        )
        self._run_device(entry.device_id, upto=entry_id)
        return self.journal.get(entry_id)

    def discard(self, entry_id: int) -> JournalEntry:
        """The operator's decision on a conflict: keep what Intune shows, drop this change."""
        self._own(entry_id)
        return self.journal.mark(
            entry_id, SUPERSEDED, reason="discarded by the operator", expect=CONFLICT
        )

    def retry(self, entry_id: int) -> JournalEntry:
        """Queue a failed change again and try it now."""
        self._own(entry_id)
        entry = self.journal.mark(
            entry_id, PENDING, reason="retried by the operator", expect=FAILED
        )
        self._run_device(entry.device_id, upto=entry_id)
        return self.journal.get(entry_id)

    def resume(self) -> list[JournalEntry]:
        """Finish everything a previous run (or an outage) left open; returns those entries."""
        work = self.journal.pending(tenant=self.tenant)
        self.last_error = None
        try:
            self._pass(work, wait_for_devices=False)
        except Offline as exc:
            self.last_error = exc.error
            log.info("Outbox waits: %s", exc)
        except JournalUnavailable as exc:  # tried again on the next pass
            self.last_error = exc
            log.warning("Outbox waits: %s", exc)
        return [self.journal.get(e.id) for e in work]

    def pending_count(self) -> int:
        return len(self.journal.pending(tenant=self.tenant))

    def conflicts(self) -> list[JournalEntry]:
        return self.journal.in_state(CONFLICT, tenant=self.tenant)

    def owns(self, entry: JournalEntry) -> bool:
        """True when ``entry`` was made for the tenant this outbox is connected to."""
        return tenant_key(entry.tenant) == tenant_key(self.tenant)

    def _own(self, entry_id: int) -> JournalEntry:
        """The entry, if it is this tenant's; another tenant's change is refused, untouched."""
        entry = self.journal.get(entry_id)
        if not self.owns(entry):
            raise JournalError(
                f"change #{entry_id} was made for tenant {entry.tenant or '(none)'}, not "
                f"{self.tenant or '(none)'}: connect to that tenant to act on it"
            )
        return entry

    def status(self) -> OutboxStatus:
        error = self.last_error
        return OutboxStatus(
            online=error is None,
            waiting=self.pending_count(),
            conflicts=len(self.conflicts()),
            message="" if error is None else str(error),
        )

    def run_forever(
        self, stop: threading.Event, *, on_status: Callable[[OutboxStatus], None] | None = None
    ) -> None:
        """Background loop (offline mode): resume, report, wait (the policy's ``idle``); back off
        (its ``offline`` waits) while Graph is away. New work (``enqueue``/``submit``) wakes it
        early; setting ``stop`` ends it promptly."""
        self._background = True
        try:
            self._loop(stop, on_status)
        finally:
            self._background = False

    def _loop(
        self, stop: threading.Event, on_status: Callable[[OutboxStatus], None] | None
    ) -> None:
        policy = self.policy
        delay = policy.offline.first
        while not stop.is_set():
            self._wake.clear()
            self.resume()
            wait = policy.idle if self.last_error is None else delay
            delay = policy.offline.first if self.last_error is None else policy.offline.after(delay)
            if on_status is not None:
                on_status(dataclasses.replace(self.status(), retry_in=wait))
            steps = max(1, round(wait / policy.tick))
            for _ in range(steps):
                if stop.wait(policy.tick) or self._wake.is_set():
                    break

    # -- the work -------------------------------------------------------------------------------
    def _run_device(self, device_id: str, upto: int) -> None:
        mine = self.journal.for_device(device_id, tenant=self.tenant)
        work = [e for e in mine if e.is_open and e.id <= upto]
        try:
            self._pass(work, wait_for_devices=True)
        except Offline as exc:
            self.last_error = exc.error
            log.info("Change queued: %s", exc)

    def _pass(self, work: list[JournalEntry], *, wait_for_devices: bool) -> None:
        """Run ``work`` (oldest first, so in order per device) as one pass of change jobs."""
        delivery = Delivery(
            self.journal,
            self.autopilot,
            policy=self.policy,
            limiter=self.limiter,
            lag=self._lag,
            clock=self.clock,
            sleep=self.sleep,
        )
        run_pass(
            [ChangeJob(e.id, e.device_id, delivery) for e in work],
            claims=self._claims,
            clock=self.clock,
            workers=self.workers,
            wait_for_keys=wait_for_devices,
        )
