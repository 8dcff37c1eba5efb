"""The status bar: sign-in, camera, Graph health and the outbox, always visible.

Each field says how things stand in a word or two an operator takes in at a glance ("No camera",
"Second decoder off"); the full sentence (a device path, how to install a library) is the field's
tooltip, and ``scanner-app doctor`` prints it too. Long text here would be cut mid-word.

The count of waiting changes is read from the journal on the task pool, never on the GUI thread
(a write's fsync on another thread holds SQLite's lock); the outbox runner's reports write the
same field, and a count asked for before a newer report arrived is dropped.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLabel, QStatusBar

from scanner_app.core.services import Services
from scanner_app.ui.workers import TaskRunner

_DOT = {
    "ok": "#107c10",
    "live": "#107c10",
    "busy": "#c19c00",
    "starting": "#c19c00",
    "reconnecting": "#c19c00",
    "error": "#c50f1f",
    "failed": "#c50f1f",
    "off": "#8a8886",
    "stopped": "#8a8886",
    "paused": "#8a8886",
}
# Longer messages are replaced by a word for their state (the tooltip keeps them whole); Graph's
# may be a little longer ("unreachable, next try in 12 s").
MAX_FIELD_CHARS = 24
MAX_GRAPH_CHARS = 32


def _dot(state: str) -> str:
    return f"<span style='color:{_DOT.get(state, '#8a8886')}'>●</span>"


class _Field(QLabel):
    """A label that counts what is written to it, so a slow read never covers a newer text."""

    writes = 0

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        self.writes += 1
        super().setText(text)


class StatusBar(QStatusBar):
    """Permanent fields: who is signed in, the camera, a missing decoder (only then), Graph and
    pending changes.

    ``tasks`` runs the journal read behind the outbox field (the window passes its own pool,
    which it shuts down on close); without one the bar has a pool of its own."""

    def __init__(self, services: Services, tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self.services = services
        self.tasks = tasks if tasks is not None else TaskRunner(self, max_threads=1)
        self.sign_in = QLabel()
        self.camera = QLabel()
        self.graph = QLabel()
        self.outbox = _Field()
        self.decoder = QLabel()
        self.decoder.setObjectName("decoderStatus")
        self.decoder.hide()
        for label in (self.sign_in, self.camera, self.decoder, self.graph, self.outbox):
            self.addPermanentWidget(label)
        who = services.operator or self.tr("not signed in")
        where = self.tr("demo tenant") if services.settings.demo else services.tenant_name
        self.sign_in.setText(f"{_dot('ok' if services.operator else 'off')} {who} · {where}")
        self.set_camera("off", self.tr("Camera off"))
        self.set_graph("ok", self.tr("Graph"))
        self.refresh_outbox()

    def set_camera(self, state: str, message: str) -> None:
        """``state`` as the camera thread reports it; ``message`` goes whole into the tooltip."""
        words = {
            "starting": self.tr("Camera starting…"),
            "live": self.tr("Camera on"),
            "paused": self.tr("Camera paused"),
            "reconnecting": self.tr("Camera reconnecting…"),
            "failed": self.tr("No camera"),
            "ended": self.tr("Video ended"),
            "stopped": self.tr("Camera off"),
            "off": self.tr("No camera"),
        }
        fits = bool(message) and len(message) <= MAX_FIELD_CHARS
        short = message if fits and state not in {"failed", "reconnecting"} else ""
        fallback = self.tr("Camera")
        self.camera.setText(f"{_dot(state)} {short or words.get(state, fallback)}")
        tip = message
        if state == "failed":
            tip += "\n" + self.tr("Details: run “scanner-app doctor”.")
        self.camera.setToolTip(tip.strip())

    def set_graph(self, state: str, message: str) -> None:
        if state == "ok":
            text = message
        elif len(message) <= MAX_GRAPH_CHARS:
            text = self.tr("Graph: %1").replace("%1", message)
        else:
            text = self.tr("Graph: not available")
        self.graph.setText(f"{_dot(state)} {text}")
        self.graph.setToolTip(message)

    def set_missing_engines(self, reasons: list[str]) -> None:
        """Decoder engines that cannot run here (zbar's library missing): a short word, with
        the reasons and how to fix them in the tooltip. Nothing shown when none is missing."""
        self.decoder.setVisible(bool(reasons))
        words = self.tr("Second decoder off")  # (lupdate reads no call inside an f-string)
        self.decoder.setText(f"{_dot('busy')} {words}")
        tip = "\n\n".join([*reasons, self.tr("Details: run “scanner-app doctor”.")])
        self.decoder.setToolTip(tip if reasons else "")

    def refresh_outbox(self) -> None:
        """Count the waiting changes on the pool; the field shows the count when it arrives,
        unless the outbox runner reported in the meantime (its report is newer)."""
        asked = self.outbox.writes
        self.tasks.submit(self._pending, on_result=lambda count: self._show_pending(asked, count))

    def _show_pending(self, asked: int, count: int) -> None:
        if not shiboken6.isValid(self.outbox) or self.outbox.writes != asked:  # gone, or newer text
            return
        self.outbox.setText(
            self.tr("%1 change(s) waiting").replace("%1", str(count))
            if count
            else self.tr("No changes waiting")
        )

    def _pending(self) -> int:
        """The number of changes waiting (a journal read: on the pool). Never raises."""
        getter = getattr(self.services.outbox, "pending_count", None)
        try:
            return int(getter()) if getter else 0
        except Exception:  # the status bar must never take the window down
            return 0
