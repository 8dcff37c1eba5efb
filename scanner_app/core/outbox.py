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
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from scanner_app.core.graph.errors import (
    AuthenticationError,
    GraphError,
    GraphUnreachable,
    NotFound,
    ServiceUnavailable,
    Throttled,
    WriteOutcomeUnknown,
)
from scanner_app.core.journal import (
    ACCEPTED,
    CONFLICT,
    FAILED,
    PENDING,
    SENT,
    SUPERSEDED,
    VERIFIED,
    Journal,
    JournalEntry,
    JournalError,
)
from scanner_app.core.models import AutopilotDevice, DeviceChange

log = logging.getLogger(__name__)

#: Errors that mean "not now": the change waits and is tried again later.
TRANSIENT = (GraphUnreachable, Throttled, ServiceUnavailable, AuthenticationError)
NOT_YET_VISIBLE = "accepted, not yet visible in Intune; it will be re-checked"
#: A pre-send re-read older than this (seconds; the write waited for a slot) is done again.
FRESH = 2.0
#: How early a write that waited long for a slot wakes up to re-read (seconds): early enough
#: that the re-reads are done before the slots free up, late enough to stay within FRESH.
LEAD = 1.5


class Autopilot(Protocol):
    def get(self, device_id: str) -> AutopilotDevice: ...
    def update(self, device_id: str, change: DeviceChange) -> object: ...


class Offline(Exception):
    """Graph cannot take work now (unreachable, throttled, sign-in needed); ``error`` says why."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class OutboxStatus:
    """What the status bar shows: is Graph reachable, how many changes wait, and why."""

    online: bool
    waiting: int
    conflicts: int
    message: str = ""
    retry_in: float = 0.0


class WriteLimiter:
    """At most ``limit`` writes in any ``window`` seconds. A slot is stamped when its write has
    completed: the server saw the write before we did, so its window is never exceeded."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._slots: list[list[float]] = []
        self._lock = threading.Lock()

    def acquire(self, n: int = 1) -> list[list[float]] | float:
        """``n`` slots (each to pass to ``done``) or the seconds to wait before they are free."""
        n = min(n, self.limit)
        with self._lock:
            now = self._clock()
            self._slots = [s for s in self._slots if s[0] > now - self.window]
            if len(self._slots) + n <= self.limit:
                slots = [[float("inf")] for _ in range(n)]  # in flight until done() stamps them
                self._slots.extend(slots)
                return slots
            stamps = sorted(s[0] for s in self._slots)
            freed = stamps[len(self._slots) + n - self.limit - 1]
            if freed == float("inf"):
                return 0.01  # waiting on writes still in flight: ask again shortly
            return max(0.001, freed + self.window - now)

    def done(self, slot: list[float]) -> None:
        with self._lock:
            slot[0] = self._clock()


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def _view(entry: JournalEntry, device: AutopilotDevice) -> tuple[bool, dict[str, str], bool]:
    """(shows the change, fields holding a third value, still shows every before-value)."""
    names = [n for n in entry.after if n != "addressable_user_name"]
    now = {n: getattr(device, n) for n in names}
    shown = all(_same(now[n], entry.after[n]) for n in names)
    foreign = {
        n: now[n]
        for n in names
        if not _same(now[n], entry.after[n]) and not _same(now[n], entry.before.get(n, ""))
    }
    untouched = all(_same(now[n], entry.before.get(n, "")) for n in names)
    return shown, foreign, untouched


def _writes(change: DeviceChange) -> int:
    """Graph writes one change costs: removing the user is a call of its own."""
    others = set(change.changed_fields()) - {"user_principal_name", "addressable_user_name"}
    return 2 if change.user_principal_name == "" and others else 1


