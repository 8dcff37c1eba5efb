"""zxing-cpp: the engine that reads first and steers the Decoder (a self-contained wheel, always
present; it reports *candidates*, symbols it located but could not decode).

Candidates have a price: zxing-cpp stops reading an image once it holds 255 results, and with
``return_errors`` the failed ones count too. Many codes in one image (a sheet of asset labels, a
box of devices) make many failed candidates (finder patterns of neighbouring codes put
together), and the read stops before it has read them all: 137 of 160 generated codes, 63 of
the 240 in four BoofCV ``lots`` photos side by side, where the same read without candidates gets
160 and 116. So a read that comes back near that cap is read again without candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import zxingcpp

from scanner_app.core.models import SYMBOLOGIES, Quad, Symbol
from scanner_app.core.vision.engines.base import Candidate, Located, LocatingEngine, Mode

ZXING = "zxing-cpp"

#: Results (read or not) from which a zxing-cpp read may have hit its cap of 255 and stopped
#: early. Reads measured to stop early returned 242-255; half the cap leaves room, and no photo
#: of ../shared/datasets/qr-photos comes near it (the most: 62, a BoofCV ``lots`` photo).
SATURATED = 128

_PLAIN: dict[str, Any] = {"text_mode": zxingcpp.TextMode.Plain}
_QUICK: dict[str, Any] = {
    **_PLAIN,
    "try_rotate": False,
    "try_invert": False,
    "try_downscale": False,
}
_OPTIONS: dict[Mode, dict[str, Any]] = {
    Mode.FULL: _PLAIN,
    Mode.QUICK: _QUICK,
    Mode.QUICK_ROTATED: {**_QUICK, "try_rotate": True},
    Mode.GLOBAL_THRESHOLD: {**_PLAIN, "binarizer": zxingcpp.Binarizer.GlobalHistogram},
}


def quad_of(position: Any) -> Quad:
    """A zxing-cpp Position as a Quad (tl, tr, br, bl) in the read image's pixels."""
    pts = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    out = tuple((float(p.x), float(p.y)) for p in pts)
    return out  # type: ignore[return-value]


class ZxingEngine(LocatingEngine):
    """zxing-cpp asked for failed reads too; text in plain mode (GS1 keeps its AIs)."""

    name = ZXING

    def __init__(self, formats: Sequence[str] = SYMBOLOGIES) -> None:
        super().__init__(formats)
        self._format_text = ",".join(self.formats)

    @property
    def _formats(self) -> Any:
        # Built per call (~6 us): a zxing-cpp object held for the life of the decoder is
        # reported as "leaked" by its bindings when the interpreter exits with it alive.
        return zxingcpp.barcode_formats_from_str(self._format_text)

    def locate(
        self, gray: np.ndarray, formats: Sequence[str] | None = None, *, mode: Mode = Mode.FULL
    ) -> Located:
        options = _OPTIONS[mode]
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
            quad = quad_of(r.position)
            fmt = r.format.name
            if r.valid:
                text = gs1.get((fmt, bytes(r.bytes)), r.text)
                symbols.append(Symbol(text, fmt, quad, ZXING, bytes(r.bytes)))
            else:
                candidates.append(Candidate(fmt, quad))
        return Located(symbols, candidates)


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
