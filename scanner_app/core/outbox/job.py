"""One journaled change as a job for the scheduler: the order of its steps, and its waits.

A change left "sent" by a lost answer (or a crash) is settled first; a pending one is re-read
and sent when a write slot is free; an accepted one is re-read until Graph shows it. Waiting
for a slot or for Graph is never done on a thread: the step says when to run again
(``scheduler.Later``), so slow calls and the verification of earlier writes overlap with
sending. Only the rare lost answer waits in place (``Delivery.settle``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from scanner_app.core.journal.journal import (
    ACCEPTED,
    PENDING,
    SENT,
    SUPERSEDED,
    VERIFIED,
    JournalError,
    JournalUnavailable,
)
from scanner_app.core.outbox.delivery import Delivery, compare
from scanner_app.core.outbox.pacing import write_cost
from scanner_app.core.outbox.scheduler import End, Later, Next

log = logging.getLogger(__name__)

NOT_YET_VISIBLE = "accepted, not yet visible in Intune; it will be re-checked"


class ChangeJob:
    """Moves journal entry ``entry_id`` (of device ``key``) as far as it can go in one pass."""

    def __init__(self, entry_id: int, key: str, delivery: Delivery) -> None:
        self.entry_id, self.key, self.d = entry_id, key, delivery
        self._next_step: Callable[[], Next] = self._advance
        self._read_at = 0.0  # when the device was last re-read before the send
        self._accepted_at = 0.0
        self._interval = 0.0  # the wait before the latest verifying re-read (0.0: first look)

    def step(self) -> Next:
        try:
            return self._next_step()
        except JournalUnavailable:  # nothing can be recorded: the pass stops and reports it
            raise
        except JournalError as exc:  # another thread or process moved the change first
            log.info("Change taken over elsewhere: %s", exc)
            return End.HOLD

    def _advance(self) -> Next:
        d = self.d
        entry = d.journal.get(self.entry_id)
        if entry.state == SENT:
            entry = d.settle(entry)
        if entry.state == PENDING:
            entry = d.check(entry)
            if entry.state == PENDING:
                self._read_at = d.clock()
                return self._send()
        if entry.state == ACCEPTED:
            self._accepted_at, self._interval = d.clock(), 0.0
            self._next_step = self._verify
            # The first look when a write usually shows.
            return Later(self._accepted_at + d.lag.seconds, urgent=False)
        return End.HOLD if entry.is_open else End.DONE

    def _send(self) -> Next:
        d, policy = self.d, self.d.policy
        entry = d.journal.get(self.entry_id)
        if d.clock() - self._read_at > policy.reread_after:  # waited long for a slot: look again
            entry, self._read_at = d.check(entry), d.clock()
            if entry.state != PENDING:
                return self._advance()
        got = d.limiter.acquire(write_cost(entry.change))
        if isinstance(got, float):
            # A long wait: wake up a little early, so the fresh re-read is done by slot time.
            early = policy.wake_early if got > policy.reread_after else 0.0
            self._next_step = self._send
            return Later(d.clock() + got - early)
        d.send(entry, got)
        return self._advance()

    def _verify(self) -> Next:
        """One re-read of an accepted change; again later until Graph shows it or time is up."""
        d, policy = self.d, self.d.policy
        entry = d.journal.get(self.entry_id)
        device = d.read(entry) if entry.state == ACCEPTED else None
        if device is not None:
            shown, foreign, _ = compare(entry, device)
            if shown:
                seen_after = d.clock() - self._accepted_at
                d.lag.learn(seen_after, first_look=not self._interval, policy=policy)
                d.mark(entry, VERIFIED)
            elif foreign:
                d.mark(entry, SUPERSEDED, reason=f"changed in Intune since: {foreign}")
            elif d.clock() >= self._accepted_at + policy.verify_timeout:
                d.mark(entry, ACCEPTED, reason=NOT_YET_VISIBLE)
                return End.HOLD  # its device's later changes wait for the next pass
            else:
                self._interval = policy.poll.after(self._interval)
                return Later(d.clock() + self._interval, urgent=False)
        entry = d.journal.get(self.entry_id)
        return End.HOLD if entry.is_open else End.DONE
