"""One-shot blocking calls (Graph, SQLite) as QThreadPool workers that report back by signal.

Only the GUI thread touches widgets: a worker runs ``fn`` on a pool thread and emits
``result`` or ``error``, then ``finished``; the slots connected to them run on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    """Signals: ``result(object)``, ``error(object)`` (the exception), ``finished()``."""

    result = Signal(object)
    error = Signal(object)
    finished = Signal()


class Worker(QRunnable):
    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = WorkerSignals()

    def run(self) -> None:
        try:
            value = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # reported to the GUI, which decides what the operator sees
            log.debug("worker %s failed: %r", getattr(self.fn, "__name__", self.fn), exc)
            self.signals.error.emit(exc)
        else:
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()


class TaskRunner(QObject):
    """Runs callables on its own thread pool and keeps their signal objects alive until done.
    After ``shutdown`` no answer is delivered: the widgets that asked may be gone by then."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._alive: set[WorkerSignals] = set()
        self._stopped = False

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> Worker:
        worker = Worker(fn, *args, **kwargs)
        signals = worker.signals
        self._alive.add(signals)
        if on_result is not None:
            signals.result.connect(self._unless_stopped(on_result))
        if on_error is not None:
            signals.error.connect(self._unless_stopped(on_error))
        signals.finished.connect(lambda: self._alive.discard(signals))
        self.pool.start(worker)
        return worker

    def busy(self) -> bool:
        return self.pool.activeThreadCount() > 0

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        self._stopped = True
        self.pool.clear()
        return self.pool.waitForDone(timeout_ms)

    def _unless_stopped(self, slot: Callable[[Any], None]) -> Callable[[Any], None]:
        def deliver(value: Any) -> None:
            if not self._stopped:
                slot(value)

        return deliver
