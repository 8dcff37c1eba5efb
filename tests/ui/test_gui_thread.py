"""No SQLite on the GUI thread (docs/architecture.md): the window, its status bar and the
history dialog read and write the journal on the pool only.

The guard is ``tests/ui/conftest.py``'s autouse ``_no_sqlite_on_the_gui_thread``: it fails every
UI test during which code of ``scanner_app.ui`` ran a statement on the GUI thread. These tests
check the guard itself (it sees such a statement, and only such), then drive a whole bench round
with the guard on: scan, apply, the history dialog from the menu, an undo and an export.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from scanner_app.core.services import Services
from scanner_app.ui.history_dialog import HistoryDialog
from scanner_app.ui.main_window import MainWindow
from scanner_app.ui.workers import TaskRunner, Worker
from tests.ui.conftest import BenchClock, GuiThreadSqlite
from tests.ui.test_history_dialog import answer_undo
from tests.ui.test_main_window import WAIT_MS, type_scan, unique_device
from tests.ui.test_operator_details import while_modal

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_guard_sees_ui_code_reading_the_journal_on_the_gui_thread(
    qtbot: Any, _no_sqlite_on_the_gui_thread: GuiThreadSqlite, services: Services
) -> None:
    guard = _no_sqlite_on_the_gui_thread
    services.journal.entries()  # the test's own read: not UI code, not counted
    assert guard.hits == []

    tasks, read = TaskRunner(), list[object]()
    tasks.submit(services.journal.entries, on_result=read.append)  # on the pool: allowed
    qtbot.waitUntil(lambda: read == [[]], timeout=WAIT_MS)
    assert tasks.shutdown()
    assert guard.hits == [] and guard.elsewhere > 0

    Worker(services.journal.entries).run()  # a UI worker's body run on the GUI thread itself
    assert len(guard.hits) == 1 and "scanner_app.ui.workers" in guard.hits[0]
    assert guard.hits[0].startswith("SELECT")
    guard.hits.clear()  # provoked on purpose


def test_a_bench_round_and_the_history_never_touch_sqlite_on_the_gui_thread(
    qtbot: Any,
    _no_sqlite_on_the_gui_thread: GuiThreadSqlite,
    window: MainWindow,
    tenant: Any,
    clock: BenchClock,
    tmp_path: Path,
) -> None:
    guard = _no_sqlite_on_the_gui_thread
    qtbot.waitUntil(lambda: window.status.outbox.text() == "No changes waiting", timeout=WAIT_MS)
    record = unique_device(tenant)
    window.group_tag.setCurrentText("Bench-A")
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        type_scan(qtbot, window, record["serialNumber"])
    clock.advance(1.0)
    with qtbot.wait_signal(window.apply_finished, timeout=WAIT_MS) as done:
        window.press_apply()
    assert done.args[0].verified

    def inside(dialog: QWidget) -> None:
        assert isinstance(dialog, HistoryDialog)
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
        dialog.select_entry(dialog.entries[0].id)
        answer_undo(confirm=True)
        with qtbot.waitSignal(dialog.action_finished, timeout=WAIT_MS):
            dialog.undo_button.click()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=WAIT_MS)
        with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as exported:
            dialog.export_to(tmp_path / "audit.csv")
        assert exported.args == [2]

    assert while_modal(lambda: QTest.keyClick(window, Qt.Key.Key_H, CTRL), inside) == (
        "HistoryDialog"
    )
    assert guard.hits == [] and guard.elsewhere > 0  # (closing the window is checked after)
