"""What the Decoder asks of a barcode engine, and the one optional capability that steers it.

An engine is a class with a ``name``, a way to say why it cannot run here (``unavailable``: None
when it can, else the human reason that ``doctor``, the About box and the status bar show) and
``read(gray, formats) -> list[Symbol]``. It reads a grayscale ``uint8`` image and gives positions
in that image's pixels; the Decoder places them in the frame (:meth:`Located.placed`), so an
engine never sees crops, scales or offsets.

An engine that can also say where it *located* a symbol it could not decode is a
:class:`LocatingEngine`: those candidates tell the Decoder where retries pay, and its
:class:`Mode` hints let the Decoder trade effort for speed on live video. The first locating
engine in the ranked list (``engines/__init__.py``) steers; every other engine is a second
opinion that the Decoder's retries ask in turn.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import ClassVar

import numpy as np

from scanner_app.core.models import SYMBOLOGIES, Quad, Symbol


@dataclass(frozen=True)
class Candidate:
    """Where an engine located a symbol it could not decode (a reason to look harder there)."""

    format: str
    position: Quad


def _placed(q: Quad, scale: float, dx: float, dy: float) -> Quad:
    a, b, c, d = ((x * scale + dx, y * scale + dy) for x, y in q)
    return (a, b, c, d)


@dataclass(frozen=True)
class Located:
    """What a locating engine found: decoded symbols, and candidates it could not decode."""

    symbols: list[Symbol]
    candidates: list[Candidate]

    def placed(self, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0) -> Located:
        """Positions read on an image scaled by ``1/scale`` and cut at ``(dx, dy)``, in frame
        pixels (each point ``p * scale + d``)."""
        if scale == 1.0 and dx == 0.0 and dy == 0.0:
            return self
        return Located(
            [replace(s, position=_placed(s.position, scale, dx, dy)) for s in self.symbols],
            [replace(c, position=_placed(c.position, scale, dx, dy)) for c in self.candidates],
        )


def placed(symbols: list[Symbol], scale: float = 1.0) -> list[Symbol]:
    """Symbols read on an image scaled by ``1/scale``, in the unscaled image's pixels."""
    return Located(symbols, []).placed(scale).symbols


class Mode(Enum):
    """How hard a locating engine tries on one read; an engine may treat them all as FULL."""

    #: Every effort the engine makes by itself (rotations, inversion, downscaling).
    FULL = "full"
    #: Live video: no rotation, inversion or downscaling; other frames and retries do the rest.
    QUICK = "quick"
    #: QUICK, but symbols turned by 90 degrees are tried too (1D codes held upright).
    QUICK_ROTATED = "quick-rotated"
    #: FULL, binarised with one global threshold instead of a local one.
    GLOBAL_THRESHOLD = "global-threshold"


class Engine(ABC):
    """A barcode engine. Subclasses set ``name`` and implement ``read``; one instance reads one
    set of ``formats`` (zxing-cpp's names, :data:`~scanner_app.core.models.SYMBOLOGIES`)."""

    name: ClassVar[str]
    #: The formats this engine is trusted with when another engine reads first (None: all).
    second_opinion_formats: ClassVar[tuple[str, ...] | None] = None

    def __init__(self, formats: Sequence[str] = SYMBOLOGIES) -> None:
        self.formats = tuple(formats)

    @classmethod
    def unavailable(cls) -> str | None:
        """None when this engine can run here, else a plain reason and how to fix it."""
        return None

    @abstractmethod
    def read(self, gray: np.ndarray, formats: Sequence[str] | None = None) -> list[Symbol]:
        """Symbols in ``gray`` (one channel, ``uint8``), positions in its pixels.
        ``formats`` narrows this engine's formats for one read (None: all of them)."""


class LocatingEngine(Engine):
    """An engine that also reports the symbols it located but could not decode."""

    @abstractmethod
    def locate(
        self, gray: np.ndarray, formats: Sequence[str] | None = None, *, mode: Mode = Mode.FULL
    ) -> Located:
        """Decoded symbols and undecoded candidates in ``gray``, positions in its pixels."""

    def read(self, gray: np.ndarray, formats: Sequence[str] | None = None) -> list[Symbol]:
        return self.locate(gray, formats).symbols
