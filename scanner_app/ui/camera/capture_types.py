"""The types a caller of ``CameraThread`` deals with besides the class itself.

What it is given (a decoder and a tracker: anything with these methods, so tests and benchmarks
can inject their own) and what it reports back (``CaptureStats``). Kept apart so the loops in
``camera_thread`` are not preceded by a page of declarations; ``camera_thread`` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from scanner_app.core.models import Symbol


class DecoderLike(Protocol):
    def decode_frame(self, gray: np.ndarray) -> list[Symbol]: ...


class TrackerLike(Protocol):
    def update(self, symbols: list[Symbol]) -> list[Symbol]: ...

    def rearm(self) -> None: ...


@dataclass
class CaptureStats:
    """Counters since start; read them from any thread (plain ints, written by one thread)."""

    captured: int = 0  # frames read from the source
    decoded: int = 0  # frames the decoder worked on
    dropped: int = 0  # frames replaced in the mailbox before the decoder took them
    shown: int = 0  # frames sent to the view
    decode_ms: float = 0.0  # the last decode's duration
    last_decoded_index: int = -1  # capture index of the frame decoded last
    last_confirmed_index: int = -1  # capture index of the frame that confirmed a symbol


__all__ = ["CaptureStats", "DecoderLike", "TrackerLike"]
