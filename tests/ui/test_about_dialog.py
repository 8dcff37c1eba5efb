"""About: the versions and folders support asks for, and the logs folder one click away."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication

from scanner_app import __version__
from scanner_app.core import paths
from scanner_app.ui.about_dialog import AboutDialog


def test_about_shows_versions_engines_and_opens_the_logs_folder(qtbot: Any) -> None:
    opened: list[QUrl] = []
    dialog = AboutDialog(opener=lambda url: opened.append(url) or True)
    qtbot.add_widget(dialog)
    text = dialog.text()
    for expected in (__version__, "Qt: ", "OpenCV: ", "zxing-cpp", "engine zxing-cpp: available",
                     str(paths.log_dir())):  # fmt: skip
        assert expected in text
    dialog.open_logs_button.click()
    assert [u.toLocalFile() for u in opened] == [str(paths.log_dir())]
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text
