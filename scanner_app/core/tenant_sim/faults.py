"""Fault injection: make the simulated tenant misbehave the ways Graph really does.

Each ``Fault`` matches requests by method and path pattern (``fnmatch`` on the path without the
query, e.g. ``*/windowsAutopilotDeviceIdentities*``) and fires ``count`` times (None = until
cleared). Kinds:

- ``latency``: wait ``latency_ms`` before answering (then answer normally; never used up);
- ``throttle``: 429, with ``Retry-After: retry_after`` when given, without it otherwise;
- ``error``: a 5xx (``status``, default 503) with an ODataError body;
- ``drop``: close the connection without answering, *before* processing the request;
- ``drop_after``: process the request (a write is applied!) and then drop the connection;
- ``malformed``: process the request and answer 200 with a truncated JSON body.

Switchable at run time (thread-safe) and from the command line with ``parse``.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field

KINDS = ("latency", "throttle", "error", "drop", "drop_after", "malformed")


@dataclass
class Fault:
    kind: str
    path: str = "*"
    method: str | None = None
    count: int | None = 1
    status: int = 503
    retry_after: float | None = None
    latency_ms: float = 0.0
    fired: int = field(default=0)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return fnmatch.fnmatchcase(path, self.path)

    @property
    def used_up(self) -> bool:
        return self.count is not None and self.fired >= self.count


class FaultInjector:
    """The active faults; the server asks ``take`` once per request."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, kind: str, **options: object) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(KINDS)}")
        fault = Fault(kind, **options)  # type: ignore[arg-type]
        with self._lock:
            self._faults.append(fault)
        return fault

    def latency(self, ms: float, path: str = "*", method: str | None = None) -> Fault:
        return self.add("latency", latency_ms=ms, path=path, method=method, count=None)

    def throttle(
        self,
        count: int | None = 1,
        retry_after: float | None = None,
        path: str = "*",
        method: str | None = None,
    ) -> Fault:
        return self.add("throttle", count=count, retry_after=retry_after, path=path, method=method)

    def error(
        self, status: int = 503, count: int | None = 1, path: str = "*", method: str | None = None
    ) -> Fault:
        return self.add("error", status=status, count=count, path=path, method=method)

    def drop(
        self,
        count: int | None = 1,
        path: str = "*",
        method: str | None = None,
        after_processing: bool = False,
    ) -> Fault:
        kind = "drop_after" if after_processing else "drop"
        return self.add(kind, count=count, path=path, method=method)

    def malformed(self, count: int | None = 1, path: str = "*", method: str | None = None) -> Fault:
        return self.add("malformed", count=count, path=path, method=method)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def active(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if not f.used_up]

    def take(self, method: str, path: str) -> tuple[float, Fault | None]:
        """(latency in ms to add, the one non-latency fault to apply or None) for a request."""
        delay, chosen = 0.0, None
        with self._lock:
            for f in self._faults:
                if f.used_up or not f.matches(method, path):
                    continue
                if f.kind == "latency":
                    delay += f.latency_ms
                elif chosen is None:
                    f.fired += 1
                    chosen = f
        return delay, chosen


def parse(spec: str) -> tuple[str, dict[str, object]]:
    """``KIND[:key=value...]`` -> (kind, options), e.g. ``throttle:count=3:retry_after=2``.

    Aliases: ``429`` = throttle, ``503``/``500``/``504`` = error with that status.
    """
    head, *rest = spec.split(":")
    options: dict[str, object] = {}
    kind = head.strip().lower()
    if kind == "429":
        kind = "throttle"
    elif kind.isdigit():
        options["status"], kind = int(kind), "error"
    for item in rest:
        key, _, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if key in ("count",):
            options[key] = None if value in ("", "inf", "forever") else int(value)
        elif key in ("status",):
            options[key] = int(value)
        elif key in ("retry_after", "latency_ms", "ms"):
            options["latency_ms" if key == "ms" else key] = float(value)
        elif key in ("path", "method"):
            options[key] = value
        else:
            raise ValueError(f"unknown fault option {key!r} in {spec!r}")
    if kind == "latency":
        options.setdefault("count", None)
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {head!r}; one of 429, 5xx, {', '.join(KINDS)}")
    return kind, options
