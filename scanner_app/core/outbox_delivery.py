"""The steps that move one journaled change: re-read, send once, settle a lost answer, mark.

Each step is small and final for its moment; the order in which they run (per device, paced,
overlapping) is the scheduler's business (``outbox_scheduler``), and what the operator may ask
of the queue is the outbox's (``outbox``). See ``outbox``'s docstring for why each rule holds:
record before send, re-send only when a re-read proves the write did not apply, and re-read
before the first send so a change made elsewhere becomes a conflict, not an overwrite.
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
)
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.write_pacing import WriteLimiter

#: Errors that mean "not now": the change waits and is tried again later.
TRANSIENT = (GraphUnreachable, Throttled, ServiceUnavailable, AuthenticationError)


class Autopilot(Protocol):
    def get(self, device_id: str) -> AutopilotDevice: ...
    def update(self, device_id: str, change: DeviceChange) -> object: ...


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


class ChangeDelivery:
    """The per-change steps of ``Outbox`` (a mixin: ``Outbox.__init__`` sets these fields)."""

    journal: Journal
    autopilot: Autopilot
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    verify_timeout: float
    poll_interval: float
    retries: int
    max_sends: int
    limiter: WriteLimiter
    _lag: float  # how long Graph takes to show a write lately (seconds)

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
        shown, foreign, _ = compare(entry, device)
        if shown:
            return self._mark(entry, VERIFIED, reason="Intune already showed these values")
        if foreign:
            return self._conflict(entry, device)
        return entry

    def _conflict(self, entry: JournalEntry, device: AutopilotDevice) -> JournalEntry:
        """Someone else changed the device: keep what Intune shows now, for the operator."""
        current = {n: getattr(device, n) for n in entry.after}
        return self._mark(entry, CONFLICT, reason="changed in Intune since it was read",
                          current=current)  # fmt: skip

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
            shown, foreign, untouched = compare(entry, device)
            if shown:
                return self._mark(entry, VERIFIED, reason="applied (seen on re-read)")
            if foreign:
                return self._conflict(entry, device)
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
