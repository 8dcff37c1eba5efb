"""German as the proof language: the shipped .qm is complete, current, and switches the UI."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from scanner_app.core.config import Settings
from scanner_app.ui.i18n import install_translator, qm_path, resolve_language
from scanner_app.ui.queue_panel import QueuePanel
from scanner_app.ui.settings_dialog import SettingsDialog

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "translations" / "scanner_app_de.ts"
#: Contexts whose every string must be translated (the widgets around the main window).
COMPLETE = {"AboutDialog", "PhotoDrop", "QueuePanel", "SessionTableModel", "SettingsDialog",
            "DeviceCard", "StatusBar", "UserPicker", "MainWindow", "ChangePanel", "AccountMenu",
            "DeviceCodeDialog", "SignInPanel", "HistoryDialog"}  # fmt: skip


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    assert install_translator(qapp, "de") == "de"
    yield
    install_translator(qapp, "en")


def test_german_switches_new_widgets_and_english_switches_back(
    qtbot: Any, qapp: QApplication, german: None
) -> None:
    panel = QueuePanel()
    qtbot.add_widget(panel)
    assert panel.export_button.text() == "Als CSV exportieren…"
    assert panel.model.headerData(1, Qt.Orientation.Horizontal) == "Seriennummer"
    dialog = SettingsDialog(Settings(), cameras=[], config_path=REPO / "unused.toml")
    qtbot.add_widget(dialog)
    assert dialog.windowTitle() == "Einstellungen"
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == "Abbrechen"  # Qt's own strings too
    install_translator(qapp, "en")
    english = QueuePanel()
    qtbot.add_widget(english)
    assert english.export_button.text() == "Export CSV…"


def test_language_resolution() -> None:
    assert resolve_language("de_AT") == "de"
    assert resolve_language("DE") == "de"
    assert resolve_language("fr") == "en"  # no French yet: English, not a half-translated UI
    assert resolve_language("") in {"en", "de"}


def test_every_string_around_the_main_window_is_translated() -> None:
    untranslated = []
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            done = translation.get("type") not in {"unfinished", "vanished", "obsolete"}
            if name in COMPLETE and not (done and (translation.text or "").strip()):
                untranslated.append(f"{name}: {message.findtext('source')}")
    assert not untranslated


def test_shipped_qm_is_compiled_from_the_current_ts(tmp_path: Path) -> None:
    shipped = qm_path("de")
    assert shipped is not None
    fresh = tmp_path / "de.qm"
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == Path(shipped).read_bytes(), (
        "run: uv run python scripts/update_translations.py"
    )


def test_translated_text_keeps_its_placeholders(german: None) -> None:
    text = QCoreApplication.translate("SettingsDialog", "Example: %1 → %2")
    assert "%1" in text and "%2" in text
