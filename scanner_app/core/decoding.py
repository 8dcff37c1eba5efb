"""Decoder: barcode engines behind one interface. (Walking-skeleton version: zxing-cpp only.)"""

from __future__ import annotations

import numpy as np
import zxingcpp

from scanner_app.core.models import SYMBOLOGIES, Symbol


class Decoder:
    def __init__(self, formats: tuple[str, ...] = SYMBOLOGIES) -> None:
        self.formats = zxingcpp.barcode_formats_from_str(",".join(formats))

    def decode(self, gray: np.ndarray) -> list[Symbol]:
        out = []
        for r in zxingcpp.read_barcodes(gray, formats=self.formats):
            p = r.position
            quad = tuple((float(q.x), float(q.y)) for q in (p.top_left, p.top_right,
                                                            p.bottom_right, p.bottom_left))
            out.append(Symbol(r.text, r.format.name, quad, "zxing-cpp", bytes(r.bytes)))  # type: ignore[arg-type]
        return out

    decode_frame = decode
