"""The Settings dialog: tenant, camera, group tags, name template, payload rules, sounds, language.

Every value is checked by the same code that checks the config file (``Settings.from_mapping``),
so the dialog cannot save what the app would refuse at the next start; the message appears
next to the field it is about. Only the keys this dialog shows are written to the user's TOML
file; anything else in it (and flags such as ``--demo``) is left alone.

The pages' widgets are built in ``settings_pages``; this module holds what the dialog does with
them: read the values, check them, show where a problem is, and save.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import tomli_w
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scanner_app.core import paths
from scanner_app.core.bench.session import DeviceNameError, make_device_name
from scanner_app.core.config import Settings, SettingsError
from scanner_app.core.config_text import parse_config
from scanner_app.ui.settings_pages import bench_page, general_page, scanning_page, tenant_page

log = logging.getLogger(__name__)

EXAMPLE_SERIAL = "5CG1234XYZ"
# The keys this dialog edits (and writes); the rest of the file is kept as it is.
KEYS = (
    "tenant", "client_id", "authority_host", "graph_endpoint", "use_broker", "camera",
    "group_tags", "allow_free_group_tag", "name_template", "payload_rules", "sounds", "language",
    "log_level",
)  # fmt: skip


class SettingsDialog(QDialog):
    """Edit and save the settings. After ``exec()`` returns Accepted, ``settings`` holds the
    new, validated Settings and the file at ``config_path`` has been written."""

    # The fields, created by the page builders in settings_pages (tests and menus use them).
    tenant: QLineEdit
    client_id: QLineEdit
    advanced: QGroupBox
    authority_host: QLineEdit
    graph_endpoint: QLineEdit
    use_broker: QCheckBox
    log_level: QComboBox
    camera: QComboBox
    payload_rules: QPlainTextEdit
    group_tags: QListWidget
    allow_free: QCheckBox
    name_template: QLineEdit
    name_preview: QLabel
    sounds: QCheckBox
    language: QComboBox

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        cameras: list[Any] | None = None,
        config_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self.config_path = config_path or paths.config_file()
        self.errors: dict[str, QLabel] = {}
        tabs = QTabWidget()
        tabs.addTab(tenant_page(self, settings), self.tr("&Tenant"))
        tabs.addTab(scanning_page(self, settings, cameras), self.tr("&Scanning"))
        tabs.addTab(bench_page(self, settings), self.tr("&Bench"))
        tabs.addTab(general_page(self, settings), self.tr("&General"))
        tabs.setAccessibleName(self.tr("Settings"))
        self.tabs = tabs
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)
        self.resize(620, 460)

    # ---- live checks -------------------------------------------------------------------------
    def _check_template(self) -> bool:
        template = self.name_template.text().strip()
        if not template:
            self.name_preview.setText(self.tr("No template: device names are left as they are."))
            self._show_error("name_template", "")
            return True
        try:
            example = make_device_name(template, EXAMPLE_SERIAL)
        except DeviceNameError as exc:
            self.name_preview.setText("")
            self._show_error("name_template", str(exc))
            return False
        self.name_preview.setText(
            self.tr("Example: %1 → %2").replace("%1", EXAMPLE_SERIAL).replace("%2", example)
        )
        self._show_error("name_template", "")
        return True

    def _check_rules(self) -> bool:
        for number, rule in enumerate(self._rules(), start=1):
            try:
                compiled = re.compile(rule)
            except re.error as exc:
                message = self.tr("Line %1: %2").replace("%1", str(number))
                self._show_error("payload_rules", message.replace("%2", str(exc)))
                return False
            if "serial" not in compiled.groupindex:
                message = self.tr("Line %1 needs a named group (?P<serial>…).")
                self._show_error("payload_rules", message.replace("%1", str(number)))
                return False
        self._show_error("payload_rules", "")
        return True

    def _show_error(self, key: str, message: str) -> None:
        label = self.errors.get(key)
        if label is not None:
            label.setText(message)
            label.setVisible(bool(message))

    # ---- values, validation, saving ------------------------------------------------------
    def _rules(self) -> list[str]:
        return [line for line in self.payload_rules.toPlainText().splitlines() if line.strip()]

    def camera_value(self) -> str:
        text = self.camera.currentText().strip()
        index = self.camera.findText(text)
        if index >= 0 and self.camera.itemData(index):
            return str(self.camera.itemData(index))
        return text

    def values(self) -> dict[str, Any]:
        """What the dialog shows, as TOML keys and values."""
        tags = [self.group_tags.item(i).text().strip() for i in range(self.group_tags.count())]
        return {
            "tenant": self.tenant.text().strip(),
            "client_id": self.client_id.text().strip(),
            "authority_host": self.authority_host.text().strip(),
            "graph_endpoint": self.graph_endpoint.text().strip(),
            "use_broker": self.use_broker.isChecked(),
            "log_level": self.log_level.currentText(),
            "camera": self.camera_value(),
            "group_tags": [t for t in dict.fromkeys(tags) if t],
            "allow_free_group_tag": self.allow_free.isChecked(),
            "name_template": self.name_template.text().strip(),
            "payload_rules": self._rules(),
            "sounds": self.sounds.isChecked(),
            "language": str(self.language.currentData() or ""),
        }

    def validate(self) -> Settings | None:
        """The new Settings, or None after showing the first problem next to its field."""
        for key in self.errors:
            self._show_error(key, "")
        ok = self._check_template() and self._check_rules()
        if not ok:
            return None
        merged = self.settings.to_toml_dict() | self.values()
        try:
            return Settings.from_mapping(merged, sources=self.settings.sources)
        except SettingsError as exc:
            text = str(exc)
            prefix = f"{exc.key} "
            message = text[len(prefix) :] if text.startswith(prefix) else text
            self._show_error(exc.key, message[:1].upper() + message[1:] + ".")
            self._reveal(exc.key)
            return None

    def _reveal(self, key: str) -> None:
        if key in ("authority_host", "graph_endpoint", "log_level"):
            self.advanced.setChecked(True)
        for page_index in range(self.tabs.count()):
            page = self.tabs.widget(page_index)
            if page is None:
                continue
            for child in page.findChildren(QWidget):
                if child.property("settingKey") == key:
                    self.tabs.setCurrentIndex(page_index)
                    child.setFocus()
                    return

    def accept(self) -> None:
        new = self.validate()
        if new is None:
            return
        try:
            self.save(new)
        except OSError as exc:
            self._show_error("tenant", self.tr("The settings file could not be written: %1")
                             .replace("%1", exc.strerror or str(exc)))  # fmt: skip
            self.tabs.setCurrentIndex(0)
            return
        self.settings = new
        super().accept()

    def save(self, settings: Settings) -> None:
        """Write this dialog's keys into the user's TOML file, keeping any other keys."""
        existing: dict[str, Any] = {}
        if self.config_path.is_file():
            try:
                existing = parse_config(self.config_path.read_bytes())  # UTF-16 too
            except ValueError:
                log.warning("settings file %s was not valid TOML; rewriting it", self.config_path)
        wanted = settings.to_toml_dict()
        existing.update({key: wanted[key] for key in KEYS})
        self.config_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.config_path.with_suffix(".toml.tmp")
        temporary.write_text(tomli_w.dumps(existing), encoding="utf-8")
        os.replace(temporary, self.config_path)
        log.info("settings saved to %s", self.config_path)


def edit_settings(settings: Settings, parent: QWidget | None = None) -> Settings | None:
    """Show the dialog; the new settings when the operator saved, else None."""
    dialog = SettingsDialog(settings, parent)
    return dialog.settings if dialog.exec() == QDialog.DialogCode.Accepted else None
