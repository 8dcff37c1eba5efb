"""The left-hand side of the main window: the live camera view and the serial field under it.

The field takes typed serials and what a keyboard-wedge scanner types when it has the focus;
Enter on an empty field means "apply what is on the card", as the Apply button's label promises.
Up and Down move into the list when several devices match (the field keeps the focus until then,
so an Enter meant for Apply never picks a match by accident).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

_STEPS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}


class ScanPane(QWidget):
    """Signals: ``text_entered(str)`` with the field's text (the field is cleared), on Enter or
    Look up; ``empty_enter()`` on Enter with nothing typed; ``step(int)`` -1 / +1 on Up / Down
    in the field."""

    text_entered = Signal(str)
    empty_enter = Signal()
    step = Signal(int)

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
        self.scan_input.installEventFilter(self)
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.scan_input and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            delta = _STEPS.get(Qt.Key(event.key()))
            if delta is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self.step.emit(delta)
                return True
        return False
