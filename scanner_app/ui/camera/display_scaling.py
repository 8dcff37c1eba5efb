"""A camera frame turned into the QImage the view paints, scaled off the GUI thread.

The capture thread calls this for each frame it shows, so the GUI thread only copies pixels 1:1
(smooth-scaling 1280x720 in paintEvent cost ~10 ms a frame). Symbol positions are scaled by the
same factor, so the outlines the view draws land on the labels in *this* image.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
from PySide6.QtGui import QImage

from scanner_app.core.models import Symbol


def to_display_image(
    frame: np.ndarray, max_width: int, fit: tuple[int, int] | None
) -> tuple[QImage, float]:
    """``frame`` (BGR) as a QImage no wider than ``max_width`` and fitting inside ``fit``
    (the view's size in device pixels, if known), with the factor it was scaled by."""
    h, w = frame.shape[:2]
    # An integer divisor keeps INTER_AREA on its fast path (1080p -> 960x540 in ~3 ms,
    # where 1280x720 would cost ~25 ms of the capture thread).
    divisor = -(-w // max_width)
    scale = 1.0 / divisor
    if divisor > 1:
        frame = cv2.resize(frame, (w // divisor, h // divisor), interpolation=cv2.INTER_AREA)
    if fit is not None:
        k = min(fit[0] / frame.shape[1], fit[1] / frame.shape[0])
        if k < 1.0:
            target = (max(1, round(frame.shape[1] * k)), max(1, round(frame.shape[0] * k)))
            frame = cv2.resize(frame, target, interpolation=cv2.INTER_LINEAR)
            scale *= target[0] / (w / divisor)
    frame = np.ascontiguousarray(frame)
    fh, fw = frame.shape[:2]
    # copy(): the QImage must own its pixels once ``frame`` goes out of scope on this thread.
    image = QImage(frame.data, fw, fh, frame.strides[0], QImage.Format.Format_BGR888).copy()
    return image, scale


def scale_symbol(symbol: Symbol, k: float) -> Symbol:
    """``symbol`` with its outline in an image scaled by ``k``."""
    if k == 1.0:
        return symbol
    quad = tuple((x * k, y * k) for x, y in symbol.position)
    return replace(symbol, position=quad)  # type: ignore[arg-type]


__all__ = ["scale_symbol", "to_display_image"]
