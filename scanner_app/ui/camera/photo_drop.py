"""Drag-and-drop or paste a photo of a label: decoded on a pool thread, never on the GUI thread.

A field tech who photographed a label with a phone drops the picture on the window (or copies it
and presses Ctrl+V); the codes found go the same way as a camera read. A file is judged from its
header first (``core.vision.image_limits`` through ``image_io.read_gray``: at most 50 megapixels and
100 MB, a regular file): an image bomb or a named pipe gives a sentence on ``failed``, never a
decode that eats the memory or a pool thread blocked for ever; a pasted image, the same ceiling.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from scanner_app.core.vision import image_io, image_limits
from scanner_app.ui.workers import TaskRunner

log = logging.getLogger(__name__)


def qimage_to_gray(image: QImage) -> np.ndarray:
    """A copy of ``image`` as an 8-bit grey numpy array (rows padded by Qt are cut off)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    data = np.frombuffer(gray.constBits(), dtype=np.uint8, count=stride * height)
    return data.reshape(height, stride)[:, :width].copy()


def _image_path(mime: QMimeData) -> Path | None:
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in image_limits.IMAGE_SUFFIXES:
                return path
    return None


class PhotoDrop(QObject):
    """Accepts photos dropped on ``target`` or pasted while its window is active.

    Signals: ``symbols_found(list)`` with the ``Symbol`` list of one photo (possibly empty);
    ``failed(str)`` with a sentence for the operator (not an image, unreadable file);
    ``decoding(str)`` with the photo's name when a decode starts.
    Text on the clipboard is left alone: Ctrl+V still pastes a serial into a text field.
    """

    symbols_found = Signal(list)
    failed = Signal(str)
    decoding = Signal(str)

    def __init__(
        self,
        target: QWidget,
        decode: Callable[[np.ndarray], list[Any]] = image_io.decode_gray,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or target)
        self.target = target
        self._decode = decode
        self.tasks = TaskRunner(self, max_threads=1)
        target.setAcceptDrops(True)
        target.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # ---- entry points ------------------------------------------------------------------------
    def decode_file(self, path: str | Path) -> None:
        path = Path(path)
        self.decoding.emit(path.name)
        self.tasks.submit(
            lambda: self._decode(image_io.read_gray(path)),
            on_result=self._found,
            on_error=self._error,
        )

    def decode_image(self, image: QImage, name: str = "pasted image") -> None:
        if image.isNull():
            self.failed.emit(self.tr("The clipboard image is empty."))
            return
        try:  # the same ceiling as a file's, before the copy below
            image_limits.check_pixels(image.width(), image.height(), name)
        except image_limits.InputRefused as exc:
            self._error(exc)
            return
        gray = qimage_to_gray(image)  # copied on the GUI thread: QImage is not shared
        self.decoding.emit(name)
        self.tasks.submit(self._decode, gray, on_result=self._found, on_error=self._error)

    def paste(self) -> bool:
        """Decode the clipboard's image or image file; False when it holds neither."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return False
        return self._take(mime)

    def shutdown(self) -> None:
        self.tasks.shutdown()

    # ---- events ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if watched is self.target and kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            mime = event.mimeData()  # type: ignore[attr-defined]
            if mime.hasImage() or _image_path(mime) is not None:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif watched is self.target and kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            if self._take(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Paste) and self._window_active():
                mime = QGuiApplication.clipboard().mimeData()
                if mime is None or (mime.hasText() and _image_path(mime) is None):
                    return False
                if self._take(mime):
                    return True  # an image: keep it from the focused text field
        return False

    def _window_active(self) -> bool:
        window = self.target.window()
        return window.isActiveWindow() or QApplication.activeWindow() is None

    def _take(self, mime: QMimeData) -> bool:
        path = _image_path(mime)
        if path is not None:
            self.decode_file(path)
            return True
        if mime.hasImage():
            image = mime.imageData()
            self.decode_image(image if isinstance(image, QImage) else QImage(image))
            return True
        return False

    def _found(self, symbols: list[Any]) -> None:
        self.symbols_found.emit(list(symbols))

    def _error(self, exc: BaseException) -> None:
        log.info("photo not decoded: %s", exc)
        self.failed.emit(str(exc))
