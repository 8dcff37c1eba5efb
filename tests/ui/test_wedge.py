"""A hand scanner's burst goes to ``scanned`` whatever has focus; a person's typing does not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from scanner_app.ui.wedge import WedgeScannerFilter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def setup(
    qtbot: Any, clock: FakeClock
) -> Iterator[tuple[QLineEdit, QLineEdit, WedgeScannerFilter]]:
    window = QWidget()
    other = QLineEdit(window)  # e.g. the user picker, which has focus
    scan_input = QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(other)
    layout.addWidget(scan_input)
    qtbot.add_widget(window)
    wedge = WedgeScannerFilter(window, clock=clock)
    wedge.install()
    yield other, scan_input, wedge
    wedge.uninstall()


def type_keys(widget: QWidget, text: str, clock: FakeClock, gap_ms: float) -> None:
    for ch in text:
        clock.now += gap_ms / 1000.0
        QTest.keyClick(widget, ch)


def press_enter(widget: QWidget, clock: FakeClock, gap_ms: float) -> None:
    clock.now += gap_ms / 1000.0
    QTest.keyClick(widget, Qt.Key.Key_Return)


def test_fast_burst_with_enter_is_a_scan_and_stays_out_of_the_focused_field(
    qtbot: Any, setup: Any, clock: FakeClock
) -> None:
    other, _scan_input, wedge = setup
    entered: list[str] = []
    other.returnPressed.connect(lambda: entered.append(other.text()))
    with qtbot.wait_signal(wedge.scanned, timeout=1000) as scan:
        type_keys(other, "5CG1234XYZ", clock, gap_ms=4)
        press_enter(other, clock, gap_ms=6)
    assert scan.args == ["5CG1234XYZ"]
    assert other.text() == ""
    assert entered == []  # the Enter did not reach the focused widget either


def test_a_burst_that_needs_shift_altgr_and_the_keypad_is_still_a_scan(
    qtbot: Any, setup: Any, clock: FakeClock
) -> None:
    """A scanner presses Shift for capitals, AltGr (Ctrl+Alt on Windows) for "@" on a German
    layout, keypad digits when set to be independent of the layout: the modifier presses are
    part of its burst, not the end of it."""
    other, _scan_input, wedge = setup
    shift = Qt.KeyboardModifier.ShiftModifier
    altgr = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    keypad = Qt.KeyboardModifier.KeypadModifier
    keys = [("5", keypad), ("C", shift), ("G", shift), ("@", altgr), ("1", keypad), ("x", None),
            ("Y", shift), ("Z", shift)]  # fmt: skip
    with qtbot.wait_signal(wedge.scanned, timeout=1000) as scan:
        for ch, modifier in keys:
            clock.now += 0.004
            QTest.keyClick(other, ch, modifier or Qt.KeyboardModifier.NoModifier)
        press_enter(other, clock, gap_ms=6)
    assert scan.args == ["5CG@1xYZ"]
    assert other.text() == ""


def test_a_burst_with_a_windows_alt_code_is_still_a_scan(
    qtbot: Any, setup: Any, clock: FakeClock
) -> None:
    """Alt + keypad 0 6 4 composes "@" (the character arrives when Alt is released): the
    digits belong to the burst; only the composed character is part of the code."""
    other, _scan_input, wedge = setup
    alt_keypad = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.KeypadModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    with qtbot.wait_signal(wedge.scanned, timeout=1000) as scan:
        for ch in "5CG":
            clock.now += 0.004
            QTest.keyClick(other, ch, shift if ch.isupper() else Qt.KeyboardModifier.NoModifier)
        for digit in (Qt.Key.Key_0, Qt.Key.Key_6, Qt.Key.Key_4):  # as Windows sends them:
            clock.now += 0.004  # Alt held, keypad digits that type nothing yet
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(other, QKeyEvent(kind, digit, alt_keypad, ""))
        clock.now += 0.004
        QTest.keyClick(other, "@")  # what Windows delivers when Alt goes up
        for ch in "1XY":
            clock.now += 0.004
            QTest.keyClick(other, ch, shift if ch.isupper() else Qt.KeyboardModifier.NoModifier)
        press_enter(other, clock, gap_ms=6)
    assert scan.args == ["5CG@1XY"]
    assert other.text() == ""


def test_typing_by_hand_reaches_the_focused_widget(
    qtbot: Any, setup: Any, clock: FakeClock
) -> None:
    other, _scan_input, wedge = setup
    with qtbot.assert_not_emitted(wedge.scanned):
        type_keys(other, "Lea Roth", clock, gap_ms=120)
        qtbot.wait_until(lambda: wedge.holding == 0, timeout=1000)
    assert other.text() == "Lea Roth"


def test_typing_then_enter_keeps_order_and_enter(qtbot: Any, setup: Any, clock: FakeClock) -> None:
    other, _scan_input, wedge = setup
    entered: list[str] = []
    other.returnPressed.connect(lambda: entered.append(other.text()))
    with qtbot.assert_not_emitted(wedge.scanned):
        type_keys(other, "ab", clock, gap_ms=150)
        type_keys(other, "cd", clock, gap_ms=5)  # a fast pair is not a scan: too short
        press_enter(other, clock, gap_ms=5)
    assert entered == ["abcd"]


def test_a_fast_burst_without_enter_is_given_back(qtbot: Any, setup: Any, clock: FakeClock) -> None:
    other, _scan_input, wedge = setup
    type_keys(other, "PASTE99", clock, gap_ms=3)
    qtbot.wait_until(lambda: other.text() == "PASTE99", timeout=1000)


def test_shortcuts_and_editing_keys_pass_through(qtbot: Any, setup: Any, clock: FakeClock) -> None:
    other, _scan_input, _wedge = setup
    type_keys(other, "abc", clock, gap_ms=200)
    clock.now += 0.2
    QTest.keyClick(other, Qt.Key.Key_Backspace)  # flushes "abc" first, then deletes "c"
    assert other.text() == "ab"
    QTest.keyClick(other, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert other.selectedText() == "ab"


def test_disabled_filter_leaves_everything_alone(qtbot: Any, setup: Any, clock: FakeClock) -> None:
    other, _scan_input, wedge = setup
    wedge.enabled = False
    with qtbot.assert_not_emitted(wedge.scanned):
        type_keys(other, "5CG1234XYZ", clock, gap_ms=2)
        press_enter(other, clock, gap_ms=2)
    assert other.text() == "5CG1234XYZ"


def test_a_modal_dialog_gets_its_keys_as_typed(qtbot: Any, setup: Any, clock: FakeClock) -> None:
    from PySide6.QtWidgets import QDialog

    _other, _scan_input, wedge = setup
    dialog = QDialog()
    qtbot.add_widget(dialog)
    field = QLineEdit(dialog)
    dialog.setModal(True)
    dialog.show()
    qtbot.wait_until(lambda: QApplication.activeModalWidget() is dialog)
    with qtbot.assert_not_emitted(wedge.scanned):
        type_keys(field, "11111111", clock, gap_ms=2)
        press_enter(field, clock, gap_ms=2)
    assert field.text() == "11111111"
    dialog.close()
