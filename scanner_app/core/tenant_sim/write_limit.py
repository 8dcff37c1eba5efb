"""Intune's per-app write limit, enforced by the simulated tenant.

Intune allows an app 100 writes in any 20 seconds; past that it answers 429 with ``Retry-After``
(seconds until the oldest write in the window leaves it). The outbox paces itself under that
limit, and the only honest way to prove it does is a tenant that refuses what a real one would.
Only POSTs under ``windowsAutopilotDeviceIdentities`` count (the device writes the app makes);
reads and the tenant-wide sync are left alone. The window uses the tenant's clock, so a test
with a fake clock controls it too.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Intune's documented limit for device writes: 100 per 20 seconds per app.
INTUNE_WRITE_LIMIT: tuple[int, float] = (100, 20.0)
_DEVICES = "/deviceManagement/windowsAutopilotDeviceIdentities/"


class WriteLimit:
    """A sliding window of accepted writes. ``admit`` says whether one more is allowed now."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a write limit needs limit >= 1 and window > 0")
        self.limit, self.window, self.clock = limit, window, clock
        self.accepted = 0
        self.refused = 0
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    @staticmethod
    def applies_to(method: str, path: str) -> bool:
        """True for a device write (``POST …/windowsAutopilotDeviceIdentities/{id}/action``)."""
        return method == "POST" and _DEVICES in path

    def admit(self) -> float | None:
        """None when the write may go ahead (and counts it); else the seconds to wait."""
        with self._lock:
            now = self.clock()
            while self._times and self._times[0] <= now - self.window:
                self._times.popleft()
            if len(self._times) < self.limit:
                self._times.append(now)
                self.accepted += 1
                return None
            self.refused += 1
            wait = self._times[0] + self.window - now
            log.debug("write refused: %d in the last %g s", len(self._times), self.window)
            return max(wait, 0.001)

    @staticmethod
    def retry_after(wait: float) -> str:
        """The ``Retry-After`` value: whole seconds rounded up, as Graph sends them (waiting that
        long is then always enough); under a second, milliseconds, for short test windows."""
        return f"{wait:.3f}".rstrip("0").rstrip(".") if wait < 1 else str(int(-(-wait // 1)))
