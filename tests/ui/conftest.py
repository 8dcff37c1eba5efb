"""The window on the simulated tenant, shared by the UI tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.core.config import Settings
from scanner_app.core.services import Services, open_services
from scanner_app.ui.main_window import MainWindow


@pytest.fixture
def services(tenant: Any, tmp_path: Path) -> Iterator[Services]:
    """Demo services on the test's own contract-checked tenant and journal (silent: no sounds)."""
    settings = Settings.from_mapping({"demo": True, "group_tags": ["Bench-A"], "sounds": False})
    with open_services(settings, simulator=tenant, journal_path=tmp_path / "j.sqlite3") as s:
        yield s


class BenchClock:
    """The window's clock (seconds), moved on by the test: the card-change guard (R1) and the
    keyboard-wedge filter measure time on it, so no test waits for real seconds."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> BenchClock:
    return BenchClock()


@pytest.fixture
def window(qtbot: Any, services: Services, clock: BenchClock) -> Iterator[MainWindow]:
    win = MainWindow(services, clock=clock)
    qtbot.add_widget(win)
    win.show()
    qtbot.wait_exposed(win)
    yield win
    win.close()
