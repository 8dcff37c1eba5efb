"""The inputs beside the camera, in the real window on the simulated tenant: a keyboard-wedge
scanner whatever has focus, a photo dropped on the window, and a serial typed by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scanner_app.core.vision.synthetic import Label, render_label
from scanner_app.ui.main_window import MainWindow
from tests.ui.conftest import BenchClock
from tests.ui.helpers import drop_file, unique_devices

WAIT_MS = 15_000


def test_wedge_scan_while_the_user_picker_has_focus(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock
) -> None:
    record = unique_devices(tenant, max_len=12)[0]
    picker = window.user_picker
    picker.setFocus()
    for ch in "Lea":  # the operator was half-way through a name, typing at a person's pace
        clock.advance(0.2)
        QTest.keyClick(picker, ch)
    qtbot.wait_until(lambda: picker.text() == "Lea")
    clock.advance(0.5)
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
        # A hand scanner: the whole code and Enter within a few milliseconds.
        QTest.keyClicks(picker, record["serialNumber"])
        QTest.keyClick(picker, Qt.Key.Key_Return)
    assert shown.args[0].id == record["id"]
    assert window.card.title.text() == record["serialNumber"]
    assert picker.text() == "Lea"
    assert picker.chosen is None
    assert window.scan_input.text() == ""
    assert window.queue.session.rows[-1].serial == record["serialNumber"]
    assert tenant.applied_updates(record["id"]) == 0  # a scan alone never changes a device


def test_photo_dropped_on_the_window_shows_the_device(
    qtbot: Any, window: MainWindow, tenant: Any, tmp_path: Path
) -> None:
    window.group_tag.setCurrentText("Bench-Photo")  # something to apply
    record = unique_devices(tenant, max_len=12)[1]
    serial = record["serialNumber"]
    card = render_label(Label(serial, serial, record["manufacturer"], record["model"]))
    photo = cv2.copyMakeBorder(card, 60, 60, 60, 60, cv2.BORDER_CONSTANT, value=(90, 120, 150))
    path = tmp_path / "label photo.jpg"
    ok, encoded = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    path.write_bytes(encoded.tobytes())
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
        event = drop_file(window, path)
    assert event.isAccepted()
    assert shown.args[0].id == record["id"]
    assert window.state == "found"
    assert window.apply_button.isEnabled()


def test_photo_without_a_code_says_so(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "desk.png"
    ok, encoded = cv2.imencode(".png", np.full((240, 320, 3), 180, np.uint8))
    assert ok
    path.write_bytes(encoded.tobytes())
    with qtbot.wait_signal(
        window.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "rejected"
    ):
        window.photos.decode_file(path)
    assert "No code found" in window.banner.text()
    assert window.device is None


def test_serial_typed_by_hand_is_looked_up_on_enter(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock
) -> None:
    # The window's wedge filter runs on the window's clock, which the test moves: "a person
    # typing" needs no real seconds.
    wedge = window.wedge
    record = unique_devices(tenant, max_len=12)[2]
    field = window.scan_input
    field.setFocus()
    with (
        qtbot.assert_not_emitted(wedge.scanned),
        qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown,
    ):
        for ch in record["serialNumber"].lower():  # people type in lower case too
            clock.advance(0.15)
            QTest.keyClick(field, ch)
        qtbot.wait_until(lambda: wedge.holding == 0, timeout=WAIT_MS)
        assert field.text() == record["serialNumber"].lower()
        clock.advance(0.4)
        QTest.keyClick(field, Qt.Key.Key_Return)
    assert shown.args[0].id == record["id"]
    assert field.text() == ""
    assert window.state == "found"
    assert window.queue.session.rows[-1].serial == record["serialNumber"]
