"""The bench rules (issue 14) through the real window: keys, a fake clock, the simulated tenant.

The rules themselves are ``BenchFlow``'s and are checked over random sessions in
``tests/core/bench``; these tests show the window keeps them when an operator (or a USB scanner)
uses the keyboard: R1 the card-change guard, R2 several matches, R3 the user, R4 one story on
screen, R6 scanners are scanners. The window's clock is the test's (``clock`` in conftest), so
"0.3 s later" is a number, never a wait; every Enter is a real key event through the
application's event filters (the keyboard-wedge filter among them).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from scanner_app.core.bench import MESSAGES
from scanner_app.core.config import Settings
from scanner_app.core.models import Symbol
from scanner_app.core.payload import normalise_serial
from scanner_app.core.services import open_services
from scanner_app.ui.main_window import MainWindow
from tests.ui.conftest import BenchClock
from tests.ui.helpers import unique_devices

WAIT_MS = 15_000
TAG = "Bench-R14"  # a tag no seeded device has, typed into the (editable) group tag box
QUAD = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))


def lettered(tenant: Any, count: int) -> list[dict[str, Any]]:
    """Plain unique devices whose serials hold capital letters (typed with Shift)."""
    found = [d for d in unique_devices(tenant, max_len=12) if any(c.isupper() for c in
                                                                   d["serialNumber"])]  # fmt: skip
    assert len(found) >= count
    return found[:count]


def lookups(tenant: Any) -> int:
    """Device look-ups the tenant has answered (the Profile row's reads are not look-ups)."""
    return sum(1 for r in tenant.requests if "$filter" in r.query)


def type_serial(window: MainWindow, serial: str) -> None:
    """A serial typed into the scan field and Enter (the keys are scanner-fast on the test's
    clock, so the wedge filter may take it as a scan: either way it is looked up)."""
    window.scan_input.setFocus()
    QTest.keyClicks(window.scan_input, serial)
    QTest.keyClick(window.scan_input, Qt.Key.Key_Return)


def show(qtbot: Any, window: MainWindow, record: dict[str, Any]) -> None:
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
        type_serial(window, record["serialNumber"])
    assert shown.args[0].id == record["id"]


def focused(window: MainWindow) -> QWidget:
    widget = QApplication.focusWidget()
    return widget if widget is not None else window.scan_input


def enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def plan_tag(window: MainWindow) -> None:
    window.group_tag.setCurrentText(TAG)
    assert window.change.chosen_group_tag() == TAG


# ---- R2 ---------------------------------------------------------------------------------------
def test_r2_several_matches_enter_enter_applies_nothing_until_a_pick(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock
) -> None:
    counts = Counter(normalise_serial(d["serialNumber"]) for d in tenant.devices.values())
    serial = next(s for s, n in counts.items() if n == 2)
    twins = [
        d["id"] for d in tenant.devices.values() if normalise_serial(d["serialNumber"]) == serial
    ]
    plan_tag(window)
    with qtbot.wait_signal(
        window.state_changed, timeout=WAIT_MS, check_params_cb=lambda s: s == "several"
    ):
        type_serial(window, serial)
    clock.advance(2.0)  # long enough for R1: only R2 can hold Enter back now
    with qtbot.assert_not_emitted(window.apply_finished):
        enter(focused(window))
        enter(focused(window))
    assert window.state == "several"  # nothing sent: no apply under way
    assert "Pick one of the 2 devices first" in window.banner.text()
    assert not window.apply_button.isEnabled()

    # The operator picks the second match: Down from the serial field, Enter in the list.
    QTest.keyClick(window.scan_input, Qt.Key.Key_Down)
    assert window.matches.hasFocus() and window.matches.currentRow() == 1
    picked = window.matches.item(1).data(Qt.ItemDataRole.UserRole)
    enter(window.matches)
    assert window.state == "several" and window.device == picked  # picking applies nothing
    assert window.apply_button.isEnabled()
    clock.advance(1.0)
    with qtbot.wait_signal(window.apply_finished, timeout=WAIT_MS) as done:
        enter(focused(window))
    assert done.args[0].device.id == picked.id and done.args[0].verified
    assert [tenant.applied_updates(i) for i in twins].count(1) == 1
    assert tenant.applied_updates(picked.id) == 1


# ---- R6 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["group tag", "user"])
def test_r6_a_wedge_burst_with_shift_capitals_is_a_scan_and_its_enter_is_not_apply(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock, field: str
) -> None:
    first, second = lettered(tenant, 2)
    plan_tag(window)
    show(qtbot, window, first)
    clock.advance(2.0)  # the card has settled: an Enter taken as Apply would apply now
    assert window.apply_button.isEnabled()
    target = window.group_tag.lineEdit() if field == "group tag" else window.user_picker
    assert target is not None
    target.setFocus()
    tag_before, user_before = window.group_tag.currentText(), window.user_picker.text()
    # A USB scanner on a US layout: Shift pressed and released around every capital, a few
    # milliseconds between keys, Enter at the end.
    for ch in second["serialNumber"]:
        clock.advance(0.004)
        modifier = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier(0)
        QTest.keyClick(target, ch, modifier)
    clock.advance(0.008)
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
        enter(target)
        assert window.state == "looking-up"  # the Enter ended the scan: it was not Apply
    assert shown.args[0].id == second["id"]
    assert window.card.title.text() == second["serialNumber"]
    assert window.group_tag.currentText() == tag_before  # nothing landed in the fields
    assert window.user_picker.text() == user_before
    assert window.queue.session.rows[-1].serial == second["serialNumber"]
    assert tenant.applied_updates(first["id"]) == 0
    assert tenant.applied_updates(second["id"]) == 0


# ---- R3 ---------------------------------------------------------------------------------------
def type_by_hand(qtbot: Any, picker: QLineEdit, text: str, clock: BenchClock) -> None:
    for ch in text:  # a person's pace: the wedge filter gives each key back as typed
        clock.advance(0.2)
        QTest.keyClick(picker, ch)
    clock.advance(0.3)
    qtbot.wait_until(lambda: picker.text() == text)  # the last key, given back after its pause


def test_r3_enter_in_the_user_field_with_a_user_that_names_nobody_is_refused(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock
) -> None:
    (record,) = lettered(tenant, 1)
    plan_tag(window)
    show(qtbot, window, record)
    clock.advance(2.0)
    picker = window.user_picker
    picker.setFocus()
    type_by_hand(qtbot, picker, "zzq", clock)
    with qtbot.assert_not_emitted(window.apply_finished):
        enter(picker)  # Enter in the User field
    assert picker.text() == "zzq"
    assert window.state == "found"  # nothing sent: the tag alone did not go either
    assert "No user picked: choose one from the list or clear the field" in window.banner.text()
    assert window.panel.banner_kind == "error"
    assert tenant.applied_updates(record["id"]) == 0


def test_r3_enter_in_the_scan_field_on_the_next_device_with_that_user_is_refused(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock
) -> None:
    first, second = lettered(tenant, 2)
    plan_tag(window)
    show(qtbot, window, first)
    picker = window.user_picker
    picker.setFocus()
    type_by_hand(qtbot, picker, "zzq", clock)  # typed, never picked from the list
    show(qtbot, window, second)  # the next device; the sticky User field still says "zzq"
    clock.advance(2.0)
    assert picker.text() == "zzq"
    with qtbot.assert_not_emitted(window.apply_finished):
        enter(window.scan_input)  # Enter in the (empty) serial field
    assert window.state == "found"
    assert "No user picked" in window.banner.text()
    assert not window.apply_button.isEnabled()
    assert tenant.applied_updates(first["id"]) == 0
    assert tenant.applied_updates(second["id"]) == 0


# ---- R4 ---------------------------------------------------------------------------------------
def test_r4_a_misread_over_a_card_goes_to_the_status_bar_not_over_the_card(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock
) -> None:
    (record,) = lettered(tenant, 1)
    plan_tag(window)
    show(qtbot, window, record)
    clock.advance(2.0)
    banner, enabled = window.banner.text(), window.apply_button.isEnabled()
    assert enabled
    rows = len(window.queue.session.rows)
    before = lookups(tenant)
    # A misread typed (an OData injection attempt), then a web link seen by the camera.
    misreads = [
        lambda: type_serial(window, "X' or 1 eq 1 or '"),
        lambda: window.on_symbols([Symbol("https://example.com/not-a-label", "QRCode", QUAD)]),
    ]
    for misread in misreads:
        window.status.clearMessage()
        misread()
        assert window.state == "found" and window.device is not None
        assert window.device.id == record["id"]
        assert window.banner.text() == banner  # the banner still tells the card's story
        assert window.apply_button.isEnabled() == enabled
        assert not (window.panel.banner_kind == "error" and window.apply_button.isEnabled())
        assert window.status.currentMessage().startswith("Not used:")  # said there instead
    assert record["serialNumber"] in banner
    assert len(window.queue.session.rows) == rows + 2  # both codes are in the session table
    assert lookups(tenant) == before  # neither was looked up
    with qtbot.wait_signal(window.apply_finished, timeout=WAIT_MS) as done:
        enter(window.scan_input)
    assert done.args[0].device.id == record["id"] and done.args[0].verified


# ---- R1 ---------------------------------------------------------------------------------------
def test_r1_enter_just_after_the_card_changed_applies_nothing_then_applies_to_it(
    qtbot: Any, window: MainWindow, tenant: Any, clock: BenchClock
) -> None:
    first, second = lettered(tenant, 2)
    plan_tag(window)
    show(qtbot, window, first)
    clock.advance(5.0)  # the operator has been looking at the first card
    show(qtbot, window, second)  # the next label: its card replaces the first (R5)
    shown_at = clock.now
    clock.now = shown_at + 0.3
    with qtbot.assert_not_emitted(window.apply_finished):
        enter(window.scan_input)
    assert window.state == "found" and window.device is not None
    assert window.device.id == second["id"]
    assert "The card just changed: check it, then press Enter" in window.banner.text()
    clock.now = shown_at + 0.8
    with qtbot.wait_signal(window.apply_finished, timeout=WAIT_MS) as done:
        enter(window.scan_input)
    assert done.args[0].device.id == second["id"] and done.args[0].verified
    assert tenant.applied_updates(second["id"]) == 1
    assert tenant.applied_updates(first["id"]) == 0


def test_r1_the_settle_time_is_the_admins_setting(
    qtbot: Any, tenant: Any, tmp_path: Path, clock: BenchClock
) -> None:
    settings = Settings.from_mapping(
        {"demo": True, "group_tags": [TAG], "sounds": False, "card_settle_s": 2.0}
    )
    with open_services(settings, simulator=tenant, journal_path=tmp_path / "j.sqlite3") as s:
        window = MainWindow(s, clock=clock)
        qtbot.add_widget(window)
        window.show()
        (record,) = lettered(tenant, 1)
        plan_tag(window)
        show(qtbot, window, record)
        shown_at = clock.now
        clock.now = shown_at + 1.5  # past the default 0.8 s, short of the admin's 2 s
        with qtbot.assert_not_emitted(window.apply_finished):
            enter(window.scan_input)
        assert "The card just changed" in window.banner.text()
        clock.now = shown_at + 2.0
        with qtbot.wait_signal(window.apply_finished, timeout=WAIT_MS):
            enter(window.scan_input)
        window.close()
    assert tenant.applied_updates(record["id"]) == 1


# ---- the words --------------------------------------------------------------------------------
def test_every_flow_message_has_a_translatable_text(window: MainWindow) -> None:
    """One literal tr() per key of the core's messages, reading the same in English."""
    texts = window._message_texts()
    assert set(texts) == set(MESSAGES)
    for key, english in MESSAGES.items():
        assert texts[key] == english, key
