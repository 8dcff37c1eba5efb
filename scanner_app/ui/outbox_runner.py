"""The outbox's background loop on its own thread, reporting to the GUI by a queued signal.

Offline mode needs something that keeps trying while the operator goes on scanning: changes
queued while Graph was away must land when it comes back, without anybody pressing a button.
``Outbox.run_forever`` is that loop; ``OutboxRunner`` runs it on a plain Python thread (it
blocks on HTTP and SQLite, never on Qt) and re-emits each status as ``status_changed`` on the
GUI thread (the receiver lives there, so Qt queues the call). ``stop()`` is cooperative: it sets
the loop's stop event and joins; nothing is ever terminated. The journal makes abandoning a
stuck HTTP call at exit safe, so the thread is a daemon as a last resort only. How long the loop
idles and backs off is the outbox's ``RetryPolicy`` (``idle``, ``offline``); the runner holds
no number of its own.

``apply_outbox_status`` shows a status in the window's status bar.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

from scanner_app.core.graph.errors import GraphUnreachable
from scanner_app.core.outbox import OutboxStatus

log = logging.getLogger(__name__)


class _Outbox(Protocol):
    def status(self) -> OutboxStatus: ...
    def run_forever(
        self, stop: threading.Event, *, on_status: Callable[[OutboxStatus], None] | None = ...
    ) -> None: ...


class OutboxRunner(QObject):
    """Starts/stops ``outbox.run_forever``; ``status_changed(OutboxStatus)`` on the GUI thread."""

    status_changed = Signal(object)

    def __init__(self, outbox: _Outbox, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self.latest: OutboxStatus | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.status_changed.connect(self._remember)

    def start(self) -> None:
        """Start the loop (once); its thread first emits the current status, from the journal
        (never read on the GUI thread)."""
        if self.is_running():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the loop to end and wait for it; True when the thread has ended."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("the outbox loop did not end within %.0f s (a Graph call hangs)", timeout)
            return False
        return True

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            self._report(self.outbox.status())
        except Exception:  # a status read failing must not keep the loop from starting
            log.exception("could not read the outbox status")
        try:
            self.outbox.run_forever(self._stop, on_status=self._report)
        except Exception:  # logged; the journal keeps the work for the next start
            log.exception("the outbox loop stopped on an error")

    def _report(self, status: OutboxStatus) -> None:
        if not self._stop.is_set():
            self.status_changed.emit(status)  # queued to the GUI thread (the receiver's)

    def _remember(self, status: OutboxStatus) -> None:
        self.latest = status


# Literal ``translate("OutboxStatus", "…")`` calls: lupdate extracts only literals.
translate = QCoreApplication.translate


def describe(status: OutboxStatus) -> tuple[str, str]:
    """(outbox text, Graph text) for the status bar, e.g. ("10 changes waiting",
    "unreachable, next try in 5 s")."""
    if status.waiting == 1:
        waiting = translate("OutboxStatus", "1 change waiting")
    elif status.waiting:
        waiting = translate("OutboxStatus", "%1 changes waiting").replace("%1", str(status.waiting))
    else:
        waiting = translate("OutboxStatus", "No changes waiting")
    if status.conflicts:
        waiting += " · " + translate("OutboxStatus", "%1 to decide").replace(
            "%1", str(status.conflicts)
        )
    if status.online:
        return waiting, translate("OutboxStatus", "Graph")
    if status.message.startswith(GraphUnreachable.human_prefix):
        graph = translate("OutboxStatus", "unreachable")
    else:
        graph = translate("OutboxStatus", "not available")
    if status.retry_in >= 1:
        graph += ", " + translate("OutboxStatus", "next try in %1 s").replace(
            "%1", f"{status.retry_in:.0f}"
        )
    return waiting, graph


def apply_outbox_status(status_bar: Any, status: OutboxStatus) -> None:
    """Show ``status`` in the StatusBar: its ``outbox`` label and Graph's health."""
    waiting, graph = describe(status)
    status_bar.outbox.setText(waiting)
    status_bar.outbox.setToolTip(status.message)
    status_bar.set_graph("ok" if status.online else "error", graph)
    status_bar.graph.setToolTip(status.message)
