"""The two pieces of thread plumbing the camera's loops run on.

``Mailbox`` is the latest-frame-only hand-off between the capture loop and the decode loop: one
slot, so the decoder never works through a backlog. ``LoopThread`` runs a loop body on its own
QThread. Neither knows anything about cameras or decoding, which is why they live apart from
``camera_thread``: the loops there read as policy, not as locking.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QThread


class Mailbox:
    """One slot: ``put`` replaces, ``take`` waits for something newer than what it took.

    ``replaced`` counts the items overwritten before anyone took them (dropped frames).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: tuple[int, np.ndarray] | None = None
        self.replaced = 0

    def put(self, index: int, frame: np.ndarray) -> None:
        with self._cond:
            if self._item is not None:
                self.replaced += 1
            self._item = (index, frame)
            self._cond.notify()

    def take(self, timeout: float) -> tuple[int, np.ndarray] | None:
        with self._cond:
            if self._item is None:
                self._cond.wait(timeout)
            item, self._item = self._item, None
            return item

    def wake(self) -> None:
        """Release a waiting ``take`` early (used when stopping)."""
        with self._cond:
            self._cond.notify_all()


class LoopThread(QThread):
    """A worker loop at the default priority. (Lowering it was measured to make things worse:
    a low-priority thread preempted while holding the GIL stalls the GUI thread longer.)"""

    def __init__(self, body: Callable[[], None], name: str) -> None:
        super().__init__()
        self._body = body
        self.setObjectName(name)

    def run(self) -> None:
        threading.current_thread().name = self.objectName()  # names the log lines
        self._body()


__all__ = ["LoopThread", "Mailbox"]
