"""Sound and colour on read, success and error, so the operator need not look at the screen.

Sounds: the WAV files of :mod:`scanner_app.resources` through QtMultimedia's ``QSoundEffect``
when that module exists. The PySide6-Essentials wheel the app ships does not contain
QtMultimedia, so the usual path is the system beep (``QApplication.beep()``): one beep for a
read or a success, two for an error. Anything that goes wrong with audio falls back to the
beep, silently: a missing sound must never stop a bench.

Colour: a thick coloured frame flashes over the widgets given to :meth:`Feedback.attach` (blue
read, green success, red error), drawn by a transparent child so the widget's own style is
left alone.
"""

from __future__ import annotations

import importlib
import logging
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

KINDS = ("read", "success", "error")
COLOURS = {"read": "#2563eb", "success": "#16a34a", "error": "#dc2626"}

QSoundEffect: Any = None
try:  # pragma: no cover - depends on the PySide6 wheel installed
    QSoundEffect = importlib.import_module("PySide6.QtMultimedia").QSoundEffect
except ImportError:  # PySide6-Essentials: no QtMultimedia
    pass


def default_sound_files() -> dict[str, Path]:
    """The bundled WAVs, or none of them when the package ships without sounds."""
    try:
        from scanner_app import resources

        return {kind: resources.sound_path(kind) for kind in KINDS}
    except (ImportError, FileNotFoundError, ValueError) as exc:
        log.info("feedback sounds not available: %s", exc)
        return {}


class _FlashFrame(QWidget):
    """A coloured border painted over its parent; transparent to the mouse."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.target = parent
        self.colour = QColor(COLOURS["read"])
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self.target.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        pen = QPen(self.colour, 6)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.drawRect(self.rect().adjusted(3, 3, -3, -3))


class Feedback(QObject):
    """Gives read / success / error feedback.

    Signals: ``given(str)`` with the kind each time feedback is given (sound or not), so tests
    and the self-test can see it; ``sound_played(str)`` with ``"beep"`` or the WAV name when a
    sound was actually played.
    """

    given = Signal(str)
    sound_played = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        sounds: bool = True,
        sound_files: dict[str, Path] | None = None,
        flash_ms: int = 700,
        player: Callable[[Path], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._player = play_wav if player is None else player
        self.sounds_enabled = sounds
        self.flash_ms = flash_ms
        self._frames: list[_FlashFrame] = []
        self._effects: dict[str, Any] = {}
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self._hide_frames)
        files = default_sound_files() if sound_files is None else sound_files
        self._files = files
        if QSoundEffect is not None and _audio_output_present():  # pragma: no cover
            for kind, path in files.items():
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(0.8)
                self._effects[kind] = effect

    @property
    def uses_wav(self) -> bool:
        return bool(self._effects)

    def set_sounds(self, enabled: bool) -> None:
        self.sounds_enabled = enabled

    def attach(self, widget: QWidget) -> None:
        """Flash a coloured frame over ``widget`` on each feedback."""
        self._frames.append(_FlashFrame(widget))

    # ---- the three events ------------------------------------------------------------------
    def read(self) -> None:
        self.give("read")

    def success(self) -> None:
        self.give("success")

    def error(self) -> None:
        self.give("error")

    def give(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown feedback {kind!r}")
        self._flash(kind)
        if self.sounds_enabled:
            self._play(kind)
        self.given.emit(kind)

    # ---- helpers ---------------------------------------------------------------------------
    def _flash(self, kind: str) -> None:
        for frame in self._frames:
            frame.colour = QColor(COLOURS[kind])
            frame.setGeometry(frame.target.rect())
            frame.raise_()
            frame.show()
            frame.update()
        if self._frames:
            self._hide_timer.start(self.flash_ms)

    def _hide_frames(self) -> None:
        for frame in self._frames:
            frame.hide()

    def _play(self, kind: str) -> None:
        effect = self._effects.get(kind)
        if effect is not None:  # pragma: no cover - only with QtMultimedia
            try:
                effect.play()
                self.sound_played.emit(kind)
                return
            except RuntimeError:
                log.debug("sound effect failed; beeping instead", exc_info=True)
        path = self._files.get(kind)
        if path is not None and self._player(path):
            self.sound_played.emit(kind)
            return
        QApplication.beep()
        if kind == "error":
            QTimer.singleShot(160, QApplication.beep)
        self.sound_played.emit("beep")

    @property
    def flashing(self) -> bool:
        return any(frame.isVisibleTo(frame.target) for frame in self._frames)


def play_wav(path: Path) -> bool:
    """Play a short WAV without waiting, with what the OS has (PySide6-Essentials carries no
    QtMultimedia): winsound on Windows, afplay on macOS, paplay / pw-play / aplay on Linux.
    False when nothing can play it here (the caller beeps instead)."""
    try:
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)
            return True
        players = ("afplay",) if sys.platform == "darwin" else ("paplay", "pw-play", "aplay")
        for name in players:
            exe = shutil.which(name)
            if exe:
                args = [exe, "-q", str(path)] if name == "aplay" else [exe, str(path)]
                subprocess.Popen(  # noqa: S603 - a fixed player and our own bundled file
                    args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                return True
    except (OSError, RuntimeError):
        log.debug("could not play %s", path, exc_info=True)
    return False


def _audio_output_present() -> bool:  # pragma: no cover - only with QtMultimedia
    """True when Qt sees an audio output; without one QSoundEffect only logs warnings."""
    try:
        devices = importlib.import_module("PySide6.QtMultimedia").QMediaDevices
        return not devices.defaultAudioOutput().isNull()
    except Exception:
        return False
