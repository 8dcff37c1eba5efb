"""What Apply will write: the group tag picker, the user picker and the Apply / Skip buttons.

The tag list starts with "(keep current)", so not changing the tag is a named choice; Tab goes
group tag → user → Apply → Skip, whatever order the buttons are drawn in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QPushButton, QWidget

from scanner_app.core.config import Settings
from scanner_app.core.models import DeviceChange
from scanner_app.ui.user_picker import UserPicker


class ChangePanel(QGroupBox):
    """Signals: ``apply_requested()`` (Apply clicked, or Enter in a field), ``skip_requested()``.
    The window follows the group tag and the user through their own widgets' signals."""

    apply_requested = Signal()
    skip_requested = Signal()

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
        self.group_tag.activated.connect(self._tag_activated)
        line = self.group_tag.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.keep_text())
            line.returnPressed.connect(self.apply_requested)
        self.user_picker = UserPicker(search_users)
        self.user_picker.setObjectName("userPicker")
        # Enter in the user field is Apply like anywhere else: when the text names nobody yet,
        # the bench flow refuses and says so ("No user picked…") rather than dropping the user.
        self.user_picker.returnPressed.connect(self.apply_requested)
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
        QWidget.setTabOrder(self.group_tag, self.user_picker)
        QWidget.setTabOrder(self.user_picker, self.apply_button)
        QWidget.setTabOrder(self.apply_button, self.skip_button)

    def keep_text(self) -> str:
        """The first entry of the tag list: leave the device's group tag as it is."""
        return self.tr("(keep current)")

    def chosen_group_tag(self) -> str:
        """The group tag Apply would write, or "" to keep the device's."""
        tag = self.group_tag.currentText().strip()
        return "" if tag == self.keep_text() else tag

    def _tag_activated(self, index: int) -> None:
        # "(keep current)" picked in an editable list: an empty field (its placeholder says the
        # same) rather than those words, which a keystroke would turn into a new tag.
        line = self.group_tag.lineEdit()
        if index == 0 and line is not None:
            line.clear()

    def set_group_tags(self, tags: list[str]) -> None:
        """Replace the choices, keeping what the operator has typed or picked."""
        current = self.group_tag.currentText()
        self.group_tag.blockSignals(True)
        self.group_tag.clear()
        self.group_tag.addItem(self.keep_text())
        self.group_tag.addItems(tags)
        self.group_tag.setCurrentText(current)
        if self.group_tag.isEditable() and current in ("", self.keep_text()):
            self.group_tag.setEditText("")
        self.group_tag.blockSignals(False)

    def planned_change(self, display_name: str | None = None) -> DeviceChange:
        """The values Apply would send (None fields are left as they are on the device)."""
        tag = self.chosen_group_tag()
        user = self.user_picker.chosen
        upn = self.user_picker.wanted_upn()
        return DeviceChange(
            group_tag=tag or None,
            user_principal_name=upn,
            addressable_user_name=(user.display_name if user else None) if upn else None,
            display_name=display_name,
        )
