"""A network whose answers take a set time on a fake clock: a slow Graph without waiting for it.

``SlowWire(clock, seconds)`` is mounted on the client's session in front of the simulated tenant.
Every answer takes ``seconds`` of ``clock``. A request whose read timeout is shorter ends the way
a real socket does: the clock moves by the timeout and ``requests.ReadTimeout`` is raised (the
request is then not passed on, which for the reads these tests make changes nothing).
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter

from .conftest import FakeClock


class SlowWire(HTTPAdapter):
    def __init__(self, clock: FakeClock, seconds: float) -> None:
        super().__init__()
        self.clock, self.seconds = clock, seconds
        self.timeouts: list[float] = []  # the read timeout each request was sent with

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        timeout = kwargs.get("timeout")
        read = timeout[1] if isinstance(timeout, tuple) else timeout
        self.timeouts.append(float(read) if read is not None else float("inf"))
        if read is not None and read < self.seconds:
            self.clock.advance(float(read))
            raise requests.ReadTimeout(f"read timed out (read timeout={read})", request=request)
        self.clock.advance(self.seconds)
        return super().send(request, *args, **kwargs)


def slow_session(clock: FakeClock, seconds: float) -> tuple[requests.Session, SlowWire]:
    """A session whose every request goes over a ``SlowWire``."""
    wire = SlowWire(clock, seconds)
    session = requests.Session()
    session.mount("http://", wire)
    session.mount("https://", wire)
    return session, wire
