"""The camera rests while a modal dialog of the window is open.

Behind Settings, History, About or the sign-in panel the operator cannot see the card, so a
label read there would change it unseen, and the next Enter would act on a device never looked
at. Any modal QDialog whose parent is the window pauses the camera when it is shown and, once
the last one is gone, the camera resumes (unless the window is minimised, which pauses it too).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDialog, QWidget

log = logging.getLogger(__name__)


class ModalPause(QObject):
    """Watches ``window``'s dialogs and calls ``camera.set_paused``; ``open_dialogs`` counts
    the modal ones on screen. Signals: none."""

    def __init__(self, window: QWidget, camera: Any) -> None:
        super().__init__(window)
        self.window, self.camera = window, camera
        self._open: set[int] = set()
        self._watched: set[int] = set()
        window.installEventFilter(self)

    @property
    def open_dialogs(self) -> int:
        return len(self._open)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if watched is self.window:
            # A child dialog is polished just before it is first shown: watch it from then on.
            if kind == QEvent.Type.ChildPolished:
                child = event.child()  # type: ignore[attr-defined]
                if isinstance(child, QDialog) and id(child) not in self._watched:
                    self._watched.add(id(child))
                    child.installEventFilter(self)
                    key = id(child)
                    child.destroyed.connect(lambda *_: self._gone(key))
        elif isinstance(watched, QDialog):
            if kind == QEvent.Type.Show and watched.isModal():
                self._open.add(id(watched))
                self._apply()
            elif kind == QEvent.Type.Hide and id(watched) in self._open:
                self._open.discard(id(watched))
                self._apply()
        return False

    def _gone(self, key: int) -> None:
        self._watched.discard(key)
        if key in self._open:
            self._open.discard(key)
            self._apply()

    def _apply(self) -> None:
        paused = bool(self._open) or self.window.isMinimized()
        log.debug(
            "camera %s (%d modal dialogs open)", "paused" if paused else "on", self.open_dialogs
        )
        if self.camera is not None:
            self.camera.set_paused(paused)
