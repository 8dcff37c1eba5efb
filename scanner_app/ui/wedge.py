"""Keyboard-wedge barcode scanners: tell a scanner's burst of keystrokes from a person typing.

A USB hand scanner is a keyboard that types the code and Enter in a few milliseconds. Whatever
widget has focus (the user picker, the group tag box…), a scan must go to the scan input, not
into that widget. So an application-wide event filter holds printable keystrokes back for a few
tens of milliseconds: a fast burst of at least ``min_chars`` ending in Enter becomes ``scanned``;
anything slower is replayed, in order, to the widget that has focus, so typing by hand works as
before (delayed by at most ``max_gap_ms``, which nobody notices).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

_TERMINATORS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass(frozen=True)
class _Held:
    receiver: QObject  # where the key was going (the window or the focused widget)
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class WedgeScannerFilter(QObject):
    """Application-wide filter that turns scanner bursts into one ``scanned(str)`` signal.

    Signals: ``scanned(str)`` with the text a scanner typed (without the Enter).
    ``clock`` returns seconds (``time.monotonic`` by default; tests pass a fake one).
    Install with :meth:`install`; :meth:`uninstall` removes it and replays anything held.
    """

    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        min_chars: int = 6,
        max_gap_ms: float = 30.0,
        enter_gap_ms: float = 80.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.min_chars = min_chars
        self.max_gap_ms = max_gap_ms
        self.enter_gap_ms = enter_gap_ms
        self.enabled = True
        self._clock = clock
        self._held: list[_Held] = []
        self._last = 0.0
        self._replaying = False
        self._swallow_release: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def uninstall(self) -> None:
        self.flush()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # ---- the filter --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if not self.enabled or self._replaying:
            return False
        if not self._held and QApplication.activeModalWidget() is not None:
            return False  # a dialog is open (Settings…): its fields get every key as typed
        kind = event.type()
        if kind == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent):
            if event.key() in self._swallow_release and not event.isAutoRepeat():
                self._swallow_release.discard(event.key())
                return True
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        now = self._clock()
        gap_ms = (now - self._last) * 1000.0
        key = event.key()
        if key in _TERMINATORS and self._held:
            if gap_ms <= self.enter_gap_ms and len(self._held) >= self.min_chars:
                text = "".join(h.text for h in self._held)
                self._held.clear()
                self._timer.stop()
                self._swallow_release.add(key)
                log.debug("wedge scan of %d characters", len(text))
                self.scanned.emit(text)
                return True
            self.flush()
            return False
        if not _printable(event):
            self.flush()  # arrows, Backspace, shortcuts: whatever was held goes first
            return False
        if self._held and gap_ms > self.max_gap_ms:
            self.flush()
        self._held.append(_Held(watched, key, event.modifiers(), event.text()))
        self._swallow_release.add(key)
        self._last = now
        self._timer.start(max(1, int(self.max_gap_ms) + 5))
        return True

    def flush(self) -> None:
        """Give the keystrokes held so far to the widget that has focus, in order."""
        self._timer.stop()
        held, self._held = self._held, []
        if not held:
            return
        self._replaying = True
        try:
            for h in held:
                target = h.receiver if shiboken6.isValid(h.receiver) else None
                target = target or QGuiApplication.focusObject()
                if target is None:
                    continue
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(target, QKeyEvent(kind, h.key, h.modifiers, h.text))
                self._swallow_release.discard(h.key)
        finally:
            self._replaying = False

    @property
    def holding(self) -> int:
        """How many keystrokes are held back right now (for tests and the status bar)."""
        return len(self._held)


def _printable(event: QKeyEvent) -> bool:
    text = event.text()
    if event.isAutoRepeat() or len(text) != 1 or not text.isprintable():
        return False
    return not (event.modifiers() & _COMMAND_MODIFIERS)
