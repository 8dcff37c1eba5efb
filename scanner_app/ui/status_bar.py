"""The status bar: sign-in, camera, Graph health and the outbox, always visible.

Each field says how things stand in a word or two an operator takes in at a glance ("No camera",
"Second decoder off"); the full sentence (a device path, how to install a library) is the field's
tooltip, and ``scanner-app doctor`` prints it too. Long text here would be cut mid-word.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from scanner_app.core.services import Services

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


class StatusBar(QStatusBar):
    """Permanent fields: who is signed in, the camera, a missing decoder (only then), Graph and
    pending changes."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.sign_in = QLabel()
        self.camera = QLabel()
        self.graph = QLabel()
        self.outbox = QLabel()
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
        count = self._pending()
        self.outbox.setText(
            self.tr("%1 change(s) waiting").replace("%1", str(count))
            if count
            else self.tr("No changes waiting")
        )

    def _pending(self) -> int:
        getter = getattr(self.services.outbox, "pending_count", None)
        try:
            return int(getter()) if getter else 0
        except Exception:  # the status bar must never take the window down
            return 0
