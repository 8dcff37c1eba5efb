"""The status bar: sign-in, camera, Graph health and the outbox, always visible."""

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
}


def _dot(state: str) -> str:
    return f"<span style='color:{_DOT.get(state, '#8a8886')}'>●</span>"


class StatusBar(QStatusBar):
    """Four permanent fields: who is signed in, the camera, Graph and pending changes."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.sign_in = QLabel()
        self.camera = QLabel()
        self.graph = QLabel()
        self.outbox = QLabel()
        for label in (self.sign_in, self.camera, self.graph, self.outbox):
            self.addPermanentWidget(label)
        who = services.operator or self.tr("not signed in")
        where = self.tr("demo tenant") if services.settings.demo else services.tenant_name
        self.sign_in.setText(f"{_dot('ok' if services.operator else 'off')} {who} · {where}")
        self.set_camera("off", self.tr("Camera off"))
        self.set_graph("ok", self.tr("Graph"))
        self.refresh_outbox()

    def set_camera(self, state: str, message: str) -> None:
        self.camera.setText(f"{_dot(state)} {message or state}")
        self.camera.setToolTip(message)

    def set_graph(self, state: str, message: str) -> None:
        self.graph.setText(f"{_dot(state)} {message if state == 'ok' else 'Graph: ' + message}")

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
