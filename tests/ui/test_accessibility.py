"""Screen readers: every control an operator can tab to has a name to read out.

A field without a name is announced as "edit" or "table" and nothing else; an operator who
uses a screen reader (or voice control, which addresses controls by name) cannot tell the serial
field from the user search. Qt names a field after its buddy label, its text or an explicit
accessible name; this walks the windows as a screen reader would see them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from scanner_app.core.config import Settings
from scanner_app.core.services import Services
from scanner_app.ui.history_dialog import HistoryDialog
from scanner_app.ui.main_window import MainWindow
from scanner_app.ui.settings_dialog import SettingsDialog


def unnamed_controls(top: QWidget) -> list[str]:
    """The visible widgets that take keyboard focus and have no accessible name."""
    missing = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        face = QAccessible.queryAccessibleInterface(widget)
        if face is None or not face.text(QAccessible.Text.Name).strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_the_main_window_names_every_control(window: MainWindow) -> None:
    assert unnamed_controls(window) == []
    face = QAccessible.queryAccessibleInterface(window.scan_input)
    assert face is not None and face.text(QAccessible.Text.Name) == "Serial number"


def test_every_settings_page_names_every_control(qtbot: Any) -> None:
    dialog = SettingsDialog(Settings.from_mapping({"demo": True}), cameras=[])
    qtbot.add_widget(dialog)
    dialog.show()
    for page in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(page)
        assert unnamed_controls(dialog) == [], dialog.tabs.tabText(page)


def test_the_history_window_names_every_control(qtbot: Any, services: Services) -> None:
    view = HistoryDialog(services.outbox)
    qtbot.add_widget(view)
    view.show()
    assert unnamed_controls(view) == []


def test_the_about_window_names_every_control(qtbot: Any) -> None:
    from scanner_app.ui.about_dialog import AboutDialog

    dialog = AboutDialog(opener=lambda url: True)
    qtbot.add_widget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
