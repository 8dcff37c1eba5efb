"""Write pacing for the outbox: never more than Intune's write limit in any window.

Intune allows 100 writes per 20 s per app. A sliding log of write times keeps to that exactly;
a token bucket with a full burst would allow twice the limit in one window. Kept apart from
the outbox so the rule (and what one change costs in writes) can be read and tested alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from scanner_app.core.models import DeviceChange


class WriteLimiter:
    """At most ``limit`` writes in any ``window`` seconds. A slot is stamped when its write has
    completed: the server saw the write before we did, so its window is never exceeded.
    ``recheck`` is the wait to give while the writes that hold the slots are still in flight
    (``RetryPolicy.slot_recheck``)."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float], *, recheck: float
    ) -> None:
        self.limit, self.window, self.recheck, self._clock = limit, window, recheck, clock
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
                return self.recheck  # waiting on writes still in flight: ask again shortly
            return max(0.001, freed + self.window - now)

    def done(self, slot: list[float]) -> None:
        with self._lock:
            slot[0] = self._clock()


def write_cost(change: DeviceChange) -> int:
    """Graph writes one change costs: removing the user is a call of its own."""
    others = set(change.changed_fields()) - {"user_principal_name", "addressable_user_name"}
    return 2 if change.user_principal_name == "" and others else 1
