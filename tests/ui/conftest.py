"""The window on the simulated tenant, shared by the UI tests."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThread

from scanner_app.core.config import Settings
from scanner_app.core.services import Services, open_services
from scanner_app.ui.main_window import MainWindow


@pytest.fixture
def services(tenant: Any, tmp_path: Path) -> Iterator[Services]:
    """Demo services on the test's own contract-checked tenant and journal (silent: no sounds)."""
    settings = Settings.from_mapping({"demo": True, "group_tags": ["Bench-A"], "sounds": False})
    with open_services(settings, simulator=tenant, journal_path=tmp_path / "j.sqlite3") as s:
        yield s


# ---- no SQLite on the GUI thread (docs/architecture.md: blocking calls never run there) -------
_UI_PACKAGE = "scanner_app.ui"


class GuiThreadSqlite:
    """Records every SQLite statement that code of ``scanner_app.ui`` runs on the GUI thread.

    Installed for every UI test (``_no_sqlite_on_the_gui_thread``): ``sqlite3.connect`` is wrapped
    so each connection opened during the test (the journal, the device cache) reports each
    statement through ``set_trace_callback``, which SQLite calls on the thread running it. A
    statement counts when it runs on the Qt main thread with a frame of ``scanner_app.ui`` on the
    stack: a widget, a slot or a dialog that read or wrote SQLite itself instead of on the pool.
    The test's own setup (``outbox.submit`` in a test body) has no such frame and is not counted.
    ``elsewhere`` counts the statements run on other threads (proof that the trace is on).
    """

    def __init__(self, gui_thread: threading.Thread) -> None:
        self.gui_thread = gui_thread
        self.hits: list[str] = []
        self.elsewhere = 0

    def trace(self, statement: str) -> None:
        if threading.current_thread() is not self.gui_thread:
            self.elsewhere += 1
            return
        frame = sys._getframe(1)
        ui: list[str] = []
        while frame is not None:
            if frame.f_globals.get("__name__", "").startswith(_UI_PACKAGE):
                ui.append(f"{frame.f_globals['__name__']}:{frame.f_lineno} {frame.f_code.co_name}")
            frame = frame.f_back  # type: ignore[assignment]
        if ui:
            self.hits.append(f"{statement.split(None, 1)[0]} … from " + " ← ".join(ui))

    def connect(self, original: Callable[..., sqlite3.Connection]) -> Callable[..., Any]:
        def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn = original(*args, **kwargs)
            conn.set_trace_callback(self.trace)
            return conn

        return connect


@pytest.fixture(autouse=True)
def _no_sqlite_on_the_gui_thread(
    qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[GuiThreadSqlite]:
    """Fails a UI test during which code of ``scanner_app.ui`` ran SQLite on the GUI thread."""
    gui = threading.current_thread()
    assert qapp.thread() == QThread.currentThread(), "the tests run on the Qt main thread"
    guard = GuiThreadSqlite(gui)
    monkeypatch.setattr(sqlite3, "connect", guard.connect(sqlite3.connect))
    yield guard
    assert not guard.hits, "SQLite on the GUI thread:\n" + "\n".join(dict.fromkeys(guard.hits))


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