class Outbox:
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
        for earlier in self.journal.for_device(device.id):
            if not earlier.is_open:
                continue
            if earlier.state == PENDING and set(earlier.after) <= set(change.changed_fields()):
                try:
                    self.journal.mark(
                        earlier.id, SUPERSEDED, reason="replaced by a newer change", expect=PENDING
                    )
                    continue
                except JournalError:
                    earlier = self.journal.get(earlier.id)  # being sent right now: queue behind
            if earlier.is_open:
                expected = dataclasses.replace(expected, **earlier.after)
        entry_id = self.journal.record(
            expected, change, operator=self.operator, tenant=self.tenant, undo_of=undo_of
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
        entry = self.journal.get(entry_id)
        if entry.state not in (VERIFIED, ACCEPTED):
            raise ValueError(f"change #{entry_id} is {entry.state}: only applied changes undo")
        shown = AutopilotDevice(id=entry.device_id, serial_number=entry.serial, **entry.after)
        undo = self.enqueue(shown, entry.before_change, undo_of=entry_id)
        self._run_device(entry.device_id, upto=undo.id)
        return self.journal.get(undo.id)

    def overwrite(self, entry_id: int) -> JournalEntry:
        """The operator's decision on a conflict: apply anyway over the values Graph showed."""
        entry = self.journal.get(entry_id)
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
        return self.journal.mark(
            entry_id, SUPERSEDED, reason="discarded by the operator", expect=CONFLICT
        )

    def retry(self, entry_id: int) -> JournalEntry:
        """Queue a failed change again and try it now."""
        entry = self.journal.mark(
            entry_id, PENDING, reason="retried by the operator", expect=FAILED
        )
        self._run_device(entry.device_id, upto=entry_id)
        return self.journal.get(entry_id)

    def resume(self) -> list[JournalEntry]:
        """Finish everything a previous run (or an outage) left open; returns those entries."""
        work = self.journal.pending()
        self.last_error = None
        try:
            self._run(work)
        except Offline as exc:
            self.last_error = exc.error
            log.info("Outbox waits: %s", exc)
        return [self.journal.get(e.id) for e in work]

    def pending_count(self) -> int:
        return len(self.journal.pending())

    def conflicts(self) -> list[JournalEntry]:
        return self.journal.in_state(CONFLICT)

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
        work = [e for e in self.journal.for_device(device_id) if e.is_open and e.id <= upto]
        try:
            _Pass(self, work, wait_for_device=True).run()
        except Offline as exc:
            self.last_error = exc.error
            log.info("Change queued: %s", exc)

    def _run(self, work: list[JournalEntry]) -> None:
        _Pass(self, work, wait_for_device=False).run()

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

    def _learn_lag(self, seen_after: float, *, first_look: bool) -> None:
        """Graph's recent consistency lag, so verification looks when a write usually shows
        (fewer wasted re-reads). Seen at the first look: it may be quicker now; try earlier."""
        lag = self._lag * 0.8 if first_look else seen_after
        self._lag = min(lag, self.verify_timeout / 4, 5.0)

    def _check(self, entry: JournalEntry) -> JournalEntry:
        """Re-read before sending: already shown → verified; changed elsewhere → conflict."""
        device = self._read(entry)
        if device is None:
            return self.journal.get(entry.id)
        shown, foreign, _ = _view(entry, device)
        if shown:
            return self._mark(entry, VERIFIED, reason="Intune already showed these values")
        if foreign:
            current = {n: getattr(device, n) for n in entry.after}
            return self._mark(entry, CONFLICT, reason="changed in Intune since it was read",
                              current=current)  # fmt: skip
        return entry

    def _send(self, entry: JournalEntry, slots: list[list[float]]) -> JournalEntry:
        """Send once (the journal says "sent" first). Returns accepted, sent (fate unknown),
        failed; raises Offline (entry back to pending) when Graph certainly did not apply it."""
        try:
            entry = self.journal.mark(entry.id, SENT, attempt=True, expect=PENDING)
            answer: object = self.autopilot.update(entry.device_id, entry.change)
        except WriteOutcomeUnknown as exc:
            return self._mark(entry, SENT, reason=exc.human(), request_id=exc.request_id)
        except TRANSIENT as exc:  # the client raises these for a write only when nothing applied
            self._mark(entry, PENDING, reason=str(exc), request_id=exc.request_id)
            raise Offline(exc) from exc
        except GraphError as exc:
            return self._mark(entry, FAILED, reason=str(exc), request_id=exc.request_id)
        finally:
            for slot in slots:
                self.limiter.done(slot)
        return self._mark(entry, ACCEPTED, request_id=self._request_id(answer))

    def _request_id(self, answer: object) -> str:
        """The Graph request id of the write just made, for the audit record: returned by
        ``update`` if it does, else the client's ``last_request_id`` (read on the same thread
        right after the call; exact only if the client keeps it per thread)."""
        if isinstance(answer, str):
            return answer
        client = getattr(self.autopilot, "client", None)
        return str(getattr(client, "last_request_id", "") or "")

    def _settle(self, entry: JournalEntry) -> JournalEntry:
        """A sent change with no answer: re-read until it shows, or until a consistency window
        has passed with the old values still there (then it did not apply)."""
        # Measured from now: the write (if it happened) reached Graph before this moment.
        deadline = self.clock() + self.verify_timeout
        interval = self.poll_interval
        while True:
            device = self._read(entry)
            if device is None:
                return self.journal.get(entry.id)
            shown, foreign, untouched = _view(entry, device)
            if shown:
                return self._mark(entry, VERIFIED, reason="applied (seen on re-read)")
            if foreign:
                current = {n: getattr(device, n) for n in entry.after}
                return self._mark(entry, CONFLICT, reason="changed in Intune since it was read",
                                  current=current)  # fmt: skip
            left = deadline - self.clock()
            if left <= 0:
                if entry.attempts >= self.max_sends:
                    return self._mark(entry, FAILED, reason=f"sent {entry.attempts} times, "
                                      "never applied")  # fmt: skip
                if untouched:
                    return self._mark(entry, PENDING, reason="not applied (re-read); sending again")
                return self._mark(entry, ACCEPTED, reason="applied in part so far")
            self.sleep(min(interval, left))
            interval = min(interval * 1.5, 2.0)

    def _read(self, entry: JournalEntry) -> AutopilotDevice | None:
        """Re-read the device (retrying transient errors); None once the entry has failed."""
        for attempt in range(self.retries + 1):
            try:
                return self.autopilot.get(entry.device_id)
            except NotFound as exc:
                state = SUPERSEDED if entry.state == ACCEPTED else FAILED
                self._mark(entry, state, reason=str(exc), request_id=exc.request_id)
                return None
            except TRANSIENT as exc:
                if attempt >= self.retries:
                    raise Offline(exc) from exc
                self.sleep(min(2.0**attempt, 30.0))
        raise AssertionError("unreachable")

    def _mark(
        self,
        entry: JournalEntry,
        state: str,
        *,
        reason: str = "",
        request_id: str = "",
        current: dict[str, str] | None = None,
    ) -> JournalEntry:
        return self.journal.mark(
            entry.id,
            state,
            reason=reason,
            request_id=request_id,
            current=current,
            expect=entry.state,
        )


class _Pass:
    """One pass over queued changes: a small scheduler of short tasks on a few threads.

    A write waiting for the limiter or a re-read waiting for Graph to catch up is put back on
    the timeline instead of sleeping on a thread, so slow calls and the verification of earlier
    writes overlap with sending (otherwise a queue drains far slower than the limit allows).
    Only the rare change whose answer was lost waits in place (``Outbox._settle``).
    Each device moves one change at a time: the next starts once the previous one is final.
    """

    def __init__(self, outbox: Outbox, work: list[JournalEntry], *, wait_for_device: bool) -> None:
        self.o = outbox
        self.queues: dict[str, deque[int]] = {}
        for entry in work:
            self.queues.setdefault(entry.device_id, deque()).append(entry.id)
        self.wait_for_device = wait_for_device
        self.mine: set[str] = set()
        # Two timelines: work that leads to a write goes before re-reads that verify.
        self.sends: list[tuple[float, int, Callable[[], None]]] = []
        self.checks: list[tuple[float, int, Callable[[], None]]] = []
        self.cond = threading.Condition()
        self.busy = 0
        self.seq = itertools.count()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for device_id in self.queues:
                if self.o._claim(device_id, self.wait_for_device):
                    self.mine.add(device_id)
                    self._next(device_id)
            threads = [
                threading.Thread(target=self._worker, name=f"outbox-{n}", daemon=True)
                for n in range(min(self.o.workers, len(self.mine)) - 1)
            ]
            for t in threads:
                t.start()
            self._worker()  # the calling thread works too
            for t in threads:
                t.join()
        finally:
            for device_id in list(self.mine):
                self._done(device_id)
        if self.error is not None:
            raise self.error

    def _at(self, when: float, task: Callable[[], None], *, check: bool = False) -> None:
        with self.cond:
            heapq.heappush(self.checks if check else self.sends, (when, next(self.seq), task))
            self.cond.notify()

    def _worker(self) -> None:
        while True:
            with self.cond:
                while True:
                    if self.error is not None or not (self.sends or self.checks or self.busy):
                        self.cond.notify_all()
                        return
                    now = self.o.clock()
                    due = [q for q in (self.sends, self.checks) if q and q[0][0] <= now]
                    if due:
                        task = heapq.heappop(due[0])[2]
                        self.busy += 1
                        break
                    nxt = [q[0][0] for q in (self.sends, self.checks) if q]
                    self.cond.wait(min(nxt) - now if nxt else None)
            try:
                task()
            except JournalError as exc:  # another thread or process moved the change first
                log.info("Change taken over elsewhere: %s", exc)
            except BaseException as exc:  # Offline, or a bug: stop the pass, report it
                with self.cond:
                    self.error = self.error or exc
            finally:
                with self.cond:
                    self.busy -= 1
                    self.cond.notify_all()

    def _next(self, device_id: str) -> None:
        """Start the device's next open change, or let the device go."""
        queue = self.queues[device_id]
        while queue and not self.o.journal.get(queue[0]).is_open:
            queue.popleft()
        if queue:
            entry_id = queue[0]
            self._at(self.o.clock(), lambda: self._advance(entry_id))
        else:
            self._done(device_id)

    def _done(self, device_id: str) -> None:
        """Nothing more for this device in this pass: a waiting ``submit`` may take it."""
        with self.cond:
            if device_id not in self.mine:
                return
            self.mine.discard(device_id)
        self.o._release(device_id)

    def _advance(self, entry_id: int) -> None:
        entry = self.o.journal.get(entry_id)
        if entry.state == SENT:
            entry = self.o._settle(entry)
        if entry.state == PENDING:
            entry = self.o._check(entry)
            if entry.state == PENDING:
                self._send(entry_id, self.o.clock())
                return
        if entry.state == ACCEPTED:
            now = self.o.clock()
            task = lambda: self._verify(entry_id, now, 0.0)  # noqa: E731
            self._at(now + self.o._lag, task, check=True)  # first look when it usually shows
        elif not entry.is_open:
            self._next(entry.device_id)

    def _send(self, entry_id: int, read_at: float) -> None:
        entry = self.o.journal.get(entry_id)
        if self.o.clock() - read_at > FRESH:  # waited long for a slot: look again first
            entry, read_at = self.o._check(entry), self.o.clock()
            if entry.state != PENDING:
                self._advance(entry_id)
                return
        got = self.o.limiter.acquire(_writes(entry.change))
        if isinstance(got, float):
            # A long wait: wake up a little early, so the fresh re-read is done by slot time.
            early = LEAD if got > FRESH else 0.0
            self._at(self.o.clock() + got - early, lambda: self._send(entry_id, read_at))
            return
        self.o._send(entry, got)
        self._advance(entry_id)

    def _verify(self, entry_id: int, accepted_at: float, interval: float) -> None:
        """One re-read of an accepted change; again later until Graph shows it or time is up."""
        entry = self.o.journal.get(entry_id)
        device = self.o._read(entry) if entry.state == ACCEPTED else None
        if device is not None:
            shown, foreign, _ = _view(entry, device)
            if shown:
                self.o._learn_lag(self.o.clock() - accepted_at, first_look=not interval)
                entry = self.o._mark(entry, VERIFIED)
            elif foreign:
                entry = self.o._mark(
                    entry, SUPERSEDED, reason=f"changed in Intune since: {foreign}"
                )
            elif self.o.clock() >= accepted_at + self.o.verify_timeout:
                self.o._mark(entry, ACCEPTED, reason=NOT_YET_VISIBLE)
                self._done(entry.device_id)  # its later changes wait for the next pass
                return
            else:
                interval = min(max(interval * 1.5, self.o.poll_interval), 2.0)
                task = lambda: self._verify(entry_id, accepted_at, interval)  # noqa: E731
                self._at(self.o.clock() + interval, task, check=True)
                return
        entry = self.o.journal.get(entry_id)
        if not entry.is_open:
            self._next(entry.device_id)
