"""One pass of the outbox over queued changes: per-device order, worker threads, pacing.

Graph answers a call in 100-300 ms and shows a write some seconds later, so a queue worked one
change at a time on one thread drains far slower than Intune's write limit allows. A pass keeps
each device's changes in order (the next starts once the previous one is final) while different
devices proceed side by side on a few threads, and puts a write waiting for a slot or a re-read
waiting for Graph back on a timeline instead of sleeping on a thread. The steps themselves
(re-read, send, settle, mark) are ``outbox_delivery``'s; the pass only decides when each runs.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from scanner_app.core.journal import (
    ACCEPTED,
    PENDING,
    SENT,
    SUPERSEDED,
    VERIFIED,
    JournalEntry,
    JournalError,
    JournalUnavailable,
)
from scanner_app.core.outbox_delivery import compare
from scanner_app.core.write_pacing import write_cost

if TYPE_CHECKING:
    from scanner_app.core.outbox import Outbox

log = logging.getLogger(__name__)

NOT_YET_VISIBLE = "accepted, not yet visible in Intune; it will be re-checked"
#: A pre-send re-read older than this (seconds; the write waited for a slot) is done again.
FRESH = 2.0
#: How early a write that waited long for a slot wakes up to re-read (seconds): early enough
#: that the re-reads are done before the slots free up, late enough to stay within FRESH.
LEAD = 1.5


class OutboxPass:
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
            except JournalUnavailable as exc:  # nothing can be recorded: stop, report it
                with self.cond:
                    self.error = self.error or exc
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
        got = self.o.limiter.acquire(write_cost(entry.change))
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
            shown, foreign, _ = compare(entry, device)
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
