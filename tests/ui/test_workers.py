"""The pool that runs Graph and SQLite calls for the window: answers reach the GUI thread, and
none arrives after shutdown (the widgets that asked may be gone by then)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QCoreApplication

from scanner_app.ui.workers import TaskRunner


def test_an_answer_reaches_the_gui_thread(qtbot: Any) -> None:
    runner = TaskRunner()
    got: list[object] = []
    runner.submit(lambda: 42, on_result=got.append)
    qtbot.waitUntil(lambda: got == [42])
    runner.shutdown()


def test_no_answer_or_error_is_delivered_after_shutdown(qtbot: Any) -> None:
    runner = TaskRunner()
    got: list[object] = []
    gate = threading.Event()

    def fails() -> None:
        gate.wait()
        raise RuntimeError("Graph said no")

    runner.submit(gate.wait, on_result=got.append)
    runner.submit(fails, on_error=got.append)
    gate.set()
    assert runner.shutdown()  # both finished; their answers are queued for the GUI thread
    for _ in range(5):
        QCoreApplication.processEvents()
    assert got == []
