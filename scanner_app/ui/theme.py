"""Look: dark mode that follows the OS, sharp on high-DPI screens, and a big-text bench layout.

Qt 6.5+ reports the OS colour scheme (``QStyleHints.colorScheme()``) and tells when it changes.
The native styles on Windows do not all draw a dark palette well, so dark mode uses the Fusion
style with a dark palette; light mode keeps the platform's own style. The bench layout scales
every font by 1.6, for a screen read across the room while both hands hold a laptop: the
application's font and the fonts widgets set for themselves (the banner, the card's heading),
which would otherwise keep their size.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

BENCH_SCALE = 1.6
MODES = ("auto", "light", "dark")


def configure_high_dpi() -> None:
    """Call before the QApplication exists: exact (fractional) scaling, so 150 % screens get
    crisp 1.5x drawing instead of 2x rounded down to 1x."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for the state colours and disabled text."""
    p = QPalette()
    window, base, text = QColor("#202124"), QColor("#17181a"), QColor("#e8eaed")
    disabled = QColor("#7f8389")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#26282b"),
        QPalette.ColorRole.ToolTipBase: QColor("#303134"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: disabled,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2d2f31"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Highlight: QColor("#3b82f6"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"),
        QPalette.ColorRole.Mid: QColor("#3c4043"),
        QPalette.ColorRole.Dark: QColor("#111214"),
        QPalette.ColorRole.Light: QColor("#4a4d51"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


class Theme(QObject):
    """Applies light/dark and the bench layout to the application.

    Signals: ``dark_changed(bool)`` when the palette switches (the OS changed its scheme in
    ``auto`` mode, or :meth:`set_mode` was called); ``bench_changed(bool)``.
    """

    dark_changed = Signal(bool)
    bench_changed = Signal(bool)

    def __init__(self, app: QApplication, mode: str = "auto", parent: QObject | None = None):
        super().__init__(parent or app)
        self.app = app
        self.mode = "auto"
        self.dark = False
        self.bench = False
        self._factor = 1.0  # the scale in force, so toggling twice never compounds
        self._light_style = app.style().name()
        self._light_palette = QPalette(app.palette())
        self._base_font = QFont(app.font())
        app.styleHints().colorSchemeChanged.connect(self._os_scheme_changed)
        self.set_mode(mode)

    def os_prefers_dark(self) -> bool:
        return bool(self.app.styleHints().colorScheme() == Qt.ColorScheme.Dark)

    def set_mode(self, mode: str) -> None:
        """``auto`` follows the OS; ``light`` and ``dark`` force one."""
        if mode not in MODES:
            raise ValueError(f"theme mode must be one of {', '.join(MODES)} (got {mode!r})")
        self.mode = mode
        self._apply(self.os_prefers_dark() if mode == "auto" else mode == "dark")

    def set_bench_layout(self, enabled: bool, scale: float = BENCH_SCALE) -> None:
        """Scale every font by ``scale`` (or back to the normal size)."""
        factor = scale if enabled else 1.0
        self.app.setFont(_scaled(self._base_font, factor))
        ratio, self._factor = factor / self._factor, factor
        if abs(ratio - 1.0) > 1e-6:
            for widget in self.app.allWidgets():  # fonts set on a widget ignore the app's
                if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                    _scale_widget_font(widget, ratio)
        changed = enabled != self.bench
        self.bench = enabled
        if changed:
            self.bench_changed.emit(enabled)

    def _os_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.mode == "auto":
            self._apply(scheme == Qt.ColorScheme.Dark)

    def _apply(self, dark: bool) -> None:
        if dark:
            self.app.setStyle("Fusion")
            self.app.setPalette(dark_palette())
        else:
            self.app.setStyle(self._light_style)
            self.app.setPalette(self._light_palette)
        changed = dark != self.dark
        self.dark = dark
        log.debug("theme: %s (%s mode)", "dark" if dark else "light", self.mode)
        if changed:
            self.dark_changed.emit(dark)


def _scaled(font: QFont, factor: float) -> QFont:
    out = QFont(font)
    if font.pointSizeF() > 0:
        out.setPointSizeF(font.pointSizeF() * factor)
    else:  # a pixel-sized font
        out.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return out


def _scale_widget_font(widget: QWidget, ratio: float) -> None:
    widget.setFont(_scaled(widget.font(), ratio))
