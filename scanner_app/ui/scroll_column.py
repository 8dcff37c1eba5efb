"""A column that scrolls up and down when the window is too short, and is never squeezed sideways.

A plain QScrollArea reports a tiny minimum size, so a splitter beside a camera view squeezes it
until its content is cut off at the side; this one asks for the width its content needs (plus a
scroll bar) and lends out only height. Used for the right side of the main window, so at 800x600
the card's rows scroll instead of drawing over each other.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

#: The least height the column keeps: a few rows of the card.
MIN_HEIGHT = 120


class ScrollColumn(QScrollArea):
    """Holds ``body``, resized to the column's width; scrolls vertically only."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields inside
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)
        body.installEventFilter(self)

    def _bar(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        body = self.widget()
        if body is None:
            return super().minimumSizeHint()
        inner = body.minimumSizeHint()
        return QSize(inner.width() + self._bar(), min(inner.height(), MIN_HEIGHT))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        body = self.widget()
        if body is None:
            return super().sizeHint()
        inner = body.sizeHint()
        return QSize(inner.width() + self._bar(), inner.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content's needs changed (another device, bigger text)
        return False
