"""Keyboard-wedge barcode scanners: the Qt side of ``core.bench.wedge_keys.BurstRecogniser``.

A USB hand scanner is a keyboard that types the code and Enter in a few milliseconds, with
whatever keys the layout needs (Shift for capitals, AltGr, keypad digits). Whatever widget has
focus (the user picker, the group tag box…), a scan must go to the scan input, not into that
widget, and its Enter must not be taken for Apply. An application-wide event filter hands every
key press to the recogniser as a plain ``Key`` and does what it decides: give back held keys (in
order, to where they were going), swallow the key, emit ``scanned``. Typing by hand works as
before, delayed by at most a few tens of milliseconds, which nobody notices.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication

from scanner_app.core.bench.wedge_keys import BurstRecogniser, Key

log = logging.getLogger(__name__)

_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
#: Keys that type nothing and edit nothing by themselves (a scanner presses them too).
_MODIFIER_KEYS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
}
_M = Qt.KeyboardModifier


@dataclass(frozen=True)
class _Sent:
    """Where a held key was going, and the key itself, to deliver it later."""

    receiver: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


def key_of(event: QKeyEvent, at: float, receiver: QObject) -> Key:
    """The recogniser's view of one key press."""
    code = event.key()
    mods = event.modifiers()
    text = event.text()
    # Ctrl+Alt is AltGr on Windows: it types "@", "\\"… as a scanner on such a layout does.
    ctrl_alt = bool(mods & _M.ControlModifier) and bool(mods & _M.AltModifier)
    # A keypad digit with Alt held composes a Windows "Alt code": the character comes when Alt
    # is released, so the digit itself is part of the burst, like Shift.
    alt_code_digit = bool(mods & _M.AltModifier) and bool(mods & _M.KeypadModifier) and not ctrl_alt
    # A shortcut (Ctrl+C, Alt+F, Cmd+V) types nothing: it ends a run like an arrow key does.
    command = bool(mods & (_M.ControlModifier | _M.AltModifier | _M.MetaModifier)) and not ctrl_alt
    return Key(
        at=at,
        text="" if command else text,
        is_modifier=code in _MODIFIER_KEYS or alt_code_digit,
        is_enter=code in _ENTER,
        auto_repeat=event.isAutoRepeat(),
        tag=_Sent(receiver, code, mods, text),
    )


class WedgeScannerFilter(QObject):
    """Application-wide filter that turns scanner bursts into one ``scanned(str)`` signal.

    Signals: ``scanned(str)`` with the text a scanner typed (without the Enter).
    ``clock`` returns seconds (``time.monotonic`` by default; tests pass a fake one).
    Install with :meth:`install`; :meth:`uninstall` removes it and gives back anything held.
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
        self.recogniser = BurstRecogniser(
            min_chars=min_chars, max_gap_s=max_gap_ms / 1000.0, enter_gap_s=enter_gap_ms / 1000.0
        )
        self.enabled = True
        self._clock = clock
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

    @property
    def holding(self) -> int:
        """How many keystrokes are held back right now (for tests and the status bar)."""
        return self.recogniser.holding

    # ---- the filter --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if not self.enabled or self._replaying:
            return False
        if not self.holding and QApplication.activeModalWidget() is not None:
            return False  # a dialog is open (Settings…): its fields get every key as typed
        kind = event.type()
        if kind == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent):
            if event.key() in self._swallow_release and not event.isAutoRepeat():
                self._swallow_release.discard(event.key())
                return True
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        decision = self.recogniser.key(key_of(event, self._clock(), watched))
        self._give_back(decision.replay)
        if decision.swallow:
            self._swallow_release.add(event.key())
        if decision.scanned is not None:
            log.debug("wedge scan of %d characters", len(decision.scanned))
            self.scanned.emit(decision.scanned)
        self._rearm()
        return decision.swallow

    def flush(self) -> None:
        """No key came in time: give the keystrokes held so far back, in order."""
        self._timer.stop()
        self._give_back(self.recogniser.expire())

    # ---- helpers -----------------------------------------------------------------------------
    def _rearm(self) -> None:
        deadline = self.recogniser.deadline
        if deadline is None:
            self._timer.stop()
            return
        wait_ms = max(0.0, (deadline - self._clock()) * 1000.0)
        self._timer.start(max(1, math.ceil(wait_ms)) + 5)

    def _give_back(self, keys: Iterable[Key]) -> None:
        held = [k.tag for k in keys if isinstance(k.tag, _Sent)]
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
