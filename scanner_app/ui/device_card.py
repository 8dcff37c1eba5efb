"""The device card: what Intune says about the scanned device, and what Apply will change.

Values read as an operator says them: the serial as printed on the label (Graph may store it in
lower case or with a stray space), the enrollment state in words, the last contact in local time
("never" for Graph's ``0001-01-01T00:00:00Z``)."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from scanner_app.core.device_fields import CARD_CONTEXT, CARD_ROWS, DeviceField
from scanner_app.core.models import AutopilotDevice, DeviceChange, ProfileState
from scanner_app.core.payload import normalise_serial
from scanner_app.ui.profile_row import checking_text, profile_html
from scanner_app.ui.time_text import local_time


class DeviceCard(QFrame):
    """Shows one AutopilotDevice; fields that Apply would change read "before → after".

    The Profile row is not part of the device (v1.0 has no such field): it reads "checking…"
    when a device first appears and is filled by ``show_profile`` when the beta read arrives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self.tr("No device yet"))
        self.title.setObjectName("deviceTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        #: False while there is no working camera: the waiting card then asks for nothing (the
        #: banner says to type or scan the serial) instead of for a label held up to a camera.
        self.camera_available = True
        self._idle = True
        self.subtitle = QLabel(self._idle_text())
        self.subtitle.setWordWrap(True)
        # The rows, shown only while a device is on the card: seven dashes under a message
        # ("Several devices match") would push what matters below the fold of a small window.
        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        # The rows and their labels come from the table of device fields; its labels are
        # QT_TRANSLATE_NOOP markers in CARD_CONTEXT, which lupdate reads there.
        for row in CARD_ROWS:
            value = QLabel("–")
            value.setTextFormat(Qt.TextFormat.RichText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            form.addRow(QCoreApplication.translate(CARD_CONTEXT, row.label), value)
            self.values[row.key] = value
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.details)
        self.details.hide()
        self.device: AutopilotDevice | None = None

    def _idle_text(self) -> str:
        if not self.camera_available:
            return ""
        return self.tr("Hold a label or the Autopilot QR code up to the camera.")

    def set_camera_available(self, available: bool) -> None:
        self.camera_available = available
        if self._idle:
            self.subtitle.setText(self._idle_text())

    def clear(self, message: str = "") -> None:
        self.device = None
        self._idle = not message
        self.title.setText(self.tr("No device yet"))
        self.subtitle.setText(message or self._idle_text())
        for value in self.values.values():
            value.setText("–")
        self.details.hide()

    def show_message(self, title: str, message: str) -> None:
        self.clear(message)
        self.title.setText(title)

    def show_device(self, device: AutopilotDevice, planned: DeviceChange | None = None) -> None:
        same = self.device is not None and self.device.id == device.id
        self.device = device
        self._idle = False
        self.details.show()
        if not same:
            self._heading_into_view()
        self.title.setText(normalise_serial(device.serial_number) or device.id)
        stored = device.serial_number
        self.title.setToolTip(
            self.tr("Stored in Intune as “%1”").replace("%1", stored)
            if stored != normalise_serial(stored)
            else ""
        )
        self.subtitle.setText(self.tr("Autopilot device %1").replace("%1", device.id))
        planned_fields = (planned or DeviceChange()).against(device).changed_fields()
        for row in CARD_ROWS:
            widget = self.values[row.key]
            if row.field is None:  # the Profile row: beta, filled by show_profile
                if not same:  # the same device again (a preview, after Apply) keeps its row
                    widget.setText(_esc(checking_text()))
                continue
            current = self.field_text(device, row.field)
            if row.field.changeable and row.key in planned_fields:
                none = self.tr("(none)")
                after = planned_fields[row.key] or none
                before = _esc(current) or f"<i>{_esc(none)}</i>"
                widget.setText(f"{before} &nbsp;→&nbsp; <b>{_esc(after)}</b>")
            else:
                widget.setText(_esc(current) or "–")

    def field_text(self, device: AutopilotDevice, field: DeviceField) -> str:
        """A field's value as the card says it (its ``kind``: maker and model, enrollment in
        words, local time)."""
        value = str(getattr(device, field.attr))
        if field.kind == "model":
            return model_text(device.manufacturer, value)
        if field.kind == "enrollment":
            return self.enrollment_text(value)
        if field.kind == "time":
            return local_time(value)
        return value

    def _heading_into_view(self) -> None:
        """A new device: in a scrolled column (a small window), show the card from its heading,
        not from wherever the last device's fields left the scroll."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self.title, 0, self.title.height())

    def enrollment_text(self, state: str) -> str:
        """Graph's enrollment state in words ("notContacted" → "not contacted yet")."""
        words = {
            "enrolled": self.tr("enrolled"),
            "notContacted": self.tr("not contacted yet"),
            "pendingReset": self.tr("pending reset"),
            "failed": self.tr("enrollment failed"),
            "blocked": self.tr("blocked"),
            "unknown": self.tr("unknown"),
        }
        return words.get(state, state)

    def show_profile(self, state: ProfileState) -> None:
        """A profile reading: shown when it is about the device on the card, else dropped."""
        if self.device is not None and state.device_id == self.device.id:
            self.values["profile"].setText(profile_html(state))

    def text_of(self, key: str) -> str:
        """Plain text of a row (tests and the self-test read the card as an operator would)."""
        doc = self.values[key].text().replace("&nbsp;", " ")
        return html.unescape(re.sub(r"<[^>]*>", "", doc))


def model_text(manufacturer: str, model: str) -> str:
    """ "HP · HP EliteBook 840" reads badly: drop the maker when the model already names it."""
    maker = manufacturer.split()[0].casefold() if manufacturer.strip() else ""
    if maker and model.casefold().startswith(maker):
        return model
    return " ".join(p for p in (manufacturer, model) if p)


def _esc(text: str) -> str:
    return html.escape(text or "")


class MatchList(QListWidget):
    """Several devices for one serial: the operator picks one (arrows, Enter, or double-click:
    ``itemActivated``, which the window hands to the bench flow)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matches")
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.hide()

    def set_devices(self, devices: list[AutopilotDevice]) -> None:
        self.clear()
        none = self.tr("(none)")
        for device in devices:
            model = model_text(device.manufacturer, device.model)
            details = (
                self.tr("group tag: %1 · user: %2")
                .replace("%1", device.group_tag or none)
                .replace("%2", device.user_principal_name or none)
            )
            text = (
                f"{normalise_serial(device.serial_number)} — {model}\n"
                f"    {details}\n    id {device.id}"
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, device)
            self.addItem(item)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit()  # rows wrap differently at another width

    def _fit(self) -> None:
        """As tall as its rows at this width (a few matches are the rule): the change panel and
        Apply's hint stay in view below it instead of under an empty list."""
        self.setMaximumHeight(16777215)  # lay the rows out at full height first
        self.doItemsLayout()
        last = self.item(self.count() - 1)
        rows = self.visualItemRect(last).bottom() + self.verticalOffset() + 1 if last else 1
        self.setMaximumHeight(rows + 2 * self.frameWidth() + 2)
