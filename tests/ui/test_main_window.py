"""The main window on the simulated tenant, driven as an operator would: keyboard only."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scanner_app.core.payload import normalise_serial
from scanner_app.core.services import Services
from scanner_app.ui.main_window import MainWindow
from tests.ui.conftest import BenchClock

WAIT_MS = 15_000


def unique_device(tenant: Any) -> dict[str, Any]:
    counts = Counter(normalise_serial(d["serialNumber"]) for d in tenant.devices.values())
    for record in tenant.devices.values():
        serial = record["serialNumber"]
        if counts[normalise_serial(serial)] == 1 and serial == serial.strip().upper():
            return dict(record)
    raise AssertionError("the seeded tenant has no plain unique serial")


def type_scan(qtbot: Any, window: MainWindow, text: str) -> None:
    window.scan_input.setFocus()
    QTest.keyClicks(window.scan_input, text)
    QTest.keyClick(window.scan_input, Qt.Key.Key_Return)


def test_scan_pick_apply_verified_with_the_keyboard_only(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock
) -> None:
    record = unique_device(tenant)
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
        type_scan(qtbot, window, record["serialNumber"].lower())
    assert shown.args[0].id == record["id"]
    assert window.card.title.text() == record["serialNumber"]

    picker = window.user_picker
    picker.setFocus()
    with qtbot.wait_signal(picker.search_done, timeout=WAIT_MS) as found:
        QTest.keyClicks(picker, "ad")
    assert found.args[0] > 0
    popup = picker.completer().popup()
    qtbot.wait_until(popup.isVisible, timeout=WAIT_MS)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert picker.chosen is not None
    upn = picker.chosen.user_principal_name

    window.group_tag.setFocus()
    line = window.group_tag.lineEdit()
    line.selectAll()
    QTest.keyClicks(line, "Bench-Kiosk-7")
    # The card previews before -> after (test keystrokes are scanner-fast, so the wedge filter
    # holds them a few ms before replaying them into the field).
    qtbot.wait_until(lambda: "Bench-Kiosk-7" in window.card.text_of("group_tag"))
    assert "→" in window.card.values["group_tag"].text()
    clock.advance(1.0)  # the operator looked at the card (R1) before pressing Enter
    with qtbot.wait_signal(window.apply_finished, timeout=WAIT_MS) as done:
        QTest.keyClick(line, Qt.Key.Key_Return)
    outcome = done.args[0]
    assert outcome.verified, outcome.message
    assert window.state == "verified"
    assert "✔" in window.banner.text()
    stored = tenant.devices[record["id"]]
    assert stored["groupTag"] == "Bench-Kiosk-7"
    assert stored["userPrincipalName"] == upn
    assert tenant.applied_updates(record["id"]) == 1


def test_unknown_serial_says_not_registered_and_changes_nothing(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    with qtbot.wait_signal(
        window.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "not-found"
    ):
        type_scan(qtbot, window, "NOSUCH123")
    assert "No Autopilot device" in window.banner.text()
    assert not window.apply_button.isEnabled()


def test_hostile_payload_is_refused_before_any_request(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    before = len(tenant.requests)
    type_scan(qtbot, window, "X' or 1 eq 1 or '")
    assert window.state == "rejected"
    # The refusal, with the code's quotes replaced: nothing hostile is echoed.
    assert window.banner.text() == "This code does not hold a serial number (X? or 1 eq 1 or ?)."
    assert window.card.title.text() == "Code not used"
    assert len(tenant.requests) == before


def test_serial_matching_two_devices_waits_for_the_operator_to_pick(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    counts = Counter(normalise_serial(d["serialNumber"]) for d in tenant.devices.values())
    serial = next(s for s, n in counts.items() if n == 2)
    window.group_tag.setCurrentText("Bench-Pick")
    with qtbot.wait_signal(
        window.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "several"
    ):
        type_scan(qtbot, window, serial)
    assert window.matches.isVisible() and window.matches.count() == 2
    assert not window.apply_button.isEnabled()
    assert "Pick one of the 2 devices first" in window.panel.apply_hint.text()
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
        QTest.keyClick(window.matches, Qt.Key.Key_Down)
        QTest.keyClick(window.matches, Qt.Key.Key_Return)
    assert normalise_serial(shown.args[0].serial_number) == serial
    assert window.apply_button.isEnabled()


def test_escape_skips_the_device(qtbot: Any, window: MainWindow, tenant: Any) -> None:
    record = unique_device(tenant)
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        type_scan(qtbot, window, record["serialNumber"])
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert window.state == "idle"
    assert window.device is None
    assert not window.apply_button.isEnabled()


def test_self_test_drives_camera_to_verified_change(qtbot: Any, services: Services) -> None:
    from scanner_app.core.tenant_sim.seed import demo_labels
    from scanner_app.ui.app import make_camera
    from scanner_app.ui.self_test import SelfTest

    camera, view = make_camera(services.settings, "synthetic", list(demo_labels()))
    win = MainWindow(services, camera=camera, view=view)
    qtbot.add_widget(win)
    win.show()
    out = io.StringIO()
    test = SelfTest(win, services, out=out)
    camera.start()
    try:
        with qtbot.wait_signal(test.finished, timeout=40_000) as finished:
            test.start()
    finally:
        win.close()
    assert finished.args[0] == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    assert sum(" ok " in line for line in lines) == len(test.steps)


def test_two_devices_in_view_are_never_chosen_between(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    from scanner_app.core.models import Symbol

    first, second = (d["serialNumber"] for d in list(tenant.devices.values())[:2])
    quad = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
        window.on_symbols([Symbol(first, "Code128", quad)])
    assert window.apply_button.isEnabled() is False  # nothing planned yet

    def looked_up() -> int:  # look-ups only: the Profile row reads on in the background
        return sum(1 for r in tenant.requests if "$filter" in r.query)

    before = looked_up()
    # The second label is confirmed while the first is still in view: its card stays (R4), and
    # the status bar says why the second was not used.
    window.symbols_in_view(None, [Symbol(first, "Code128", quad), Symbol(second, "QRCode", quad)])
    window.on_symbols([Symbol(second, "Code128", quad)])
    assert window.state == "found" and window.device == shown.args[0]
    assert "Two codes in view" in window.status.currentMessage()
    assert "Two codes in view" not in window.banner.text()
    assert looked_up() == before  # nothing looked up, nothing applied

    # With no card waiting, two labels take the screen and neither is armed.
    QTest.keyClick(window, Qt.Key.Key_Escape)
    window.on_symbols([Symbol(second, "Code128", quad)])
    assert window.state == "two-labels"
    assert "Two codes in view" in window.banner.text()
    assert not window.apply_button.isEnabled() and window.device is None
    assert looked_up() == before


def test_the_waiting_line_follows_the_camera(qtbot: Any, services: Services) -> None:
    """With no camera the window must not ask the operator to hold a label up to one."""
    from scanner_app.ui.app import make_camera

    without = MainWindow(services)
    qtbot.add_widget(without)
    assert "type the serial number below" in without.banner.text()
    assert "camera" not in without.card.subtitle.text()

    camera, view = make_camera(services.settings, "7", [])  # no /dev/video7 here
    win = MainWindow(services, camera=camera, view=view)
    qtbot.add_widget(win)
    camera.start()
    try:
        qtbot.wait_until(
            lambda: "type the serial number below" in win.banner.text(), timeout=WAIT_MS
        )
    finally:
        win.close()
    assert win.state == "idle"

    camera, view = make_camera(services.settings, "synthetic", [])
    live = MainWindow(services, camera=camera, view=view)
    qtbot.add_widget(live)
    camera.start()
    try:
        qtbot.wait_until(lambda: camera.status[0] == "live", timeout=WAIT_MS)
        assert "hold a device label up to the camera" in live.banner.text()
        assert "up to the camera" in live.card.subtitle.text()
    finally:
        live.close()


def test_a_slow_graph_shows_the_offline_copy_and_says_graph_is_slow(
    qtbot: Any, tenant: Any, tmp_path: Any
) -> None:
    """Graph answers, but slower than the look-up's deadline (1 s here, 20 s by default): the
    card shows the copy seen a moment ago and the banner says Graph is slow, not "offline"."""
    from scanner_app.core.config import Settings
    from scanner_app.core.services import open_services

    settings = Settings.from_mapping({"demo": True, "sounds": False, "lookup_deadline_s": 1})
    journal = tmp_path / "j.sqlite3"
    with open_services(settings, simulator=tenant, journal_path=journal) as services:
        window = MainWindow(services)
        qtbot.add_widget(window)
        window.show()
        try:
            record = unique_device(tenant)
            window.group_tag.setCurrentText("Bench-Slow")  # something to queue
            with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
                type_scan(qtbot, window, record["serialNumber"])
            QTest.keyClick(window, Qt.Key.Key_Escape)
            tenant.faults.latency(3000, path="*windowsAutopilotDeviceIdentities*")
            with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
                type_scan(qtbot, window, record["serialNumber"])
            assert shown.args[0].id == record["id"]
            qtbot.wait_until(lambda: "Graph is slow" in window.banner.text(), timeout=WAIT_MS)
            assert "copy seen" in window.banner.text()
            assert window.apply_button.isEnabled()  # a change is queued and checked, as offline
        finally:
            tenant.faults.clear()
            window.close()


def test_the_offline_copys_time_reads_as_the_cards_times(qapp: Any) -> None:
    """Under a plain system locale Qt's short format read "7 12 2026 05:36" in the banner."""
    import re
    import time as _time

    from PySide6.QtCore import QLocale

    from scanner_app.ui.time_text import epoch_time

    before = QLocale()
    QLocale.setDefault(QLocale.c())
    try:
        text = epoch_time(_time.time() - 600)
    finally:
        QLocale.setDefault(before)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}, \d\d:\d\d", text), text
