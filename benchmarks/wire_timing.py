"""The HTTP adapter the benchmarks time Graph round trips with (shared by lookup and ui_latency).

It records each request's time on the wire — send, then read the whole body — so a benchmark can
subtract what the network (or the simulated tenant's injected latency) took from what it measured
end to end, leaving what the app itself adds.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter


class TimedAdapter(HTTPAdapter):
    """Records each request's time on the wire (send + read the whole body), in seconds."""

    def __init__(self) -> None:
        super().__init__()
        self.trips: list[float] = []

    @property
    def spent(self) -> float:
        """Seconds on the wire so far, all requests together."""
        return sum(self.trips)

    def send(self, request: Any, *args: Any, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        try:
            response = super().send(request, *args, **kwargs)
            _ = response.content
            return response
        finally:
            self.trips.append(time.perf_counter() - started)
