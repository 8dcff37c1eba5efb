"""The live camera picture with an overlay of what the decoder reads.

Each symbol read gets its outline and text drawn over the picture; a symbol the tracker
confirmed switches to a distinct look (green, thicker, a tick) for about 1.5 s, so the operator
sees which label "took". The text is a short label, never the raw payload: an Autopilot QR code
reads "Autopilot QR" (with the serial it holds, if any), anything else at most 40 characters.
With no picture, a centred message says why (the camera status).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from scanner_app.core import payload
from scanner_app.core.models import Symbol

CONFIRMED_FOR_S = 1.5
# The most characters of a code's text drawn over the picture.
MAX_OVERLAY_CHARS = 40
_READ = QColor(255, 191, 0)  # amber: read, not yet confirmed
_CONFIRMED = QColor(40, 200, 80)


class CameraView(QWidget):
    """Paints the newest frame scaled to fit (aspect kept) and the symbol overlay.

    Signals: ``display_size_changed(int, int)``: the view's size in device pixels, for the
    camera thread to scale frames to (so painting never resamples).

    Slots: ``set_frame(QImage, list[Symbol])`` (symbol positions in image coordinates),
    ``set_status(state, message)`` and ``mark_confirmed(list[Symbol])``.
    """

    display_size_changed = Signal(int, int)

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._image: QImage | None = None
        self._symbols: list[Symbol] = []
        self._confirmed: dict[str, float] = {}  # symbol text -> until (clock time)
        self._state, self._message = "starting", self.tr("Starting the camera…")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._expiry = QTimer(self, singleShot=True)
        self._expiry.timeout.connect(self.update)

    def resizeEvent(self, event: QResizeEvent) -> None:
        dpr = self.devicePixelRatioF()
        self.display_size_changed.emit(round(self.width() * dpr), round(self.height() * dpr))
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    # ---- slots ---------------------------------------------------------------------------
    @Slot(QImage, list)
    def set_frame(self, image: QImage, symbols: list[Symbol]) -> None:
        self._image = image
        self._symbols = list(symbols)
        self.update()

    @Slot(str, str)
    def set_status(self, state: str, message: str) -> None:
        self._state, self._message = state, message
        if state in {"failed", "reconnecting", "stopped"}:
            self._image = None  # an old picture would look like a live camera
            self._symbols = []
        self.update()

    @Slot(list)
    def mark_confirmed(self, symbols: list[Symbol]) -> None:
        until = self._clock() + CONFIRMED_FOR_S
        for s in symbols:
            self._confirmed[s.text] = until
        self._expiry.start(int(CONFIRMED_FOR_S * 1000) + 20)
        self.update()

    # ---- what is drawn (also used by tests) ----------------------------------------------
    def status_text(self) -> str:
        if self._image is not None:
            return ""
        if self._state == "live":  # open, first picture not here yet
            return self.tr("Waiting for a picture from %1…").replace("%1", self._message)
        hint = ""
        if self._state == "failed":
            hint = self.tr(" — type the serial below")
        elif self._state == "reconnecting":
            hint = self.tr(" — type the serial below while it comes back")
        message = self._message or self._state
        return (message.rstrip(".") if hint else message) + hint

    def overlay_text(self, text: str) -> str:
        """What is drawn beside a code: "Autopilot QR · <serial>" for the pre-provisioning
        code (its JSON means nothing to an operator), else the text, cut to fit."""
        kind, serial = _autopilot_serial(text)
        if kind:
            label = self.tr("Autopilot QR")
            return _cut(f"{label} · {serial}" if serial else label)
        return _cut(" ".join(text.split()))

    def is_confirmed(self, symbol: Symbol) -> bool:
        return self._confirmed.get(symbol.text, 0.0) > self._clock()

    def image_rect(self) -> QRectF:
        """Where the image lands in the widget: scaled to fit, centred, aspect kept."""
        if self._image is None or self._image.isNull():
            return QRectF()
        iw, ih = self._image.width(), self._image.height()
        k = min(self.width() / iw, self.height() / ih)
        w, h = iw * k, ih * k
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def map_quad(self, symbol: Symbol) -> QPolygonF:
        rect = self.image_rect()
        if self._image is None or rect.isEmpty():
            return QPolygonF()
        k = rect.width() / self._image.width()
        return QPolygonF([QPointF(rect.x() + x * k, rect.y() + y * k) for x, y in symbol.position])

    # ---- painting ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Window).darker(115))
        if self._image is None or self._image.isNull():
            self._paint_message(p, pal)
            p.end()
            return
        rect = self.image_rect()
        dpr = self.devicePixelRatioF()
        if abs(rect.width() * dpr - self._image.width()) <= 1.5:
            # Already scaled to this view by the camera thread: a 1:1 copy, no resampling.
            self._image.setDevicePixelRatio(dpr)
            p.drawImage(rect.topLeft(), self._image)
        else:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            p.drawImage(rect, self._image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        now = self._clock()
        self._confirmed = {t: u for t, u in self._confirmed.items() if u > now}
        for s in self._symbols:
            self._paint_symbol(p, s, self.is_confirmed(s))
        p.end()

    def _paint_symbol(self, p: QPainter, symbol: Symbol, confirmed: bool) -> None:
        quad = self.map_quad(symbol)
        if quad.isEmpty():
            return
        color = _CONFIRMED if confirmed else _READ
        p.setPen(QPen(color, 5 if confirmed else 2))
        fill = QColor(color)
        fill.setAlpha(60 if confirmed else 25)
        p.setBrush(fill)
        p.drawPolygon(quad)
        text = ("✓ " if confirmed else "") + self.overlay_text(symbol.text)
        box = quad.boundingRect()
        metrics = p.fontMetrics()
        tw, th = metrics.horizontalAdvance(text) + 10, metrics.height() + 4
        x = min(max(box.x(), 0.0), max(self.width() - tw, 0.0))
        y = box.y() - th - 2 if box.y() >= th + 2 else box.bottom() + 2
        bg = QColor(0, 0, 0, 170)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(bg)
        p.drawRoundedRect(QRectF(x, y, tw, th), 4, 4)
        p.setPen(QColor(255, 255, 255) if not confirmed else _CONFIRMED.lighter(130))
        p.drawText(QRectF(x, y, tw, th), Qt.AlignmentFlag.AlignCenter, text)

    def _paint_message(self, p: QPainter, pal: QPalette) -> None:
        p.setPen(pal.color(QPalette.ColorRole.WindowText))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        p.setFont(font)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        p.drawText(self.rect().adjusted(24, 24, -24, -24), int(flags), self.status_text())


@lru_cache(maxsize=64)  # painted every frame: parse each code's text once
def _autopilot_serial(text: str) -> tuple[bool, str]:
    """(is it an Autopilot pre-provisioning code, the serial it holds or "")."""
    if not text.lstrip().startswith("{"):
        return False, ""
    target = payload.parse(text)
    folded = text.casefold()
    autopilot = (
        target.kind in {"ztd_id", "hardware_hash"}
        or target.progress is not None
        or "blocksequence" in folded
        or "ztdid" in folded
    )
    return autopilot, target.serial if autopilot else ""


def _cut(text: str) -> str:
    if len(text) <= MAX_OVERLAY_CHARS:
        return text
    return text[: MAX_OVERLAY_CHARS - 1] + "…"
