"""pyzbar (zbar): a second opinion that fails on different images than zxing-cpp.

It needs the zbar shared library, which may be missing on a field laptop: then ``unavailable``
says so, with the install line, and decoding goes on without it. zbar reads no Micro QR and no
Data Matrix, and beside another engine it is trusted with QR and Code 128 only: its Code 39
skips full-ASCII decoding (reads "+A" for "a").
"""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from scanner_app.core.models import SYMBOLOGIES, Point, Quad, Symbol
from scanner_app.core.vision.engines.base import Engine

PYZBAR = "pyzbar"

#: zxing-cpp format names -> zbar symbol names (zbar reads no Micro QR and no Data Matrix).
_ZBAR_NAMES = {"QRCode": "QRCODE", "Code128": "CODE128", "Code39": "CODE39"}
_FROM_ZBAR = {v: k for k, v in _ZBAR_NAMES.items()}

ZBAR_MISSING = (
    "pyzbar cannot run: the zbar shared library was not found ({detail}). Install it with "
    "`sudo apt install libzbar0` (Debian/Ubuntu) or `brew install zbar` (macOS); on Windows it "
    "comes bundled with the pyzbar wheel. Decoding goes on with zxing-cpp alone."
)


class PyzbarEngine(Engine):
    """pyzbar on one channel (zbar given BGR reads only the blue plane)."""

    name = PYZBAR
    second_opinion_formats = ("QRCode", "Code128")

    def __init__(self, formats: Sequence[str] = SYMBOLOGIES) -> None:
        from pyzbar import pyzbar  # raises ImportError when the zbar library is missing

        super().__init__(tuple(f for f in formats if f in _ZBAR_NAMES))
        self._pyzbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol[_ZBAR_NAMES[f]] for f in self.formats]

    @classmethod
    def unavailable(cls) -> str | None:
        return _zbar_reason()

    def read(self, gray: np.ndarray, formats: Sequence[str] | None = None) -> list[Symbol]:
        wanted = self._symbols
        if formats is not None:
            wanted = [self._pyzbar.ZBarSymbol[_ZBAR_NAMES[f]] for f in formats if f in _ZBAR_NAMES]
        if not wanted:
            return []
        out: list[Symbol] = []
        for r in self._pyzbar.decode(gray, symbols=wanted):
            fmt = _FROM_ZBAR.get(r.type)
            if fmt is None:
                continue
            text = _zbar_text(r.data)
            if text is None:
                continue
            out.append(Symbol(text, fmt, _zbar_quad(r), PYZBAR, bytes(r.data)))
        return out


def _zbar_text(data: bytes) -> str | None:
    """zbar hands bytes it may have mangled from Shift-JIS; refuse what is not clean UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _zbar_quad(r: Any) -> Quad:
    """zbar gives a polygon (any number of points) and a rectangle: order it tl, tr, br, bl."""
    pts = [(float(p.x), float(p.y)) for p in (r.polygon or [])]
    if len(pts) != 4:
        x, y, w, h = r.rect
        pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    cx = sum(p[0] for p in pts) / len(pts)
    cy = sum(p[1] for p in pts) / len(pts)
    by_angle = sorted(pts, key=lambda p: np.arctan2(p[1] - cy, p[0] - cx))
    # arctan2 order starts near -pi (left): rotate so the point closest to top-left comes first.
    start = min(range(4), key=lambda i: by_angle[i][0] + by_angle[i][1])
    ordered = by_angle[start:] + by_angle[:start]
    # float() as the frame placement would (p * scale + d): positions are floats either way.
    mapped: list[Point] = [(float(p[0]), float(p[1])) for p in ordered]
    return (mapped[0], mapped[1], mapped[2], mapped[3])


def _zbar_reason() -> str | None:
    """None when pyzbar can load zbar, else the human reason and how to install it."""
    try:
        from pyzbar import pyzbar  # noqa: F401
    except ImportError as exc:
        detail = str(exc) or "not installed"
        if sys.platform.startswith("linux") and ctypes.util.find_library("zbar") is None:
            detail = "libzbar.so.0 is not installed"
        return ZBAR_MISSING.format(detail=detail)
    except OSError as exc:  # a library found but not loadable (wrong architecture, broken)
        return ZBAR_MISSING.format(detail=str(exc))
    return None
