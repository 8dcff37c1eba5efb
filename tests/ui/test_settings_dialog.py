"""The Settings dialog: checks each value where it is typed, saves TOML, keeps other keys."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scanner_app.core.config import Settings
from scanner_app.core.vision.capture import CameraInfo
from scanner_app.ui.settings_dialog import SettingsDialog
from scanner_app.ui.settings_pages import add_tag_item, remove_selected_tags

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CLIENT = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('demo = true\nread_only = true\ntenant = "old.example.com"\n')
    return path


@pytest.fixture
def dialog(qtbot: Any, config: Path) -> SettingsDialog:
    settings = Settings.load(config_file=config, env={})
    cameras = [CameraInfo(0, "Logitech BRIO"), CameraInfo(2, "Integrated Camera")]
    d = SettingsDialog(settings, cameras=cameras, config_path=config)
    qtbot.add_widget(d)
    return d


def error_text(dialog: SettingsDialog, key: str) -> str:
    label = dialog.errors[key]
    return label.text() if not label.isHidden() else ""


def test_saving_writes_toml_keeps_other_keys_and_returns_settings(
    dialog: SettingsDialog, config: Path
) -> None:
    dialog.tenant.setText("contoso.com")
    dialog.client_id.setText(CLIENT)
    dialog.camera.setCurrentIndex(dialog.camera.findData("2"))
    add_tag_item(dialog.group_tags, "Bench-A")
    add_tag_item(dialog.group_tags, "Bench-A")  # duplicates are dropped
    dialog.name_template.setText("LAB-%SERIAL%")
    dialog.sounds.setChecked(False)
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = tomllib.loads(config.read_text())
    assert saved["tenant"] == "contoso.com" and saved["client_id"] == CLIENT
    assert saved["camera"] == "2" and saved["group_tags"] == ["Bench-A"]
    assert saved["sounds"] is False and saved["language"] == "de"
    assert saved["demo"] is True and saved["read_only"] is True  # not this dialog's keys
    assert dialog.settings.tenant == "contoso.com" and dialog.settings.group_tags == ("Bench-A",)
    assert Settings.load(config_file=config, env={}).name_template == "LAB-%SERIAL%"


def test_bad_client_id_is_shown_next_to_the_field_and_nothing_saved(
    dialog: SettingsDialog, config: Path
) -> None:
    before = config.read_text()
    dialog.tabs.setCurrentIndex(3)
    dialog.client_id.setText("not-a-guid")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "GUID" in error_text(dialog, "client_id")
    assert dialog.tabs.currentIndex() == 0  # the tab with the bad field is brought forward
    assert config.read_text() == before


def test_bad_graph_endpoint_opens_advanced(dialog: SettingsDialog) -> None:
    dialog.advanced.setChecked(False)
    dialog.graph_endpoint.setText("http://graph.example.com")
    dialog.accept()
    assert "https://" in error_text(dialog, "graph_endpoint")
    assert dialog.advanced.isChecked()


def test_name_template_is_checked_while_typing(qtbot: Any, dialog: SettingsDialog) -> None:
    dialog.name_template.clear()
    QTest.keyClicks(dialog.name_template, "LAB-%SERIAL%")
    assert error_text(dialog, "name_template") == ""
    assert "LAB-5CG1234XYZ" in dialog.name_preview.text()
    QTest.keyClicks(dialog.name_template, "-EXTRA-LONG")
    assert "longer than 15" in error_text(dialog, "name_template")
    dialog.name_template.setText("LAB_%SERIAL%")
    assert "hyphens" in error_text(dialog, "name_template")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted


def test_payload_rules_are_checked_line_by_line(dialog: SettingsDialog) -> None:
    dialog.payload_rules.setPlainText(r"^SN:(?P<serial>\w+)$" + "\n" + r"^S/N (\w+)$")
    assert "Line 2" in error_text(dialog, "payload_rules")
    assert "(?P<serial>" in error_text(dialog, "payload_rules")
    dialog.payload_rules.setPlainText("^SN:(?P<serial>[A-Z")
    assert "Line 1" in error_text(dialog, "payload_rules")
    dialog.payload_rules.setPlainText(r"^SN:(?P<serial>\w+)$" + "\n\n")
    assert error_text(dialog, "payload_rules") == ""
    assert dialog.values()["payload_rules"] == [r"^SN:(?P<serial>\w+)$"]


def test_camera_can_be_synthetic_or_free_text(dialog: SettingsDialog) -> None:
    dialog.camera.setCurrentIndex(dialog.camera.findData("synthetic"))
    assert dialog.camera_value() == "synthetic"
    dialog.camera.setEditText("rtsp://10.0.0.5/stream")
    assert dialog.camera_value() == "rtsp://10.0.0.5/stream"


def test_group_tags_add_and_remove(qtbot: Any, dialog: SettingsDialog) -> None:
    item = add_tag_item(dialog.group_tags, "Kiosk")
    add_tag_item(dialog.group_tags, "Finance")
    dialog.group_tags.setCurrentItem(item)
    remove_selected_tags(dialog.group_tags)
    assert dialog.values()["group_tags"] == ["Finance"]
    dialog.allow_free.setChecked(False)
    dialog.accept()
    assert dialog.settings.allow_free_group_tag is False


def test_escape_cancels_without_saving(qtbot: Any, dialog: SettingsDialog, config: Path) -> None:
    before = config.read_text()
    dialog.tenant.setText("changed.example.com")
    with qtbot.wait_signal(dialog.rejected):
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert config.read_text() == before


def test_saving_over_a_config_powershell_wrote_keeps_its_other_keys(
    qtbot: Any, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"  # Windows PowerShell 5's Out-File: UTF-16 LE with a BOM
    config.write_bytes(b"\xff\xfe" + "read_only = true\ndemo = true\n".encode("utf-16-le"))
    dialog = SettingsDialog(Settings(), cameras=[], config_path=config)
    qtbot.add_widget(dialog)
    dialog.tenant.setText("contoso.com")
    dialog.accept()
    saved = tomllib.loads(config.read_text(encoding="utf-8"))  # written back as UTF-8
    assert saved["tenant"] == "contoso.com"
    assert saved["read_only"] is True and saved["demo"] is True  # not this dialog's: kept
