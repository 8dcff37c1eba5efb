"""Small things an operator notices in the first ten minutes: where Tab goes, that Ctrl+, opens
Settings, that the camera rests behind a dialog, what the tag list offers first, and that Esc
marks a row skipped instead of leaving it "found" with a tag it never got."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from scanner_app.core.services import Services
from scanner_app.ui.main_window import MainWindow
from tests.ui.test_main_window import WAIT_MS, type_scan, unique_device

CTRL = Qt.KeyboardModifier.ControlModifier


def while_modal(open_it: Callable[[], None], inside: Callable[[QWidget], None]) -> str:
    """Open a modal dialog with ``open_it`` (which blocks while it is open), run ``inside`` on it,
    close it; returns the dialog's class name ("" when none opened)."""
    seen: dict[str, Any] = {}

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        seen["name"] = type(dialog).__name__
        try:
            inside(dialog)
        except BaseException as exc:  # reported after the dialog is closed
            seen["error"] = exc
        finally:
            dialog.close()

    QTimer.singleShot(0, run)
    open_it()
    if "error" in seen:
        raise seen["error"]
    return str(seen.get("name", ""))


@pytest.fixture
def camera_window(qtbot: Any, services: Services) -> Iterator[tuple[MainWindow, Any]]:
    from scanner_app.ui.app import make_camera

    camera, view = make_camera(services.settings, "synthetic", [])
    window = MainWindow(services, camera=camera, view=view)
    qtbot.add_widget(window)
    window.show()
    qtbot.wait_exposed(window)
    window.activateWindow()
    camera.start()
    try:
        qtbot.wait_until(lambda: camera.status[0] == "live", timeout=WAIT_MS)
        yield window, camera
    finally:
        window.close()


@pytest.mark.parametrize(("key", "dialog"), [(Qt.Key.Key_Comma, "SettingsDialog"),
                                             (Qt.Key.Key_H, "HistoryDialog")])  # fmt: skip
def test_the_shortcut_opens_the_dialog_and_the_camera_rests_behind_it(
    qtbot: Any, camera_window: tuple[MainWindow, Any], key: Qt.Key, dialog: str
) -> None:
    window, camera = camera_window

    def inside(_dialog: QWidget) -> None:
        qtbot.wait_until(lambda: camera.status[0] == "paused", timeout=WAIT_MS)

    opened = while_modal(lambda: QTest.keyClick(window, key, CTRL), inside)
    assert opened == dialog
    qtbot.wait_until(lambda: camera.status[0] == "live", timeout=WAIT_MS)  # and back on


def test_tab_goes_group_tag_user_apply_skip(qtbot: Any, window: MainWindow, tenant: Any) -> None:
    window.group_tag.setCurrentText("Bench-A")  # something to apply: Apply is enabled
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        type_scan(qtbot, window, unique_device(tenant)["serialNumber"])
    assert window.apply_button.isEnabled()
    window.group_tag.setFocus()
    order = []
    for _ in range(3):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [window.user_picker, window.apply_button, window.change.skip_button]


def test_the_tag_list_starts_with_keep_current_and_picking_it_keeps_the_tag(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    record = unique_device(tenant)
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        type_scan(qtbot, window, record["serialNumber"])
    combo = window.group_tag
    assert combo.itemText(0) == "(keep current)"
    combo.setCurrentIndex(combo.findText("Bench-A"))
    qtbot.wait_until(lambda: "→" in window.card.text_of("group_tag"))
    combo.showPopup()  # the operator opens the list and picks its first entry
    list_view = combo.view()
    qtbot.wait_until(list_view.isVisible)
    with qtbot.wait_signal(combo.activated, timeout=WAIT_MS):
        QTest.keyClick(list_view, Qt.Key.Key_Home)
        QTest.keyClick(list_view, Qt.Key.Key_Return)
    assert combo.currentText() == ""  # an empty field, its placeholder says "(keep current)"
    assert window.change.planned_change().group_tag is None
    qtbot.wait_until(lambda: "→" not in window.card.text_of("group_tag"))


def test_escape_marks_the_row_skipped_and_it_shows_no_tag(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    window.group_tag.setCurrentText("Bench-A")  # the sticky tag, ready for the next Apply
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        type_scan(qtbot, window, unique_device(tenant)["serialNumber"])
    model = window.queue.model
    assert model.data(model.index(0, 5)) == "found"
    assert model.data(model.index(0, 3)) == ""  # found, nothing applied: no tag shown
    QTest.keyClick(window, Qt.Key.Key_Escape)
    qtbot.wait_until(lambda: model.data(model.index(0, 5)) == "skipped")
    assert model.data(model.index(0, 3)) == "" and model.data(model.index(0, 4)) == ""
    assert "1 skipped" in window.queue.summary_text()
