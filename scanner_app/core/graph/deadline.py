"""A time limit for a block of Graph reads on one thread: every request, retry and wait in it.

Why: a slow Graph (35 s answers) held one look-up for 195 s, six 30 s read timeouts in a row,
while the operator stood at the bench with a device in hand. The client's retry rules are right
for each request on its own; what was missing is a bound on the whole. ``GraphClient`` keeps one
``ReadDeadline`` and a look-up runs inside ``client.read_deadline(seconds)``: each request's
connect and read timeouts are cut to the time left, a retry wait that would outlast it is not
waited at all, and once it has passed the call raises ``GraphTooSlow``. That is a kind of
``GraphUnreachable``, so the look-up answers from the offline cache, saying Graph is slow.

The limit is per thread (the GUI looks up on a pool thread while the outbox writes on another)
and the client applies it to reads only: a write cut short by a timer has an unknown outcome,
and the outbox has its own rules for those. Nested blocks keep the earlier end.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from scanner_app.core.graph.errors import GraphTooSlow


class ReadDeadline:
    """When this thread's reads must be done, on ``clock`` (monotonic seconds)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._local = threading.local()

    @contextmanager
    def within(self, seconds: float | None) -> Iterator[None]:
        """Reads inside the block must be done within ``seconds`` (None: no limit)."""
        previous: tuple[float, float] | None = getattr(self._local, "limit", None)
        if seconds is None:
            yield
            return
        limit = (self.clock() + seconds, seconds)
        if previous is not None and previous[0] <= limit[0]:
            limit = previous
        self._local.limit = limit
        try:
            yield
        finally:
            self._local.limit = previous

    def left(self) -> float | None:
        """Seconds left on this thread's deadline; None when there is none."""
        limit: tuple[float, float] | None = getattr(self._local, "limit", None)
        return None if limit is None else limit[0] - self.clock()

    def check(self) -> None:
        """Raise ``GraphTooSlow`` when this thread's deadline has passed."""
        left = self.left()
        if left is not None and left <= 0:
            raise self.error()

    def error(self) -> GraphTooSlow:
        limit: tuple[float, float] | None = getattr(self._local, "limit", None)
        return GraphTooSlow(limit[1] if limit else 0.0)

    def cap(self, timeout: tuple[float, float]) -> tuple[tuple[float, float], bool]:
        """``(connect, read)`` timeouts cut to the time left, and whether either was cut.
        Raises ``GraphTooSlow`` when no time is left."""
        self.check()
        left = self.left()
        if left is None or left >= max(timeout):
            return timeout, False
        return (min(timeout[0], left), min(timeout[1], left)), True

    def allow_wait(self, seconds: float) -> None:
        """Raise ``GraphTooSlow`` now rather than wait ``seconds`` past the deadline."""
        left = self.left()
        if left is not None and seconds >= left:
            raise self.error()
