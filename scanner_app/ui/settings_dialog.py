"""The Settings dialog: tenant, camera, group tags, name template, payload rules, sounds, language.

Every value is checked by the same code that checks the config file (``Settings.from_mapping``),
so the dialog cannot save what the app would refuse at the next start; the message appears
next to the field it is about. Only the keys this dialog shows are written to the user's TOML
file; anything else in it (and flags such as ``--demo``) is left alone.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

import tomli_w
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scanner_app.core import paths
from scanner_app.core.config import Settings, SettingsError
from scanner_app.core.session import DeviceNameError, make_device_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

log = logging.getLogger(__name__)

SYNTHETIC = "synthetic"
EXAMPLE_SERIAL = "5CG1234XYZ"
LANGUAGES = (("en", "English"), ("de", "Deutsch"))
#: The keys this dialog edits (and writes); the rest of the file is kept as it is.
KEYS = (
    "tenant", "client_id", "authority_host", "graph_endpoint", "use_broker", "camera",
    "group_tags", "allow_free_group_tag", "name_template", "payload_rules", "sounds", "language",
    "log_level",
)  # fmt: skip


class SettingsDialog(QDialog):
    """Edit and save the settings. After ``exec()`` returns Accepted, ``settings`` holds the
    new, validated Settings and the file at ``config_path`` has been written."""

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
        tabs.addTab(self._tenant_tab(settings), self.tr("&Tenant"))
        tabs.addTab(self._scanning_tab(settings, cameras), self.tr("&Scanning"))
        tabs.addTab(self._bench_tab(settings), self.tr("&Bench"))
        tabs.addTab(self._general_tab(settings), self.tr("&General"))
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

    # ---- tabs -------------------------------------------------------------------------------
    def _tenant_tab(self, s: Settings) -> QWidget:
        page, form = _page()
        self.tenant = QLineEdit(s.tenant)
        self.tenant.setPlaceholderText(self.tr("contoso.onmicrosoft.com or the tenant ID"))
        self.client_id = QLineEdit(s.client_id)
        self.client_id.setPlaceholderText("00000000-0000-0000-0000-000000000000")
        self._row(form, self.tr("Tenant"), self.tenant, "tenant")
        self._row(form, self.tr("Application (client) ID"), self.client_id, "client_id")
        advanced = QGroupBox(self.tr("Advanced"))
        advanced.setCheckable(True)
        custom = (s.authority_host, s.graph_endpoint) != (
            Settings().authority_host,
            Settings().graph_endpoint,
        )
        advanced.setChecked(custom or s.use_broker)
        inner = QFormLayout(advanced)
        self.authority_host = QLineEdit(s.authority_host)
        self.graph_endpoint = QLineEdit(s.graph_endpoint)
        self.use_broker = QCheckBox(self.tr("Sign in through the Windows account broker (WAM)"))
        self.use_broker.setChecked(s.use_broker)
        self.log_level = QComboBox()
        self.log_level.addItems(["DEBUG", "INFO", "WARNING", "ERROR"])
        self.log_level.setCurrentText(s.log_level.upper())
        self._row(inner, self.tr("Authority host"), self.authority_host, "authority_host")
        self._row(inner, self.tr("Graph endpoint"), self.graph_endpoint, "graph_endpoint")
        inner.addRow(self.use_broker)
        self._row(inner, self.tr("Log level"), self.log_level, "log_level")
        hint = QLabel(self.tr("Change these only for a national cloud (US Government, China)."))
        hint.setWordWrap(True)
        inner.addRow(hint)
        form.addRow(advanced)
        self.advanced = advanced
        return page

    def _scanning_tab(self, s: Settings, cameras: list[Any] | None) -> QWidget:
        page, form = _page()
        self.camera = QComboBox()
        self.camera.setEditable(True)
        self.camera.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if cameras is None:
            cameras = _list_cameras()
        for cam in cameras:
            text = self.tr("%1 (camera %2)").replace("%1", cam.name).replace("%2", str(cam.index))
            self.camera.addItem(text, str(cam.index))
        self.camera.addItem(self.tr("Synthetic (demo)"), SYNTHETIC)
        found = self.camera.findData(s.camera)
        if found >= 0:
            self.camera.setCurrentIndex(found)
        else:
            self.camera.setEditText(s.camera)
        editor = self.camera.lineEdit()
        if editor is not None:
            editor.setPlaceholderText(self.tr("a camera, a stream URL or a file"))
        self._row(form, self.tr("Camera"), self.camera, "camera")
        self.payload_rules = QPlainTextEdit("\n".join(s.payload_rules))
        self.payload_rules.setPlaceholderText(r"^S/N:\s*(?P<serial>[A-Z0-9]{8,})$")
        self.payload_rules.setTabChangesFocus(True)
        self.payload_rules.textChanged.connect(self._check_rules)
        self._row(form, self.tr("Label rules"), self.payload_rules, "payload_rules")
        hint = QLabel(self.tr(
            "One regular expression per line, with a (?P<serial>…) group, for labels whose "
            "serial number the built-in rules do not find."
        ))  # fmt: skip
        hint.setWordWrap(True)
        form.addRow("", hint)
        return page

    def _bench_tab(self, s: Settings) -> QWidget:
        page, form = _page()
        self.group_tags = QListWidget()
        self.group_tags.setObjectName("groupTags")
        for tag in s.group_tags:
            self._add_tag_item(tag)
        add = QPushButton(self.tr("&Add"))
        remove = QPushButton(self.tr("&Remove"))
        add.clicked.connect(self._add_tag)
        remove.clicked.connect(self._remove_tag)
        side = QVBoxLayout()
        side.addWidget(add)
        side.addWidget(remove)
        side.addStretch(1)
        tags_box = QHBoxLayout()
        tags_box.addWidget(self.group_tags, 1)
        tags_box.addLayout(side)
        holder = QWidget()
        holder.setLayout(tags_box)
        tags_box.setContentsMargins(0, 0, 0, 0)
        self._row(form, self.tr("Group tags"), holder, "group_tags")
        self.allow_free = QCheckBox(self.tr("Allow group tags that are not in this list"))
        self.allow_free.setChecked(s.allow_free_group_tag)
        form.addRow("", self.allow_free)
        self.name_template = QLineEdit(s.name_template)
        self.name_template.setPlaceholderText("LAB-%SERIAL%")
        self.name_preview = QLabel()
        self.name_preview.setObjectName("namePreview")
        self.name_template.textChanged.connect(self._check_template)
        self._row(form, self.tr("Device name template"), self.name_template, "name_template")
        form.addRow("", self.name_preview)
        self._check_template()
        return page

    def _general_tab(self, s: Settings) -> QWidget:
        page, form = _page()
        self.sounds = QCheckBox(self.tr("Play a sound on read, success and error"))
        self.sounds.setChecked(s.sounds)
        form.addRow(self.tr("Sounds"), self.sounds)
        self.language = QComboBox()
        self.language.addItem(self.tr("System default"), "")
        for code, name in LANGUAGES:  # each language in its own words
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self._row(form, self.tr("Language"), self.language, "language")
        form.addRow("", QLabel(self.tr("A new language shows after a restart.")))
        return page

    def _row(self, form: QFormLayout, label: str, field: QWidget, key: str) -> None:
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setWordWrap(True)
        error.setStyleSheet("color: #c5221f;")
        error.hide()
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(field)
        box.addWidget(error)
        form.addRow(label, box)
        self.errors[key] = error
        field.setProperty("settingKey", key)

    # ---- group tags --------------------------------------------------------------------------
    def _add_tag_item(self, tag: str) -> QListWidgetItem:
        item = QListWidgetItem(tag)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.group_tags.addItem(item)
        return item

    def _add_tag(self) -> None:
        item = self._add_tag_item("")
        self.group_tags.setCurrentItem(item)
        self.group_tags.editItem(item)

    def _remove_tag(self) -> None:
        for item in self.group_tags.selectedItems():
            self.group_tags.takeItem(self.group_tags.row(item))

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
                existing = tomllib.loads(self.config_path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                log.warning("settings file %s was not valid TOML; rewriting it", self.config_path)
        wanted = settings.to_toml_dict()
        existing.update({key: wanted[key] for key in KEYS})
        self.config_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.config_path.with_suffix(".toml.tmp")
        temporary.write_text(tomli_w.dumps(existing), encoding="utf-8")
        os.replace(temporary, self.config_path)
        log.info("settings saved to %s", self.config_path)


def _page() -> tuple[QWidget, QFormLayout]:
    """A tab page whose rows keep their natural height, with the spare room at the bottom."""
    page = QWidget()
    outer = QVBoxLayout(page)
    form = QFormLayout()
    outer.addLayout(form)
    outer.addStretch(1)
    return page, form


def _list_cameras() -> list[Any]:
    try:
        from scanner_app.core.capture import list_cameras

        return list(list_cameras())
    except Exception:  # the list is a convenience: typing a number still works
        log.warning("cameras could not be listed", exc_info=True)
        return []


def edit_settings(settings: Settings, parent: QWidget | None = None) -> Settings | None:
    """Show the dialog; the new settings when the operator saved, else None."""
    dialog = SettingsDialog(settings, parent)
    return dialog.settings if dialog.exec() == QDialog.DialogCode.Accepted else None
