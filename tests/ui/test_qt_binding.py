"""Guards against a Qt binding that corrupts the interpreter (seen with PySide6 6.12.0 on
Python 3.11: every void call dropped a reference to None, and the app crashed in seconds).

From Python 3.12 on None is immortal (PEP 683): its reference count never changes, so such a
binding does no harm there and nothing can be measured; the tests say so and skip. On 3.10 and
3.11, where the bench PCs' Python may be, the count is real, and the second test shows that the
measurement sees a leak of the size the bad binding caused.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit

CALLS = 500  # each round makes three void calls: a bad binding loses ~1500 references
pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: nothing to measure"
)


def none_references_lost(qtbot: Any, also: Callable[[], None] = lambda: None) -> int:
    """How many references to None ``CALLS`` rounds of void Qt calls (and ``also``) lose."""
    edit = QLineEdit()
    qtbot.add_widget(edit)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        edit.setText("x")
        edit.update()
        QCoreApplication.processEvents()
        also()
    return before - sys.getrefcount(None)


def test_void_calls_keep_none_alive(qtbot: Any) -> None:
    # Other threads may hold a few references at any moment; a leak would be ~1500.
    assert none_references_lost(qtbot) < 50


def test_the_measurement_sees_a_binding_that_drops_references(qtbot: Any) -> None:
    """A stand-in for the bad binding: one reference to None dropped per round (and given back
    at once after: None keeps thousands, so nothing is freed)."""
    none = ctypes.py_object(None)
    try:
        lost = none_references_lost(qtbot, also=lambda: ctypes.pythonapi.Py_DecRef(none))
    finally:
        for _ in range(CALLS):
            ctypes.pythonapi.Py_IncRef(none)
    assert lost >= CALLS - 50
