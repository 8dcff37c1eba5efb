"""German as the proof language: the shipped .qm is complete, current, and switches the UI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from scanner_app.core.config import Settings
from scanner_app.ui.i18n import install_translator, qm_path, resolve_language
from scanner_app.ui.queue_panel import QueuePanel
from scanner_app.ui.settings_dialog import SettingsDialog

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "translations" / "scanner_app_de.ts"


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
    assert resolve_language("de-CH") == "de"
    assert resolve_language(" de ") == "de"
    assert resolve_language("fr") == "en"  # no French yet: English, not a half-translated UI
    assert resolve_language("C") == "en"


@pytest.mark.parametrize(
    ("system", "expected"), [("de_DE", "de"), ("de_AT", "de"), ("fr_FR", "en"), ("C", "en")]
)
def test_no_language_set_follows_the_system(
    monkeypatch: pytest.MonkeyPatch, system: str, expected: str
) -> None:
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(system)))
    assert resolve_language("") == expected
    assert resolve_language("  ") == expected


@pytest.mark.skipif(sys.platform != "linux", reason="Qt reads LANG/LC_ALL on Linux only")
@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LC_ALL": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_AT.UTF-8"}, "de"),
        ({"LC_ALL": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "C"}, "en"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),  # LC_ALL wins
    ],
)
def test_no_language_set_reads_the_environment(environment: dict[str, str], expected: str) -> None:
    """Qt reads the system's locale once per process: each case is a fresh interpreter."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    code = "from scanner_app.ui.i18n import resolve_language; print(resolve_language(''))"
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **environment},
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == expected


def test_every_string_is_translated() -> None:
    untranslated = []
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            done = translation.get("type") not in {"unfinished", "vanished", "obsolete"}
            if not (done and (translation.text or "").strip()):
                untranslated.append(f"{name}: {message.findtext('source')}")
    assert not untranslated


#: ``self.tr(x)`` / ``translate("Ctx", x)`` with anything but a string literal: lupdate cannot
#: extract it, so the text would stay English in every translation, silently.
CALL = re.compile(r"""(?:\.tr\(|\btranslate\(\s*"[^"]*"\s*,)\s*(?P<first>.)""", re.S)


def test_every_translated_text_is_a_literal_lupdate_can_see() -> None:
    offenders = []
    for path in sorted((REPO / "scanner_app" / "ui").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for match in CALL.finditer(source):
            if match.group("first") not in {'"', "'"}:
                line = source.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.name}:{line}")
    assert not offenders


def test_the_german_window_speaks_german(qtbot: Any, german: None, services: Any) -> None:
    """The device card's field names and the status bar's outbox text come from tables and
    helpers: what lupdate could not see stayed English before."""
    from scanner_app.core.outbox import OutboxStatus
    from scanner_app.ui.main_window import MainWindow
    from scanner_app.ui.outbox_runner import apply_outbox_status, describe

    window = MainWindow(services)  # after ``german``: widgets take the language they are born in
    qtbot.add_widget(window)
    card_text = " ".join(w.text() for w in window.card.findChildren(QLabel))
    for german_word in ("Modell", "Gruppentag", "Zugewiesener Benutzer", "Gerätename", "Profil"):
        assert german_word in card_text
    for english in ("Assigned user", "Device name", "Last contact"):
        assert english not in card_text
    assert describe(OutboxStatus(True, 0, 0)) == ("Keine Änderungen ausstehend", "Graph")
    apply_outbox_status(window.status, OutboxStatus(False, 3, 1, "", retry_in=5))
    assert window.status.outbox.text() == "3 Änderungen ausstehend · 1 zu entscheiden"


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
