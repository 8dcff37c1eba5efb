"""The left-hand side of the main window: the live camera view and the serial field under it.

The field takes typed serials and what a keyboard-wedge scanner types when it has the focus;
Enter on an empty field means "apply what is on the card", as the Apply button's label promises.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class ScanPane(QWidget):
    """Signals: ``text_entered(str)`` with the field's text (the field is cleared), on Enter or
    Look up; ``empty_enter()`` on Enter with nothing typed."""

    text_entered = Signal(str)
    empty_enter = Signal()

    def __init__(self, view: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view or QLabel(self.tr("Camera off"))
        self.scan_input = QLineEdit()
        self.scan_input.setObjectName("scanInput")
        self.scan_input.setAccessibleName(self.tr("Serial number"))
        self.scan_input.setPlaceholderText(
            self.tr("Serial number — type it or use a barcode scanner, then Enter")
        )
        self.scan_input.returnPressed.connect(self._enter)
        look_up = QPushButton(self.tr("Look up"))
        look_up.clicked.connect(self._enter)
        row = QHBoxLayout()
        row.addWidget(self.scan_input, 1)
        row.addWidget(look_up)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def _enter(self) -> None:
        text = self.scan_input.text().strip()
        if not text:
            self.empty_enter.emit()
            return
        self.scan_input.clear()
        self.text_entered.emit(text)
