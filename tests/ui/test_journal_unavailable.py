"""The window when no change can be recorded (issue 16): look-ups go on, Apply is refused and the
banner says why, naming the journal file; nothing reaches Intune."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scanner_app.core.config import Settings
from scanner_app.core.services import Services, open_services
from scanner_app.ui.main_window import MainWindow
from tests.ui.conftest import BenchClock
from tests.ui.helpers import unique_devices

WAIT_MS = 15_000


@pytest.fixture
def no_journal(tenant: Any, tmp_path: Path) -> Iterator[tuple[Services, Path]]:
    path = tmp_path / "j.sqlite3"
    path.mkdir()  # a folder where the journal should be
    settings = Settings.from_mapping({"demo": True, "group_tags": ["Bench-A"], "sounds": False})
    with open_services(settings, simulator=tenant, journal_path=path) as services:
        yield services, path


def test_apply_is_refused_with_the_reason_while_look_ups_go_on(
    qtbot: Any, tenant: Any, no_journal: tuple[Services, Path]
) -> None:
    services, path = no_journal
    clock = BenchClock()
    window = MainWindow(services, clock=clock)
    qtbot.add_widget(window)
    window.show()
    record = unique_devices(tenant, max_len=12)[0]
    window.group_tag.setCurrentText("Never-Sent")
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        window.scan_text(record["serialNumber"])
    clock.advance(2.0)  # the card has settled: only the journal holds Apply back
    said = (
        f"Not applied to {record['serialNumber']}: changes cannot be recorded. The change "
        f"journal {path} is a folder, not a file: move that folder away, then start again."
    )
    assert window.banner.text() == said
    assert not window.apply_button.isEnabled()
    with qtbot.assert_not_emitted(window.apply_finished):
        window.scan_input.setFocus()
        QTest.keyClick(window.scan_input, Qt.Key.Key_Return)
    assert window.banner.text() == said and window.state == "found"
    assert tenant.applied_updates(record["id"]) == 0
    window.close()
