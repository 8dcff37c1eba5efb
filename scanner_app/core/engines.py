"""Barcode engines behind one small interface, so the Decoder can order and combine them.

Two engines: zxing-cpp (self-contained wheel, always present) and pyzbar (needs the zbar shared
library, which may be missing on a field laptop). Each engine takes a grayscale ``uint8`` image
and returns :class:`~scanner_app.core.models.Symbol` values in that image's pixel coordinates;
zxing-cpp also reports *candidates*: symbols it located but could not decode, which is what the
Decoder uses to decide where escalation pays.

Candidates have a price: zxing-cpp stops reading an image once it holds 255 results, and with
``return_errors`` the failed ones count too. Many codes in one image (a sheet of asset labels, a
box of devices) make many failed candidates (finder patterns of neighbouring codes put
together), and the read stops before it has read them all: 137 of 160 generated codes, 63 of
the 240 in four BoofCV ``lots`` photos side by side, where the same read without candidates gets
160 and 116. So a read that comes back near that cap is read again without candidates.
"""

from __future__ import annotations

import ctypes.util
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import zxingcpp

from scanner_app.core.models import SYMBOLOGIES, Point, Quad, Symbol

log = logging.getLogger(__name__)

ZXING = "zxing-cpp"
PYZBAR = "pyzbar"
ENGINE_NAMES: tuple[str, ...] = (ZXING, PYZBAR)

#: zxing-cpp format names -> zbar symbol names (zbar reads no Micro QR and no Data Matrix).
_ZBAR_NAMES = {"QRCode": "QRCODE", "Code128": "CODE128", "Code39": "CODE39"}
_FROM_ZBAR = {v: k for k, v in _ZBAR_NAMES.items()}

#: Results (read or not) from which a zxing-cpp read may have hit its cap of 255 and stopped
#: early. Reads measured to stop early returned 242-255; half the cap leaves room, and no photo
#: of ../shared/datasets/qr-photos comes near it (the most: 62, a BoofCV ``lots`` photo).
SATURATED = 128

ZBAR_MISSING = (
    "pyzbar cannot run: the zbar shared library was not found ({detail}). Install it with "
    "`sudo apt install libzbar0` (Debian/Ubuntu) or `brew install zbar` (macOS); on Windows it "
    "comes bundled with the pyzbar wheel. Decoding goes on with zxing-cpp alone."
)


@dataclass(frozen=True)
class Candidate:
    """Where zxing-cpp located a symbol it could not decode (a reason to look harder there)."""

    format: str
    position: Quad


def quad_of(position: Any, dx: float = 0.0, dy: float = 0.0, scale: float = 1.0) -> Quad:
    """A zxing-cpp Position as a Quad, mapped back by ``scale`` and offset into frame pixels."""
    pts = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    out = tuple((float(p.x) * scale + dx, float(p.y) * scale + dy) for p in pts)
    return out  # type: ignore[return-value]


class ZxingEngine:
    """zxing-cpp with explicit options; one instance per option set keeps call sites short."""

    name = ZXING

    def __init__(self, formats: Sequence[str] = SYMBOLOGIES) -> None:
        self.formats = tuple(formats)
        self._format_text = ",".join(self.formats)

    @property
    def _formats(self) -> Any:
        # Built per call (~6 us): a zxing-cpp object held for the life of the decoder is
        # reported as "leaked" by its bindings when the interpreter exits with it alive.
        return zxingcpp.barcode_formats_from_str(self._format_text)

    def read(
        self,
        gray: np.ndarray,
        *,
        dx: float = 0.0,
        dy: float = 0.0,
        scale: float = 1.0,
        formats: Sequence[str] | None = None,
        **options: Any,
    ) -> tuple[list[Symbol], list[Candidate]]:
        """Decode ``gray``; positions are mapped by ``scale`` then shifted by ``(dx, dy)``."""
        fmts = (
            self._formats
            if formats is None
            else zxingcpp.barcode_formats_from_str(",".join(formats))
        )
        results = zxingcpp.read_barcodes(gray, formats=fmts, return_errors=True, **options)
        if len(results) >= SATURATED and not all(r.valid for r in results):
            # Failed candidates may have filled the cap: read again counting valid codes only.
            again = zxingcpp.read_barcodes(gray, formats=fmts, **options)
            results = [*again, *_not_in(results, again)]
        symbols: list[Symbol] = []
        candidates: list[Candidate] = []
        gs1 = _gs1_texts(gray, fmts, results, options)
        for r in results:
            quad = quad_of(r.position, dx, dy, scale)
            fmt = r.format.name
            if r.valid:
                text = gs1.get((fmt, bytes(r.bytes)), r.text)
                symbols.append(Symbol(text, fmt, quad, ZXING, bytes(r.bytes)))
            else:
                candidates.append(Candidate(fmt, quad))
        return symbols, candidates


def _centre(position: Any) -> tuple[float, float]:
    pts = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return (sum(p.x for p in pts) / 4.0, sum(p.y for p in pts) / 4.0)


