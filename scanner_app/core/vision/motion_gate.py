"""Which live frames deserve the full decode: a motion gate in front of the Decoder.

A webcam on a bench or a field laptop looks at an empty desk most of the day, and decoding an
unchanged picture 30 times a second finds nothing new at the cost of a seventh of a core (1080p:
~4.5 ms a frame for the gray conversion and ``Decoder.decode_frame``). A label cannot enter view
without changing the picture, so the gate compares a thumbnail of each frame (every 4th pixel of
one colour plane, area-averaged to ~120 cells across: ~0.3 ms at 1080p) with the thumbnail of
the frame decoded last, and lets a frame through when:

- enough cells changed (beyond sensor noise, after removing a change of the whole picture's
  brightness, which auto-exposure makes): something moved; then also the ``settle`` frames after
  the motion, since a label is read once it stops, not while it smears;
- a code was read in the last ``hold`` frames: a label in view is read on every frame, so the
  Tracker never takes a still label for a label that left (``hold`` = its ``forget_after``);
- ``heartbeat`` frames went by without a decode: whatever the gate misjudged (a label slid in too
  slowly or too faintly to count as motion) is read a third of a second later at worst.

``GatedReader`` is one step of the camera's decode loop (gate, decode, confirm), Qt-free, so the
camera thread and the tests run the same code. ``benchmarks/capture.py`` (1080p30, nothing in
view): the decode loop went from 0.14 to 0.04 cores, 38 of 300 frames decoded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np

from scanner_app.core.models import Symbol
from scanner_app.core.vision import preprocess as pp

log = logging.getLogger(__name__)

__all__ = ["GatedReader", "MotionGate", "Step"]

#: Thumbnail width in cells (a 1080p frame: 16 x 16 pixels a cell).
CELLS_ACROSS = 120


def thumbnail(frame: np.ndarray) -> np.ndarray:
    """A small gray picture of ``frame`` (BGR or one plane): every ``step``-th pixel of the green
    plane (or the one plane), area-averaged, so sensor noise averages out."""
    h, w = frame.shape[:2]
    factor = max(1, w // CELLS_ACROSS)
    step = max(1, factor // 4)
    plane = frame if frame.ndim == 2 else frame[:, :, 1 if frame.shape[2] >= 3 else 0]
    size = (max(1, w // factor), max(1, h // factor))
    small = np.ascontiguousarray(plane[::step, ::step])
    return cv2.resize(small, size, interpolation=cv2.INTER_AREA)


class MotionGate:
    """Says, frame by frame, whether the full decode should run (see the module docstring).

    ``delta``: grey levels a cell must change by to count (a thumbnail cell averages 16 pixels
    of a 1080p frame, so sensor noise moves it by 1-5); ``cells``: changed cells that make
    motion (a small label, 60 px at 1080p, covers about 16). ``decoded`` and ``skipped`` count
    the frames let through and held back."""

    def __init__(
        self,
        *,
        delta: int = 12,
        cells: int = 3,
        settle: int = 8,
        hold: int = 15,
        heartbeat: int = 10,
    ) -> None:
        self.delta, self.cells = delta, cells
        self.settle, self.hold, self.heartbeat = settle, hold, heartbeat
        self.decoded = self.skipped = 0
        self.reset()

    def reset(self) -> None:
        """Forget the picture (a new camera): the next frame is decoded."""
        self._n = 0
        self._ref: np.ndarray | None = None
        self._open_until = 0
        self._last_decode = 0

    def wants(self, frame: np.ndarray) -> bool:
        """Whether ``frame`` (the next one of the stream) should be decoded."""
        self._n += 1
        thumb = thumbnail(frame)
        if self.moved(thumb):
            self._open_until = self._n + self.settle
        due = self._n - self._last_decode >= self.heartbeat
        if self._n <= self._open_until or due:
            self._ref, self._last_decode = thumb, self._n
            self.decoded += 1
            return True
        self.skipped += 1
        return False

    def moved(self, thumb: np.ndarray) -> bool:
        """Whether ``thumb`` differs from the last decoded frame's beyond noise and exposure."""
        ref = self._ref
        if ref is None or ref.shape != thumb.shape:
            return True
        diff = thumb.astype(np.int16) - ref.astype(np.int16)
        diff -= np.int16(np.median(diff))  # the whole picture brighter or darker: exposure
        return int(np.count_nonzero(np.abs(diff) > self.delta)) >= self.cells

    def saw(self, symbols: Iterable[Symbol]) -> None:
        """What the decode of the frame let through read: a code in view keeps the gate open."""
        if any(True for _ in symbols):
            self._open_until = max(self._open_until, self._n + self.hold)


class FrameDecoder(Protocol):
    def decode_frame(self, gray: np.ndarray) -> list[Symbol]: ...


class FrameTracker(Protocol):
    def update(self, symbols: list[Symbol]) -> list[Symbol]: ...

    def rearm(self) -> None: ...


@dataclass
class Step:
    """One frame through the loop: ``symbols`` read (None: the gate held the frame back, the
    decoder did not run) and those the Tracker ``confirmed`` on it."""

    symbols: list[Symbol] | None
    confirmed: list[Symbol] = field(default_factory=list)


class GatedReader:
    """Gate, decode, confirm: one live frame at a time (``gate=None``: every frame decoded).

    Frames held back still reach the Tracker, as frames with nothing read, so its counts stay in
    frames of the stream (``forget_after`` is about half a second at 30 fps)."""

    def __init__(
        self,
        decoder: FrameDecoder,
        tracker: FrameTracker,
        gate: MotionGate | None = None,
        to_gray: Callable[[np.ndarray], np.ndarray] = pp.to_gray,
    ) -> None:
        self.decoder, self.tracker, self.gate = decoder, tracker, gate
        self._to_gray = to_gray

    def step(self, frame: np.ndarray, *, rearm: bool = False) -> Step:
        symbols: list[Symbol] | None = None
        if self.gate is None or self.gate.wants(frame):
            symbols = self.decoder.decode_frame(self._to_gray(frame))
            if self.gate is not None:
                self.gate.saw(symbols)
        if rearm:
            self.tracker.rearm()
        return Step(symbols, self.tracker.update(symbols or []))
