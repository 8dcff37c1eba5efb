"""The card's Profile row tells the truth: it fills in after the card appears (the look-up is
not held up for it) and, after a new group tag, moves from pending to assigned on screen."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from scanner_app.core.config import Settings
from scanner_app.core.models import ProfileState
from scanner_app.core.services import Services, open_services
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.ui.i18n import install_translator
from scanner_app.ui.main_window import MainWindow
from scanner_app.ui.profile_row import profile_words
from tests.conftest import CONTRACT
from tests.core.graph.conftest import FakeClock
from tests.ui.conftest import BenchClock
from tests.ui.helpers import unique_devices

WAIT_MS = 15_000
LOOKUP = "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities"
BETA = "/beta/deviceManagement/windowsAutopilotDeviceIdentities"


def scan(window: MainWindow, text: str) -> None:
    window.scan_input.setFocus()
    QTest.keyClicks(window.scan_input, text)
    QTest.keyClick(window.scan_input, Qt.Key.Key_Return)


def tagged(tenant: Any, tag: str) -> dict[str, Any]:
    return next(d for d in unique_devices(tenant) if d["groupTag"] == tag)


class RowRecorder(QObject):
    """Lives on the GUI thread, so readings reach it queued, right after the card has them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.seen: list[str] = []
        window.device_shown.connect(self.record)
        window.profile_watch.state_read.connect(self.record)

    @Slot(object)
    def record(self, _value: object) -> None:
        self.seen.append(self.window.card.text_of("profile"))


def rows_over_time(window: MainWindow) -> list[str]:
    """The Profile row's text when the card appears and after every profile reading."""
    return RowRecorder(window).seen


def test_the_row_fills_in_after_the_card_appears(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    record = tagged(tenant, "Kiosk")
    seen = rows_over_time(window)
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        scan(window, record["serialNumber"])
    assert seen == ["checking…"]  # the card did not wait for the profile
    qtbot.wait_until(lambda: window.card.text_of("profile") == "Kiosk — assigned", timeout=WAIT_MS)
    lookups = [r for r in tenant.requests if r.path == LOOKUP and "$filter" in r.query]
    on_beta = [r for r in tenant.requests if r.path.startswith(BETA)]
    assert len(lookups) == 1  # the look-up stays one request
    assert [r.path for r in on_beta] == [f"{BETA}/{record['id']}"]
    assert tenant.requests.index(on_beta[0]) > tenant.requests.index(lookups[0])


def test_a_refusing_beta_reads_unavailable_and_the_card_still_works(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    tenant.faults.error(403, count=None, path=f"{BETA}*")
    record = tagged(tenant, "Kiosk")
    window.group_tag.setCurrentText("Sales")  # something to apply
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        scan(window, record["serialNumber"])
    qtbot.wait_until(lambda: window.card.text_of("profile") == "unavailable", timeout=WAIT_MS)
    assert window.card.text_of("group_tag").startswith("Kiosk")
    assert window.apply_button.isEnabled()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed_window(
    qtbot: Any, clock: FakeClock, bench_clock: BenchClock, tmp_path: Path
) -> Iterator[MainWindow]:
    """A window whose tenant and profile follow share a clock the follow itself moves: each
    pause between readings advances it instead of waiting."""
    tenant = SimulatedTenant(validate_contract=True, contract_path=CONTRACT, clock=clock)
    tenant.start()
    settings = Settings.from_mapping({"demo": True, "sounds": False})
    services: Services = open_services(
        settings, simulator=tenant, journal_path=tmp_path / "j.sqlite3"
    )
    win = MainWindow(services, clock=bench_clock)
    qtbot.add_widget(win)
    win.profile_watch.clock = clock

    def pause(stop: threading.Event, seconds: float) -> bool:
        clock.advance(seconds)
        return stop.is_set()

    win.profile_watch.pause = pause
    win.show()
    qtbot.wait_exposed(win)
    try:
        yield win
    finally:
        win.close()
        services.close()
        tenant.stop()
        assert not tenant.contract_violations, tenant.contract_violations


@pytest.fixture
def bench_clock() -> BenchClock:
    """The window's own clock (R1), apart from the tenant's: the follow's pauses move that one."""
    return BenchClock()


def test_after_a_new_tag_the_row_moves_from_pending_to_assigned(
    qtbot: Any, timed_window: MainWindow, bench_clock: BenchClock
) -> None:
    window = timed_window
    tenant = window.services.simulator
    record = tagged(tenant, "Kiosk")
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        scan(window, record["serialNumber"])
    qtbot.wait_until(lambda: window.card.text_of("profile") == "Kiosk — assigned", timeout=WAIT_MS)
    seen = rows_over_time(window)
    window.group_tag.setFocus()
    line = window.group_tag.lineEdit()
    line.selectAll()
    QTest.keyClicks(line, "Sales")
    qtbot.wait_until(lambda: "Sales" in window.card.text_of("group_tag"), timeout=WAIT_MS)
    bench_clock.advance(1.0)  # the card has been looked at (R1)
    with qtbot.wait_signal(window.apply_finished, timeout=WAIT_MS) as done:
        QTest.keyClick(line, Qt.Key.Key_Return)
    assert done.args[0].verified, done.args[0].message
    qtbot.wait_until(
        lambda: window.card.text_of("profile") == "Staff laptop — assigned", timeout=WAIT_MS
    )
    assert seen[0] == "Staff laptop — pending"  # in front of the operator, then assigned
    assert seen[-1] == "Staff laptop — assigned"
    assert set(seen) == {"Staff laptop — pending", "Staff laptop — assigned"}


def test_a_reading_for_another_device_never_lands_on_the_card(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    record = tagged(tenant, "Kiosk")
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        scan(window, record["serialNumber"])
    qtbot.wait_until(lambda: window.card.text_of("profile") == "Kiosk — assigned", timeout=WAIT_MS)
    window.card.show_profile(ProfileState("someone-else", status="notAssigned"))
    assert window.card.text_of("profile") == "Kiosk — assigned"


def test_the_row_speaks_german(qapp: QApplication) -> None:
    assert install_translator(qapp, "de") == "de"
    try:
        assert profile_words(ProfileState("d", status="assignedInSync")) == "zugewiesen"
        assert profile_words(ProfileState("d", status="pending")) == "wird zugewiesen"
        assert profile_words(ProfileState.unavailable("d", "403")) == "nicht verfügbar"
    finally:
        install_translator(qapp, "en")