def _not_in(results: list[Any], kept: list[Any]) -> list[Any]:
    """``results`` that ``kept`` has no read of (same format and bytes, centre within 8 px):
    the first read's candidates, and any code it read that the second read did not."""
    seen: dict[tuple[str, bytes], list[tuple[float, float]]] = {}
    for r in kept:
        seen.setdefault((r.format.name, bytes(r.bytes)), []).append(_centre(r.position))
    out = []
    for r in results:
        cx, cy = _centre(r.position)
        near = seen.get((r.format.name, bytes(r.bytes)), [])
        if not r.valid or not any(abs(cx - x) <= 8 and abs(cy - y) <= 8 for x, y in near):
            out.append(r)
    return out


def _gs1_texts(
    gray: np.ndarray, fmts: Any, results: list[Any], options: dict[str, Any]
) -> dict[tuple[str, bytes], str]:
    """GS1 symbols in their "(01)...(21)SERIAL" form, whatever text mode was asked for.

    Plain text runs the element strings together ("0109...21SERIAL"), which no parser can
    split reliably; the human-readable form keeps the application identifiers. Only a symbol
    that really carries GS1 data pays for the second read.
    """
    hri = zxingcpp.TextMode.HRI
    if options.get("text_mode", hri) == hri or not any(
        r.valid and r.content_type == zxingcpp.ContentType.GS1 for r in results
    ):
        return {}
    again = zxingcpp.read_barcodes(gray, formats=fmts, **{**options, "text_mode": hri})
    return {
        (r.format.name, bytes(r.bytes)): r.text
        for r in again
        if r.valid and r.content_type == zxingcpp.ContentType.GS1
    }


class PyzbarEngine:
    """pyzbar (zbar): a second opinion that fails on different images than zxing-cpp."""

    name = PYZBAR

    def __init__(self, formats: Sequence[str] = SYMBOLOGIES) -> None:
        from pyzbar import pyzbar  # raises ImportError when the zbar library is missing

        self._pyzbar = pyzbar
        self.formats = tuple(f for f in formats if f in _ZBAR_NAMES)
        self._symbols = [pyzbar.ZBarSymbol[_ZBAR_NAMES[f]] for f in self.formats]

    def read(
        self, gray: np.ndarray, *, dx: float = 0.0, dy: float = 0.0, scale: float = 1.0
    ) -> list[Symbol]:
        """Decode ``gray`` (must be one channel: zbar given BGR reads only the blue plane)."""
        if not self._symbols:
            return []
        out: list[Symbol] = []
        for r in self._pyzbar.decode(gray, symbols=self._symbols):
            fmt = _FROM_ZBAR.get(r.type)
            if fmt is None:
                continue
            text = _zbar_text(r.data)
            if text is None:
                continue
            out.append(Symbol(text, fmt, _zbar_quad(r, dx, dy, scale), PYZBAR, bytes(r.data)))
        return out


def _zbar_text(data: bytes) -> str | None:
    """zbar hands bytes it may have mangled from Shift-JIS; refuse what is not clean UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _zbar_quad(r: Any, dx: float, dy: float, scale: float) -> Quad:
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
    mapped: list[Point] = [(p[0] * scale + dx, p[1] * scale + dy) for p in ordered]
    return (mapped[0], mapped[1], mapped[2], mapped[3])


def _zbar_reason(loader: Callable[[], Any] | None = None) -> str | None:
    """None when pyzbar can load zbar, else the human reason and how to install it."""
    try:
        if loader is not None:
            loader()
        else:
            from pyzbar import pyzbar  # noqa: F401
    except ImportError as exc:
        detail = str(exc) or "not installed"
        if sys.platform.startswith("linux") and ctypes.util.find_library("zbar") is None:
            detail = "libzbar.so.0 is not installed"
        return ZBAR_MISSING.format(detail=detail)
    except OSError as exc:  # a library found but not loadable (wrong architecture, broken)
        return ZBAR_MISSING.format(detail=str(exc))
    return None


def available_engines(loader: Callable[[], Any] | None = None) -> dict[str, str | None]:
    """Engine name -> None when it can run here, else a plain reason and how to fix it."""
    return {ZXING: None, PYZBAR: _zbar_reason(loader)}


def build_engines(
    names: Sequence[str] | None, formats: Sequence[str]
) -> tuple[ZxingEngine | None, PyzbarEngine | None]:
    """The engines asked for (default: every one that can run), logging any that cannot."""
    wanted = tuple(names) if names is not None else ENGINE_NAMES
    unknown = [n for n in wanted if n not in ENGINE_NAMES]
    if unknown:
        raise ValueError(f"unknown decoder engine(s): {', '.join(unknown)}")
    zx = ZxingEngine(formats) if ZXING in wanted else None
    zb: PyzbarEngine | None = None
    if PYZBAR in wanted:
        reason = _zbar_reason()
        if reason is None:
            zb = PyzbarEngine(formats)
        else:
            log.warning("%s", reason)
    return zx, zb
