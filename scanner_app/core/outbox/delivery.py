"""The steps that move one journaled change: re-read, send once, settle a lost answer, mark.

Each step is small and final for its moment; the order they run in for one change is
``job.ChangeJob``'s, and when each job runs (per device, paced, overlapping) the scheduler's.
See the package docstring for why each rule holds: record before send, re-send only when a
re-read proves the write did not apply, and re-read before the first send so a change made
elsewhere becomes a conflict, not an overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
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
from scanner_app.core.journal.journal import (
    ACCEPTED,
    CONFLICT,
    FAILED,
    PENDING,
    SENT,
    SUPERSEDED,
    VERIFIED,
    Journal,
    JournalEntry,
)
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.outbox.pacing import WriteLimiter
from scanner_app.core.outbox.policy import RetryPolicy

#: Errors that mean "not now": the change waits and is tried again later.
TRANSIENT = (GraphUnreachable, Throttled, ServiceUnavailable, AuthenticationError)


class Autopilot(Protocol):
    def get(self, device_id: str) -> AutopilotDevice: ...
    def update(self, device_id: str, change: DeviceChange) -> str:
        """Send ``change``; returns the Graph request id(s) of its writes, for the audit."""
        ...


class Offline(Exception):
    """Graph cannot take work now (unreachable, throttled, sign-in needed); ``error`` says why."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def compare(entry: JournalEntry, device: AutopilotDevice) -> tuple[bool, dict[str, str], bool]:
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


class Lag:
    """How long Graph has lately taken to show a write, so verification first looks when a
    write usually shows (fewer wasted re-reads). Kept by the outbox across its passes."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def learn(self, seen_after: float, *, first_look: bool, policy: RetryPolicy) -> None:
        """A write showed ``seen_after`` seconds after its answer. Seen at the first look: it
        may be quicker now; try earlier next time."""
        lag = self.seconds * policy.lag_shrink if first_look else seen_after
        self.seconds = min(lag, policy.verify_timeout * policy.lag_share, policy.lag_most)


class Delivery:
    """The steps, on one journal and one Graph, timed by one policy (built by the outbox for
    each pass; ``lag`` and ``limiter`` are the outbox's, shared by its passes)."""

    def __init__(
        self,
        journal: Journal,
        autopilot: Autopilot,
        *,
        policy: RetryPolicy,
        limiter: WriteLimiter,
        lag: Lag,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.journal, self.autopilot, self.policy = journal, autopilot, policy
        self.limiter, self.lag, self.clock, self.sleep = limiter, lag, clock, sleep

    def check(self, entry: JournalEntry) -> JournalEntry:
        """Re-read before sending: already shown → verified; changed elsewhere → conflict."""
        device = self.read(entry)
        if device is None:
            return self.journal.get(entry.id)
        shown, foreign, _ = compare(entry, device)
        if shown:
            return self.mark(entry, VERIFIED, reason="Intune already showed these values")
        if foreign:
            return self.conflict(entry, device)
        return entry

    def conflict(self, entry: JournalEntry, device: AutopilotDevice) -> JournalEntry:
        """Someone else changed the device: keep what Intune shows now, for the operator."""
        current = {n: getattr(device, n) for n in entry.after}
        return self.mark(entry, CONFLICT, reason="changed in Intune since it was read",
                         current=current)  # fmt: skip

    def send(self, entry: JournalEntry, slots: list[list[float]]) -> JournalEntry:
        """Send once (the journal says "sent" first). Returns accepted, sent (fate unknown),
        failed; raises Offline (entry back to pending) when Graph certainly did not apply it."""
        try:
            entry = self.journal.mark(entry.id, SENT, attempt=True, expect=PENDING)
            request_id = self.autopilot.update(entry.device_id, entry.change)
        except WriteOutcomeUnknown as exc:
            return self.mark(entry, SENT, reason=exc.human(), request_id=exc.request_id)
        except TRANSIENT as exc:  # the client raises these for a write only when nothing applied
            self.mark(entry, PENDING, reason=str(exc), request_id=exc.request_id)
            raise Offline(exc) from exc
        except GraphError as exc:
            return self.mark(entry, FAILED, reason=str(exc), request_id=exc.request_id)
        finally:
            for slot in slots:
                self.limiter.done(slot)
        return self.mark(entry, ACCEPTED, request_id=request_id)

    def settle(self, entry: JournalEntry) -> JournalEntry:
        """A sent change with no answer: re-read until it shows, or until a consistency window
        has passed with the old values still there (then it did not apply)."""
        # Measured from now: the write (if it happened) reached Graph before this moment.
        deadline = self.clock() + self.policy.verify_timeout
        interval = self.policy.poll.after(0.0)
        while True:
            device = self.read(entry)
            if device is None:
                return self.journal.get(entry.id)
            shown, foreign, untouched = compare(entry, device)
            if shown:
                return self.mark(entry, VERIFIED, reason="applied (seen on re-read)")
            if foreign:
                return self.conflict(entry, device)
            left = deadline - self.clock()
            if left <= 0:
                if entry.attempts >= self.policy.max_sends:
                    return self.mark(entry, FAILED, reason=f"sent {entry.attempts} times, "
                                     "never applied")  # fmt: skip
                if untouched:
                    return self.mark(entry, PENDING, reason="not applied (re-read); sending again")
                return self.mark(entry, ACCEPTED, reason="applied in part so far")
            self.sleep(min(interval, left))
            interval = self.policy.poll.after(interval)

    def read(self, entry: JournalEntry) -> AutopilotDevice | None:
        """Re-read the device (retrying transient errors); None once the entry has failed."""
        wait = 0.0
        for attempt in range(self.policy.read_retries + 1):
            try:
                return self.autopilot.get(entry.device_id)
            except NotFound as exc:
                state = SUPERSEDED if entry.state == ACCEPTED else FAILED
                self.mark(entry, state, reason=str(exc), request_id=exc.request_id)
                return None
            except TRANSIENT as exc:
                if attempt >= self.policy.read_retries:
                    raise Offline(exc) from exc
                wait = self.policy.read_backoff.after(wait)
                self.sleep(wait)
        raise AssertionError("unreachable")

    def mark(
        self,
        entry: JournalEntry,
        state: str,
        *,
        reason: str = "",
        request_id: str = "",
        current: dict[str, str] | None = None,
    ) -> JournalEntry:
        """Move ``entry`` on, only if nobody (another thread or process) moved it first."""
        return self.journal.mark(
            entry.id,
            state,
            reason=reason,
            request_id=request_id,
            current=current,
            expect=entry.state,
        )
