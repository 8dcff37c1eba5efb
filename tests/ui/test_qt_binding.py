"""Guards against a Qt binding that corrupts the interpreter (seen with PySide6 6.12.0 on
Python 3.11: every void call dropped a reference to None, and the app crashed in seconds)."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit


def test_void_calls_keep_none_alive(qtbot: Any) -> None:
    edit = QLineEdit()
    qtbot.add_widget(edit)
    before = sys.getrefcount(None)
    for _ in range(500):
        edit.setText("x")
        edit.update()
        QCoreApplication.processEvents()
    # Other threads may hold a few references at any moment; a leak would be ~ -1500.
    assert sys.getrefcount(None) - before > -50
