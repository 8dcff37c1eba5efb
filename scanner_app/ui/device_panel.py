"""The right-hand side of the main window: what the operator reads and decides on.

Top to bottom: the banner (one sentence, coloured by how things stand), the device card, the list
to pick from when several devices match, and the change panel (group tag, user, Apply/Skip).
It shows what it is told; the main window decides what happens next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from scanner_app.core.config import Settings
from scanner_app.core.models import AutopilotDevice, ScanTarget
from scanner_app.ui.change_panel import ChangePanel
from scanner_app.ui.device_card import DeviceCard, MatchList

# Banner colours per kind: text on background at 7.4–8.4 : 1 contrast (WCAG AAA).
BANNER_STYLE = {
    "info": "",
    "busy": "background:#fff4ce; color:#5c4400;",
    "ok": "background:#dff6dd; color:#0b5a0b;",
    "error": "background:#fde7e9; color:#8a1620;",
}


class DevicePanel(QWidget):
    """Banner, device card, match list and change panel. Emits nothing itself: its parts do
    (``matches.device_picked``, ``change.apply_requested`` / ``skip_requested`` /
    ``plan_changed``)."""

    def __init__(
        self,
        settings: Settings,
        search_users: Callable[[str, Any], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setMargin(10)
        font = self.banner.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.banner.setFont(font)
        self.card = DeviceCard()
        self.matches = MatchList()
        self.change = ChangePanel(settings, search_users)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.card)
        layout.addWidget(self.matches)
        layout.addWidget(self.change)
        layout.addStretch(1)

    def set_banner(self, kind: str, text: str) -> None:
        """``kind``: info, busy, ok or error."""
        self.banner.setText(text)
        self.banner.setStyleSheet(BANNER_STYLE[kind])

    def show_several(self, target: ScanTarget, devices: list[AutopilotDevice]) -> None:
        """Several devices share the serial: list them, first one selected, nothing armed."""
        self.change.apply_button.setEnabled(False)
        self.card.show_message(target.value, self.tr("Several devices match this serial."))
        self.matches.set_devices(devices)
        self.matches.show()
        self.matches.setCurrentRow(0)
        self.matches.setFocus()
        self.set_banner(
            "error",
            self.tr(
                "%1 devices match %2: pick one (arrows, Enter). Nothing is applied until you do."
            )
            .replace("%1", str(len(devices)))
            .replace("%2", target.value),
        )

    def show_not_found(self, target: ScanTarget) -> None:
        self.card.show_message(target.value, self.tr("Not registered in Windows Autopilot."))
        self.set_banner(
            "error", self.tr("No Autopilot device found for %1.").replace("%1", target.describe())
        )

    def show_two_labels(self, names: str) -> None:
        """Two codes in view: neither device stays armed for Enter."""
        self.change.apply_button.setEnabled(False)
        self.matches.hide()
        self.card.show_message(self.tr("Two labels"), names)
        self.set_banner(
            "error",
            self.tr("Two codes in view (%1). Show one label at a time.").replace("%1", names),
        )

    def clear(self) -> None:
        """Back to waiting for a label: no card, no list, nothing armed."""
        self.matches.hide()
        self.change.apply_button.setEnabled(False)
        self.card.clear()
