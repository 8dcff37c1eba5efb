"""Read a photo of a label from disk and decode it, for drag-and-drop, paste and the CLI.

``cv2.imread`` cannot open a path with non-ASCII characters on Windows ("C:\\Users\\Jürgen\\…"),
so the bytes are read by Python and decoded in memory with ``cv2.imdecode``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np

from scanner_app.core.models import Symbol
from scanner_app.core.vision import image_limits

log = logging.getLogger(__name__)


class ImageReadError(ValueError):
    """The file is missing, unreadable or not an image OpenCV understands."""


def read_gray(path: str | Path) -> np.ndarray:
    """The image at ``path`` as an 8-bit grey array, whatever characters its path holds."""
    path = Path(path)
    try:
        image_limits.check_image_file(path)  # from the header: size, pixels, what it is
        data = np.fromfile(str(path), dtype=np.uint8)
    except image_limits.InputRefused as exc:
        raise ImageReadError(str(exc)) from None
    except OSError as exc:
        raise ImageReadError(f"{path.name} cannot be read: {exc.strerror or exc}") from None
    return _decode(data, path.name)  # the array itself: no copy of up to 100 MB


def gray_from_bytes(data: bytes, name: str = "image") -> np.ndarray:
    """Decode an encoded image (PNG, JPEG…) held in memory, such as one pasted from the
    clipboard, to an 8-bit grey array."""
    try:
        image_limits.check_image_bytes(data, name)
    except image_limits.InputRefused as exc:
        raise ImageReadError(str(exc)) from None
    return _decode(np.frombuffer(data, dtype=np.uint8), name)


def _decode(buffer: np.ndarray, name: str) -> np.ndarray:
    image = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE) if buffer.size else None
    if image is None:
        raise ImageReadError(f"{name} is not an image that can be read (PNG, JPEG, BMP, TIFF).")
    return np.asarray(image)


def decode_gray(gray: np.ndarray) -> list[Symbol]:
    """Every code in a grey image, with the app's default decoder."""
    from scanner_app.core.vision.decoding import Decoder

    return list(Decoder().decode(gray))


def decode_image_file(path: str | Path) -> list[Symbol]:
    """Every code found in the photo at ``path`` (an empty list when there is none)."""
    symbols = decode_gray(read_gray(path))
    log.info("photo %s: %d code(s)", Path(path).name, len(symbols))
    return symbols
