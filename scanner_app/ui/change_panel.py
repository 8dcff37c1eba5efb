"""What Apply will write: the group tag picker, the user picker and the Apply / Skip buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QPushButton, QWidget

from scanner_app.core.config import Settings
from scanner_app.core.models import DeviceChange
from scanner_app.ui.user_picker import UserPicker


class ChangePanel(QGroupBox):
    """Signals: ``apply_requested()`` (Apply clicked, or Enter in a field), ``skip_requested()``,
    ``plan_changed()`` (the group tag or the user changed)."""

    apply_requested = Signal()
    skip_requested = Signal()
    plan_changed = Signal()

    def __init__(
        self,
        settings: Settings,
        search_users: Callable[[str, Callable[[list[Any]], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Apply to this device"))
        self.group_tag = QComboBox()
        self.group_tag.setObjectName("groupTag")
        self.group_tag.setEditable(settings.allow_free_group_tag)
        self.set_group_tags(list(settings.group_tags))
        self.group_tag.currentTextChanged.connect(self.plan_changed)
        line = self.group_tag.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("keep the current group tag"))
            line.returnPressed.connect(self.apply_requested)
        self.user_picker = UserPicker(search_users)
        self.user_picker.setObjectName("userPicker")
        self.user_picker.user_chosen.connect(self.plan_changed)
        self.user_picker.returnPressed.connect(self._user_enter)
        self.apply_button = QPushButton(self.tr("Apply  (Enter)"))
        self.apply_button.setObjectName("applyButton")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply_requested)
        self.skip_button = QPushButton(self.tr("Skip  (Esc)"))
        self.skip_button.clicked.connect(self.skip_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.apply_button)
        form = QFormLayout(self)
        form.addRow(self.tr("&Group tag"), self.group_tag)
        if line is not None:  # the editable combo's line edit takes the focus: name it too
            line.setAccessibleName(self.tr("&Group tag").replace("&", ""))
        form.addRow(self.tr("&User"), self.user_picker)
        form.addRow(buttons)

    def set_group_tags(self, tags: list[str]) -> None:
        """Replace the choices, keeping what the operator has typed or picked."""
        current = self.group_tag.currentText()
        self.group_tag.blockSignals(True)
        self.group_tag.clear()
        self.group_tag.addItem("")
        self.group_tag.addItems(tags)
        self.group_tag.setCurrentText(current)
        self.group_tag.blockSignals(False)

    def planned_change(self, display_name: str | None = None) -> DeviceChange:
        """The values Apply would send (None fields are left as they are on the device)."""
        tag = self.group_tag.currentText().strip()
        user = self.user_picker.chosen
        upn = self.user_picker.wanted_upn()
        return DeviceChange(
            group_tag=tag or None,
            user_principal_name=upn,
            addressable_user_name=(user.display_name if user else None) if upn else None,
            display_name=display_name,
        )

    def _user_enter(self) -> None:
        # Enter in the user field applies, unless the text names nobody yet (still searching).
        if self.user_picker.chosen is not None or not self.user_picker.text().strip():
            self.apply_requested.emit()
