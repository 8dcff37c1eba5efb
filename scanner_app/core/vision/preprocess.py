"""Image preparation the Decoder uses: gray conversion, rescaling, crops, contrast repair.

Kept apart from the decoding strategy so each step is cheap to test and to time on its own.
All functions take and return ``uint8`` arrays and never modify their input.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

import cv2
import numpy as np

from scanner_app.core.models import Quad

log = logging.getLogger(__name__)

#: CLAHE objects keep working buffers between calls, so each thread gets its own: the camera's
#: decode loop and a dropped photo's worker may equalise at the same moment.
_local = threading.local()


def _clahe(name: str, clip: float, tiles: int) -> Any:
    clahe = getattr(_local, name, None)
    if clahe is None:
        clahe = cv2.createCLAHE(clipLimit=clip, tileGridSize=(tiles, tiles))
        setattr(_local, name, clahe)
    return clahe


def to_gray(image: np.ndarray) -> np.ndarray:
    """One grayscale plane (zbar given BGR silently reads only the blue channel)."""
    if image.ndim == 2:
        out = image
    elif image.ndim == 3 and image.shape[2] == 1:
        out = image[:, :, 0]
    elif image.ndim == 3 and image.shape[2] == 3:
        out = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    elif image.ndim == 3 and image.shape[2] == 4:
        out = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    else:
        raise ValueError(f"not an image: array of shape {image.shape}")
    if out.dtype != np.uint8:
        out = np.clip(out, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(out)


def rescale(gray: np.ndarray, factor: float) -> np.ndarray:
    """Resize by ``factor``: area averaging when shrinking (less aliasing), cubic when growing."""
    interp = cv2.INTER_AREA if factor < 1.0 else cv2.INTER_CUBIC
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interp)


def equalise(gray: np.ndarray) -> np.ndarray:
    """Local contrast normalisation (CLAHE): lifts codes out of glare and bright spots."""
    return _clahe("normal", 2.0, 8).apply(gray)


def equalise_hard(gray: np.ndarray) -> np.ndarray:
    """Coarse, strong CLAHE: reads QR codes under bright spots that :func:`equalise` misses.

    Four large tiles, high clip: flattens a bright spot spanning much of the frame, which the
    8x8 tiles of :func:`equalise` only split into washed-out pieces."""
    return _clahe("hard", 8.0, 2).apply(gray)


def threshold(gray: np.ndarray, block: int = 31, c: int = 5) -> np.ndarray:
    """Adaptive mean threshold: helps zbar on blurred and unevenly lit codes."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, c)


def box_around(
    quads: Iterable[Quad], shape: tuple[int, ...], margin: float = 0.6, minimum: int = 64
) -> tuple[int, int, int, int]:
    """Bounding box ``(x0, y0, x1, y1)`` of the quads, grown by ``margin`` of its size."""
    pts = np.array([p for q in quads for p in q], dtype=np.float64)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    grow_x = max((x1 - x0) * margin, minimum / 2)
    grow_y = max((y1 - y0) * margin, minimum / 2)
    h, w = shape[:2]
    return (
        int(max(0, x0 - grow_x)),
        int(max(0, y0 - grow_y)),
        int(min(w, x1 + grow_x)),
        int(min(h, y1 + grow_y)),
    )


def strips(width: int, height: int, count: int, overlap: float = 0.12) -> list[tuple[int, ...]]:
    """``count`` vertical strips covering the frame, overlapping so no code is cut everywhere."""
    step = width / count
    pad = int(width * overlap / 2)
    return [
        (max(0, int(i * step) - pad), 0, min(width, int((i + 1) * step) + pad), height)
        for i in range(count)
    ]
