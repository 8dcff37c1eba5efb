"""A pass of short jobs on a few threads: in order per key, side by side across keys.

Graph answers a call in 100-300 ms and shows a write some seconds later, so a queue worked one
change at a time on one thread drains far slower than Intune's write limit allows. A pass keeps
the jobs of one key (a device) in order, the next starting once the one before is final, while
different keys proceed side by side on a few threads; a job that has to wait (for a write slot,
for Graph to show a write) says when to run it again instead of sleeping on a thread.

The scheduler knows a job only through ``Job``: its ``key`` and ``step()``. What a step does
(re-read, send, verify) is the job's business (``job.ChangeJob``); which keys this process is
working on right now is ``Claims``'s, shared by every pass of one outbox.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol


@dataclass(frozen=True)
class Later:
    """Run the job's next step at ``at`` (the pass's clock). When both are due, ``urgent``
    steps (work that leads to a write) go before the others (re-reads that verify)."""

    at: float
    urgent: bool = True


class End(Enum):
    DONE = "done"  # final: the key's next job starts
    HOLD = "hold"  # open, nothing more this pass: the key's later jobs wait for the next pass


Next = Later | End


class Job(Protocol):
    """What the scheduler knows of a job."""

    @property
    def key(self) -> str:
        """Jobs with one key run one at a time, in the order given."""
        ...

    def step(self) -> Next:
        """Do one short piece of the work; say what comes next. An exception stops the pass."""
        ...


class Claims:
    """The keys some pass of this process is working on: one pass at a time per key."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._cond = threading.Condition()

    def take(self, key: str, *, wait: bool) -> bool:
        """Claim ``key``; when another pass holds it, wait for it (``wait``) or give up."""
        with self._cond:
            while key in self._taken:
                if not wait:
                    return False
                self._cond.wait()
            self._taken.add(key)
            return True

    def give_back(self, key: str) -> None:
        with self._cond:
            self._taken.discard(key)
            self._cond.notify_all()


def run_pass(
    jobs: Sequence[Job],
    *,
    claims: Claims,
    clock: Callable[[], float],
    workers: int,
    wait_for_keys: bool,
) -> None:
    """Run ``jobs`` to their end (or hold) on up to ``workers`` threads, the caller's included.
    Keys another pass holds are waited for (``wait_for_keys``) or left to it. The first
    exception a step raises stops the pass and is raised here; every claim is given back."""
    _Pass(jobs, claims, clock).run(workers, wait_for_keys)


class _Pass:
    def __init__(self, jobs: Sequence[Job], claims: Claims, clock: Callable[[], float]) -> None:
        self.claims, self.clock = claims, clock
        self.queues: dict[str, deque[Job]] = {}
        for job in jobs:
            self.queues.setdefault(job.key, deque()).append(job)
        self.mine: set[str] = set()
        # Two timelines: work that leads to a write goes before re-reads that verify.
        self.urgent: list[tuple[float, int, Job]] = []
        self.later: list[tuple[float, int, Job]] = []
        self.cond = threading.Condition()
        self.busy = 0
        self.seq = itertools.count()
        self.error: BaseException | None = None

    def run(self, workers: int, wait: bool) -> None:
        try:
            for key in self.queues:
                if self.claims.take(key, wait=wait):
                    self.mine.add(key)
                    self._at(Later(self.clock()), self.queues[key][0])
            threads = [
                threading.Thread(target=self._worker, name=f"outbox-{n}", daemon=True)
                for n in range(min(workers, len(self.mine)) - 1)
            ]
            for t in threads:
                t.start()
            self._worker()  # the calling thread works too
            for t in threads:
                t.join()
        finally:
            for key in list(self.mine):
                self._let_go(key)
        if self.error is not None:
            raise self.error

    def _at(self, when: Later, job: Job) -> None:
        with self.cond:
            timeline = self.urgent if when.urgent else self.later
            heapq.heappush(timeline, (when.at, next(self.seq), job))
            self.cond.notify()

    def _worker(self) -> None:
        while True:
            with self.cond:
                while True:
                    if self.error is not None or not (self.urgent or self.later or self.busy):
                        self.cond.notify_all()
                        return
                    now = self.clock()
                    due = [q for q in (self.urgent, self.later) if q and q[0][0] <= now]
                    if due:
                        job = heapq.heappop(due[0])[2]
                        self.busy += 1
                        break
                    nxt = [q[0][0] for q in (self.urgent, self.later) if q]
                    self.cond.wait(min(nxt) - now if nxt else None)
            try:
                self._follow(job, job.step())
            except BaseException as exc:  # the journal gone, Graph away, or a bug: stop, report
                with self.cond:
                    self.error = self.error or exc
            finally:
                with self.cond:
                    self.busy -= 1
                    self.cond.notify_all()

    def _follow(self, job: Job, next_: Next) -> None:
        if isinstance(next_, Later):
            self._at(next_, job)
        elif next_ is End.HOLD:
            self._let_go(job.key)
        else:
            queue = self.queues[job.key]
            queue.popleft()
            if queue:
                self._at(Later(self.clock()), queue[0])
            else:
                self._let_go(job.key)

    def _let_go(self, key: str) -> None:
        """Nothing more for this key in this pass: a waiting pass may take it."""
        with self.cond:
            if key not in self.mine:
                return
            self.mine.discard(key)
        self.claims.give_back(key)
