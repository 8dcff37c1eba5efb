"""The outbox: sends journaled changes to Graph exactly once, paced, verified, resumable.

Why each rule:
- Record before send (the journal): a crash at any moment leaves a row that says what is left.
- A change whose fate is unknown (no answer, or a crash after "sent") is re-sent only when a
  re-read *proves* it did not apply: the device still shows the before-values once Graph's
  consistency window (``verify_timeout``) has passed. Otherwise it would be applied twice.
- Before the first send the device is re-read: if another operator or the portal changed a
  touched field since the operator read it, the change waits as a "conflict" for a decision
  (``overwrite`` or ``discard``) instead of silently overwriting.
- Intune allows 100 writes per 20 s per app. Writes are paced by a sliding log (never more than
  ``limit`` writes in any ``window``; a token bucket with a full burst would allow twice that
  in one window).
- Work is done in order per device; different devices proceed side by side on ``workers``
  threads, so Graph's latency (100-300 ms a call) does not make the queue slower than the limit.
State changes use the journal's ``expect`` check, so two threads or two processes working on the
same journal (the app and ``scanner-app journal retry``) never both send a pending change; one
whose answer was lost is re-sent only after the re-read proof above.
- An outbox works only on its own ``tenant``'s entries (the one it is connected to): a journal
  may hold another tenant's changes, which must never be sent, re-read or failed against this
  one (see ``journal_tenants``).

Where each part lives: this module is what the operator (and the background loop) may ask;
``outbox_scheduler`` orders one pass of work per device over a few threads; ``outbox_delivery``
holds the steps for one change (re-read, send, settle, mark); ``write_pacing`` the limit.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from scanner_app.core.graph.errors import GraphUnreachable
from scanner_app.core.journal import (
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
from scanner_app.core.outbox_delivery import Autopilot, ChangeDelivery, Offline
from scanner_app.core.outbox_scheduler import OutboxPass
from scanner_app.core.write_pacing import WriteLimiter

# Re-exported: callers import these from here.
__all__ = ["Autopilot", "Offline", "Outbox", "OutboxStatus", "WriteLimiter"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxStatus:
    """What the status bar shows: is Graph reachable, how many changes wait, and why."""

    online: bool
    waiting: int
    conflicts: int
    message: str = ""
    retry_in: float = 0.0


class Outbox(ChangeDelivery):
    """Sends journaled changes; see the module docstring for the rules.

    ``clock`` measures deadlines and the write window; ``sleep`` waits between re-reads of a
    change whose answer was lost. ``verify_timeout`` bounds how long a change is re-read until
    Graph shows it (and how long a lost answer is given to show up before re-sending).
    ``write_rate`` is ``(writes, seconds)``. ``retries`` adds tries of a failed re-read on top of
    the GraphClient's own retries; beyond them the pass stops and ``run_forever`` backs off.
    ``max_sends`` caps re-sends of a change that re-reads prove did not apply.
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
        verify_timeout: float = 30.0,
        write_rate: tuple[int, float] = (100, 20.0),
        poll_interval: float = 0.25,
        retries: int = 0,
        max_sends: int = 3,
        workers: int = 8,
    ) -> None:
        self.journal, self.autopilot = journal, autopilot
        self.operator, self.tenant = operator, tenant
        self.clock, self.sleep = clock, sleep
        self.verify_timeout, self.poll_interval = verify_timeout, poll_interval
        self.retries, self.max_sends, self.workers = retries, max_sends, workers
        self.limiter = WriteLimiter(write_rate[0], write_rate[1], clock)
        self.last_error: Exception | None = None
        self._claimed: set[str] = set()
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._background = False
        self._lag = 0.0  # how long Graph takes to show a write lately (seconds)

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
        """Journal, send and verify (blocking, at most about ``verify_timeout``). When Graph is
        unreachable the change stays queued (state pending) for ``resume``/``run_forever``."""
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
            self._run(work)
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
        self,
        stop: threading.Event,
        *,
        on_status: Callable[[OutboxStatus], None] | None = None,
        idle: float = 5.0,
        backoff: tuple[float, float] = (1.0, 60.0),
    ) -> None:
        """Background loop (offline mode): resume, report, wait; back off while Graph is away.
        New work (``enqueue``/``submit``) wakes it early; setting ``stop`` ends it promptly."""
        self._background = True
        try:
            self._loop(stop, on_status, idle, backoff)
        finally:
            self._background = False

    def _loop(
        self,
        stop: threading.Event,
        on_status: Callable[[OutboxStatus], None] | None,
        idle: float,
        backoff: tuple[float, float],
    ) -> None:
        delay = backoff[0]
        while not stop.is_set():
            self._wake.clear()
            self.resume()
            wait = idle if self.last_error is None else delay
            delay = backoff[0] if self.last_error is None else min(delay * 2, backoff[1])
            if on_status is not None:
                on_status(dataclasses.replace(self.status(), retry_in=wait))
            steps = max(1, round(wait / 0.05))
            for _ in range(steps):
                if stop.wait(0.05) or self._wake.is_set():
                    break

    # -- the work -------------------------------------------------------------------------------
    def _run_device(self, device_id: str, upto: int) -> None:
        mine = self.journal.for_device(device_id, tenant=self.tenant)
        work = [e for e in mine if e.is_open and e.id <= upto]
        try:
            OutboxPass(self, work, wait_for_device=True).run()
        except Offline as exc:
            self.last_error = exc.error
            log.info("Change queued: %s", exc)

    def _run(self, work: list[JournalEntry]) -> None:
        OutboxPass(self, work, wait_for_device=False).run()

    def _claim(self, device_id: str, wait: bool) -> bool:
        """One pass at a time per device in this process (the journal guards across them)."""
        with self._cond:
            while device_id in self._claimed:
                if not wait:
                    return False
                self._cond.wait()
            self._claimed.add(device_id)
            return True

    def _release(self, device_id: str) -> None:
        with self._cond:
            self._claimed.discard(device_id)
            self._cond.notify_all()
