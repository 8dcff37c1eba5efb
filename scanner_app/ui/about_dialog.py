"""About: versions, decoder engines and the folders the app uses, with one click to the logs.

What support asks first ("which version? is zbar there? where is the log?") is on one screen,
and "Copy" puts it on the clipboard as plain text for a ticket.
"""

from __future__ import annotations

import importlib
import logging
import platform
import sys
from collections.abc import Callable
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scanner_app import APP_NAME, __version__
from scanner_app.core import paths

log = logging.getLogger(__name__)


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> list[tuple[str, str]]:
    """(component, version) pairs, app first."""
    try:
        import cv2

        opencv = str(cv2.__version__)
    except ImportError:  # pragma: no cover - a hard dependency
        opencv = "not installed"
    return [
        (APP_NAME, __version__),
        ("Python", f"{platform.python_version()} ({platform.machine()})"),
        ("Operating system", platform.platform(terse=True)),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("OpenCV", opencv),
        ("zxing-cpp", _dist_version("zxing-cpp")),
        ("pyzbar", _dist_version("pyzbar")),
        ("MSAL", _dist_version("msal")),
    ]


def engines() -> list[tuple[str, str]]:
    """(engine, "available" or the reason it cannot run here)."""
    try:
        found = importlib.import_module("scanner_app.core.vision.engines").available_engines()
    except Exception as exc:  # an About box must open even when decoding is broken
        log.warning("decoder engines could not be listed: %s", exc)
        return [("decoder", f"not available: {exc}")]
    return [
        (name, "available" if reason is None else str(reason)) for name, reason in found.items()
    ]


def folders() -> list[tuple[str, str]]:
    return [
        ("Settings file", str(paths.config_file())),
        ("Data", str(paths.data_dir())),
        ("Logs", str(paths.log_dir())),
    ]


class AboutDialog(QDialog):
    """Versions, engines and folders. ``opener`` opens a URL (``QDesktopServices.openUrl`` by
    default; tests pass a recorder). Emits nothing of its own."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        opener: Callable[[QUrl], bool] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About %1").replace("%1", APP_NAME))
        self._opener = opener
        title = QLabel(f"<b>{APP_NAME}</b> {__version__}")
        title.setStyleSheet("font-size: 15pt;")
        blurb = QLabel(self.tr(
            "Scan a device label, find the device in Intune, set its group tag and user."
        ))  # fmt: skip
        blurb.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addWidget(self._section(self.tr("Versions"), versions()))
        layout.addWidget(self._section(self.tr("Barcode engines"), engines()))
        layout.addWidget(self._section(self.tr("Folders"), folders()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_logs_button = QPushButton(self.tr("Open &logs folder"))
        self.copy_button = QPushButton(self.tr("&Copy"))
        buttons.addButton(self.open_logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_logs_button.clicked.connect(self.open_logs)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _section(self, title: str, rows: list[tuple[str, str]]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for name, value in rows:
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(name, label)
        return box

    def text(self) -> str:
        """Everything the dialog shows, as plain text."""
        lines = [f"{name}: {value}" for name, value in versions()]
        lines += [f"engine {name}: {value}" for name, value in engines()]
        lines += [f"{name}: {value}" for name, value in folders()]
        lines.append(f"Python executable: {sys.executable}")
        return "\n".join(lines)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def open_logs(self) -> bool:
        url = QUrl.fromLocalFile(str(paths.log_dir()))
        ok = bool(self._opener(url))
        if not ok:
            log.warning("could not open the logs folder %s", url.toLocalFile())
        return ok
