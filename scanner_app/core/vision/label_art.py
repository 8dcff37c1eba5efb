"""What the synthetic camera draws: device label cards, the Autopilot monitor, the desk, glare.

Pure functions from a label (or a size and a seeded generator) to a BGR image, with no notion of
time: ``synthetic.py`` moves these pictures through the scene, and tests use ``render_label``
alone for a realistic label without a camera. Keeping the drawing apart from the scene means a
change to what a label looks like cannot disturb when and where it is shown, and the other way
round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import zxingcpp

__all__ = [
    "Label",
    "add_clipped",
    "desk_background",
    "glare_sprite",
    "is_autopilot_qr",
    "render_label",
    "render_monitor",
]

_CARD_W, _CARD_H = 420, 260


@dataclass(frozen=True)
class Label:
    """What the synthetic scene prints on a device label (and shows on the monitor)."""

    serial: str
    qr_text: str | None = None
    manufacturer: str = ""
    model: str = ""

    @classmethod
    def coerce(cls, obj: Any) -> Label:
        """Accept a Label, a dict or any object with the same attributes (tenant_sim's)."""
        if isinstance(obj, Label):
            return obj
        get: Callable[[str], Any]
        if isinstance(obj, Mapping):
            get = obj.get
        else:

            def get(key: str) -> Any:
                return getattr(obj, key, None)

        return cls(
            serial=str(get("serial")),
            qr_text=get("qr_text") or None,
            manufacturer=str(get("manufacturer") or ""),
            model=str(get("model") or ""),
        )


def is_autopilot_qr(text: str | None) -> bool:
    """The pre-provisioning screen's payload (JSON BlockSequence), not a label's own QR."""
    return bool(text) and (text or "").lstrip().startswith("{")


def render_label(label: Label) -> np.ndarray:
    """The BGR sprite of a device label card: maker and model, Code 128 of the serial, the
    serial in text, and the label's QR (its ``qr_text``) unless that is an Autopilot payload."""
    code = _barcode(label.serial, zxingcpp.BarcodeFormat.Code128, 2, height=100)
    qr_text = None if is_autopilot_qr(label.qr_text) else label.qr_text
    qr = _barcode(qr_text, zxingcpp.BarcodeFormat.QRCode, 4) if qr_text else None
    qr_h, qr_w = qr.shape if qr is not None else (0, 0)
    w = max(_CARD_W, code.shape[1] + 24)
    h = max(_CARD_H, 166 + qr_h + 10)
    card = np.full((h, w, 3), 246, np.uint8)
    cv2.rectangle(card, (3, 3), (w - 4, h - 4), (60, 60, 60), 2)
    title = f"{label.manufacturer} {label.model}".strip() or "Notebook PC"
    cv2.putText(card, title[:30], (18, 36), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (20, 20, 20), 2)
    card[48 : 48 + code.shape[0], 12 : 12 + code.shape[1]] = code[..., None]
    if qr is not None:
        card[166 : 166 + qr_h, w - 12 - qr_w : w - 12] = qr[..., None]
    cv2.putText(card, f"S/N: {label.serial}", (20, 176), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                (20, 20, 20), 1, cv2.LINE_AA)  # fmt: skip
    cv2.putText(card, "Made in PRC", (20, h - 44), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                (70, 70, 70), 1, cv2.LINE_AA)  # fmt: skip
    cv2.putText(card, "Rating 20V 3.25A", (20, h - 20), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                (70, 70, 70), 1, cv2.LINE_AA)  # fmt: skip
    return card


def render_monitor(qr_text: str) -> np.ndarray:
    """A monitor showing the Autopilot pre-provisioning screen with its QR code."""
    qr = _barcode(qr_text, zxingcpp.BarcodeFormat.QRCode, 4)
    side = qr.shape[0]
    h, w = side + 110, max(480, side + 160)
    screen = np.zeros((h, w, 3), np.uint8)
    screen[:] = (30, 30, 30)
    screen[14 : h - 14, 14 : w - 14] = (120, 70, 0)  # the blue of Windows setup
    cv2.putText(screen, "Windows Autopilot", (30, 50), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                (255, 255, 255), 2, cv2.LINE_AA)  # fmt: skip
    y0, x0 = 75, (w - side) // 2
    screen[y0 : y0 + side, x0 : x0 + side] = qr[..., None]
    return screen


def _barcode(text: str, fmt: Any, scale: int, height: int = 0) -> np.ndarray:
    img = np.asarray(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, fmt), scale))
    if height and img.shape[0] != height:
        img = cv2.resize(img, (img.shape[1], height), interpolation=cv2.INTER_NEAREST)
    return np.ascontiguousarray(img)


def desk_background(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A wood-grain-ish desk: low-frequency noise stretched along x, warm tint, vignette."""
    w, h = size
    grain = cv2.resize(rng.random((h // 8, 12), np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    fine = cv2.resize(rng.random((h // 2, w // 16), np.float32), (w, h))
    lum: np.ndarray = 0.55 + 0.25 * grain + 0.1 * fine
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    vignette = 1.0 - 0.35 * (((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2)
    lum *= vignette
    tint = np.array([0.55, 0.75, 0.95], np.float32)  # BGR: brown
    return np.clip(lum[..., None] * tint * 230, 0, 255).astype(np.uint8)


def glare_sprite(size: int = 160) -> np.ndarray:
    """A soft, tilted highlight, added (not blended) onto a label as light catching it."""
    g: np.ndarray = np.zeros((size, size), np.float32)
    cv2.ellipse(g, (size // 2, size // 2), (size // 2 - 8, size // 5), 30, 0, 360, 1.0, -1)
    blurred = np.asarray(cv2.GaussianBlur(g, (0, 0), size / 10))
    return np.asarray(cv2.cvtColor((blurred * 170).astype(np.uint8), cv2.COLOR_GRAY2BGR))


def add_clipped(dst: np.ndarray, src: np.ndarray, x: int, y: int) -> None:
    """Add ``src`` onto ``dst`` in place with its top-left at (x, y), clipped to ``dst``."""
    h, w = dst.shape[:2]
    sh, sw = src.shape[:2]
    ax0, ay0, ax1, ay1 = max(x, 0), max(y, 0), min(x + sw, w), min(y + sh, h)
    if ax1 <= ax0 or ay1 <= ay0:
        return
    region = dst[ay0:ay1, ax0:ax1]
    region[:] = cv2.add(region, src[ay0 - y : ay1 - y, ax0 - x : ax1 - x])
