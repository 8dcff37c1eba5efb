"""The right-hand side of the main window: what the operator reads and decides on.

Top to bottom: the banner (one sentence, coloured by how things stand), the device card, the list
to pick from when several devices match, the change panel (group tag, user, Apply/Skip) and,
under Apply, why it is off when it is (so the banner and Apply never disagree silently).
It shows what it is told; the main window renders the bench flow's snapshots into it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from scanner_app.core.config import Settings
from scanner_app.ui.change_panel import ChangePanel
from scanner_app.ui.device_card import DeviceCard, MatchList
from scanner_app.ui.scroll_column import ScrollColumn

# Banner colours per kind: text on background at 7.4–8.4 : 1 contrast (WCAG AAA).
BANNER_STYLE = {
    "info": "",
    "busy": "background:#fff4ce; color:#5c4400;",
    "ok": "background:#dff6dd; color:#0b5a0b;",
    "error": "background:#fde7e9; color:#8a1620;",
}


class DevicePanel(QWidget):
    """Banner, device card, match list, change panel and the Apply hint. Emits nothing itself:
    its parts do (``matches.currentRowChanged`` / ``itemActivated``,
    ``change.apply_requested`` / ``skip_requested``, the fields' edits)."""

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
        # Under the banner the rest scrolls when the window is small (800x600), so the card's
        # rows never squeeze into each other and the change stays whole.
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        self.apply_hint = QLabel()
        self.apply_hint.setObjectName("applyHint")
        self.apply_hint.setWordWrap(True)
        self.apply_hint.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.apply_hint.hide()
        for part in (self.card, self.matches, self.change, self.apply_hint):
            column.addWidget(part)
        column.addStretch(1)
        self.scroller = ScrollColumn(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroller, 1)

    def set_banner(self, kind: str, text: str) -> None:
        """``kind``: info, busy, ok or error (also the banner's ``kind`` property)."""
        self.banner.setText(text)
        self.banner.setStyleSheet(BANNER_STYLE[kind])
        self.banner.setProperty("kind", kind)

    @property
    def banner_kind(self) -> str:
        return str(self.banner.property("kind") or "info")

    def set_apply_hint(self, text: str) -> None:
        """Why Apply is off ("" hides the line)."""
        self.apply_hint.setText(text)
        self.apply_hint.setVisible(bool(text))
