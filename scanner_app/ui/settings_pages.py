"""The four pages of the Settings dialog (tenant, scanning, bench, general): their widgets only.

Each builder creates its fields as attributes of the dialog (the dialog reads, checks and saves
them; tests and menus reach them there) and wires them to the dialog's live checks. Every field
goes through ``_row``, which puts an error line under it and tags it with its settings key, so
the dialog can show a message next to the field and bring that field's page forward. Adding
and removing group tags is done here too: it only edits the list the dialog reads.

The texts stay in the translation context ``SettingsDialog``, as when this code was part of the
dialog class: ``translate("SettingsDialog", "…")`` is what ``self.tr`` did there, and lupdate
reads that literal context, so the German translations still apply.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scanner_app.core.config import Settings

if TYPE_CHECKING:  # the dialog imports this module; only the type checker needs the reverse
    from scanner_app.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

# lupdate finds translate("Context", "text") calls by this name, so keep it short and bare.
translate = QCoreApplication.translate

SYNTHETIC = "synthetic"
LANGUAGES = (("en", "English"), ("de", "Deutsch"))


def tenant_page(dialog: SettingsDialog, s: Settings) -> QWidget:
    page, form = _page()
    dialog.tenant = QLineEdit(s.tenant)
    dialog.tenant.setPlaceholderText(
        translate("SettingsDialog", "contoso.onmicrosoft.com or the tenant ID")
    )
    dialog.client_id = QLineEdit(s.client_id)
    dialog.client_id.setPlaceholderText("00000000-0000-0000-0000-000000000000")
    _row(dialog, form, translate("SettingsDialog", "Tenant"), dialog.tenant, "tenant")
    client_id_label = translate("SettingsDialog", "Application (client) ID")
    _row(dialog, form, client_id_label, dialog.client_id, "client_id")
    form.addRow(_advanced_box(dialog, s))
    return page


def _advanced_box(dialog: SettingsDialog, s: Settings) -> QGroupBox:
    """Sign-in endpoints, the broker and the log level: folded away unless they were changed."""
    advanced = QGroupBox(translate("SettingsDialog", "Advanced"))
    advanced.setCheckable(True)
    custom = (s.authority_host, s.graph_endpoint) != (
        Settings().authority_host,
        Settings().graph_endpoint,
    )
    advanced.setChecked(custom or s.use_broker)
    inner = QFormLayout(advanced)
    dialog.authority_host = QLineEdit(s.authority_host)
    dialog.graph_endpoint = QLineEdit(s.graph_endpoint)
    dialog.use_broker = QCheckBox(
        translate("SettingsDialog", "Sign in through the Windows account broker (WAM)")
    )
    dialog.use_broker.setChecked(s.use_broker)
    dialog.log_level = QComboBox()
    dialog.log_level.addItems(["DEBUG", "INFO", "WARNING", "ERROR"])
    dialog.log_level.setCurrentText(s.log_level.upper())
    authority_label = translate("SettingsDialog", "Authority host")
    _row(dialog, inner, authority_label, dialog.authority_host, "authority_host")
    graph_label = translate("SettingsDialog", "Graph endpoint")
    _row(dialog, inner, graph_label, dialog.graph_endpoint, "graph_endpoint")
    inner.addRow(dialog.use_broker)
    _row(dialog, inner, translate("SettingsDialog", "Log level"), dialog.log_level, "log_level")
    hint = QLabel(
        translate(
            "SettingsDialog", "Change these only for a national cloud (US Government, China)."
        )
    )
    hint.setWordWrap(True)
    inner.addRow(hint)
    dialog.advanced = advanced
    return advanced


def scanning_page(dialog: SettingsDialog, s: Settings, cameras: list[Any] | None) -> QWidget:
    page, form = _page()
    dialog.camera = camera = QComboBox()
    camera.setEditable(True)
    camera.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if cameras is None:
        cameras = _list_cameras()
    for cam in cameras:
        text = translate("SettingsDialog", "%1 (camera %2)")
        camera.addItem(text.replace("%1", cam.name).replace("%2", str(cam.index)), str(cam.index))
    camera.addItem(translate("SettingsDialog", "Synthetic (demo)"), SYNTHETIC)
    found = camera.findData(s.camera)
    if found >= 0:
        camera.setCurrentIndex(found)
    else:
        camera.setEditText(s.camera)
    editor = camera.lineEdit()
    if editor is not None:
        editor.setPlaceholderText(translate("SettingsDialog", "a camera, a stream URL or a file"))
    _row(dialog, form, translate("SettingsDialog", "Camera"), camera, "camera")
    dialog.payload_rules = QPlainTextEdit("\n".join(s.payload_rules))
    dialog.payload_rules.setPlaceholderText(r"^S/N:\s*(?P<serial>[A-Z0-9]{8,})$")
    dialog.payload_rules.setTabChangesFocus(True)
    dialog.payload_rules.textChanged.connect(dialog._check_rules)
    rules_label = translate("SettingsDialog", "Label rules")
    _row(dialog, form, rules_label, dialog.payload_rules, "payload_rules")
    hint = QLabel(translate("SettingsDialog",
        "One regular expression per line, with a (?P<serial>…) group, for labels whose "
        "serial number the built-in rules do not find."
    ))  # fmt: skip
    hint.setWordWrap(True)
    form.addRow("", hint)
    return page


def bench_page(dialog: SettingsDialog, s: Settings) -> QWidget:
    page, form = _page()
    dialog.group_tags = QListWidget()
    dialog.group_tags.setObjectName("groupTags")
    dialog.group_tags.setAccessibleName(translate("SettingsDialog", "Group tags"))
    for tag in s.group_tags:
        add_tag_item(dialog.group_tags, tag)
    add = QPushButton(translate("SettingsDialog", "&Add"))
    remove = QPushButton(translate("SettingsDialog", "&Remove"))
    add.clicked.connect(lambda: add_blank_tag(dialog.group_tags))
    remove.clicked.connect(lambda: remove_selected_tags(dialog.group_tags))
    side = QVBoxLayout()
    side.addWidget(add)
    side.addWidget(remove)
    side.addStretch(1)
    tags_box = QHBoxLayout()
    tags_box.addWidget(dialog.group_tags, 1)
    tags_box.addLayout(side)
    holder = QWidget()
    holder.setLayout(tags_box)
    tags_box.setContentsMargins(0, 0, 0, 0)
    _row(dialog, form, translate("SettingsDialog", "Group tags"), holder, "group_tags")
    dialog.allow_free = QCheckBox(
        translate("SettingsDialog", "Allow group tags that are not in this list")
    )
    dialog.allow_free.setChecked(s.allow_free_group_tag)
    form.addRow("", dialog.allow_free)
    dialog.name_template = QLineEdit(s.name_template)
    dialog.name_template.setPlaceholderText("LAB-%SERIAL%")
    dialog.name_preview = QLabel()
    dialog.name_preview.setObjectName("namePreview")
    dialog.name_template.textChanged.connect(dialog._check_template)
    template_label = translate("SettingsDialog", "Device name template")
    _row(dialog, form, template_label, dialog.name_template, "name_template")
    form.addRow("", dialog.name_preview)
    dialog._check_template()
    return page


def general_page(dialog: SettingsDialog, s: Settings) -> QWidget:
    page, form = _page()
    dialog.sounds = QCheckBox(
        translate("SettingsDialog", "Play a sound on read, success and error")
    )
    dialog.sounds.setChecked(s.sounds)
    form.addRow(translate("SettingsDialog", "Sounds"), dialog.sounds)
    dialog.language = QComboBox()
    dialog.language.addItem(translate("SettingsDialog", "System default"), "")
    for code, name in LANGUAGES:  # each language in its own words
        dialog.language.addItem(name, code)
    dialog.language.setCurrentIndex(max(0, dialog.language.findData(s.language)))
    _row(dialog, form, translate("SettingsDialog", "Language"), dialog.language, "language")
    form.addRow("", QLabel(translate("SettingsDialog", "A new language shows after a restart.")))
    return page


def add_tag_item(tags: QListWidget, tag: str) -> QListWidgetItem:
    """A group tag at the end of the list, editable in place (double-click or F2)."""
    item = QListWidgetItem(tag)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
    tags.addItem(item)
    return item


def add_blank_tag(tags: QListWidget) -> None:
    """The Add button: a new empty tag, already open for typing."""
    item = add_tag_item(tags, "")
    tags.setCurrentItem(item)
    tags.editItem(item)


def remove_selected_tags(tags: QListWidget) -> None:
    for item in tags.selectedItems():
        tags.takeItem(tags.row(item))


def _row(dialog: SettingsDialog, form: QFormLayout, label: str, field: QWidget, key: str) -> None:
    """A labelled field with a hidden error line under it, registered in ``dialog.errors``."""
    error = QLabel()
    error.setObjectName(f"error_{key}")
    error.setWordWrap(True)
    error.setStyleSheet("color: #c5221f;")
    error.hide()
    box = QVBoxLayout()
    box.setSpacing(2)
    box.addWidget(field)
    box.addWidget(error)
    # A label with the field as its buddy: screen readers name the field after it, and an "&"
    # in the label is a keyboard shortcut to the field.
    caption = QLabel(label)
    caption.setBuddy(field)
    form.addRow(caption, box)
    dialog.errors[key] = error
    field.setProperty("settingKey", key)
    inner = field.lineEdit() if isinstance(field, QComboBox) else None
    if inner is not None:  # an editable combo box's line edit takes the focus: name it too
        inner.setAccessibleName(label.replace("&", ""))


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
        from scanner_app.core.vision.capture import list_cameras

        return list(list_cameras())
    except Exception:  # the list is a convenience: typing a number still works
        log.warning("cameras could not be listed", exc_info=True)
        return []
