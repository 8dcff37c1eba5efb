"""The card shows values as an operator says them: the serial as printed, "never" for Graph's
placeholder date, local time for a timestamp, the enrollment state in words; its rows are the
table of device fields' (``core/device_fields.py``), labelled in the operator's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from scanner_app.core.device_fields import CARD_ROWS
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.ui.device_card import DeviceCard, MatchList
from scanner_app.ui.i18n import install_translator

NEVER = "0001-01-01T00:00:00Z"


def card(qtbot: Any) -> DeviceCard:
    widget = DeviceCard()
    qtbot.add_widget(widget)
    return widget


def test_graphs_never_reads_never_and_a_time_reads_as_local_time(qtbot: Any) -> None:
    view = card(qtbot)
    view.show_device(
        AutopilotDevice(
            id="d1", serial_number="SN1", last_contacted=NEVER, enrollment_state="notContacted"
        )
    )
    assert view.text_of("last_contacted") == "never"
    assert view.text_of("enrollment_state") == "not contacted yet"

    stamp = "2026-03-09T06:00:00Z"
    view.show_device(AutopilotDevice(id="d2", serial_number="SN2", last_contacted=stamp))
    local = datetime.fromisoformat(stamp).astimezone()
    shown = view.text_of("last_contacted")
    assert "T" not in shown and "Z" not in shown  # no ISO left
    assert local.strftime("%H:%M") in shown and str(local.day) in shown


def test_the_heading_is_the_serial_as_printed_whatever_graph_stored(qtbot: Any) -> None:
    view = card(qtbot)
    view.show_device(AutopilotDevice(id="d1", serial_number="wmplcm1 "), DeviceChange())
    assert view.title.text() == "WMPLCM1"
    assert "wmplcm1" in view.title.toolTip()  # what Intune holds, for whoever needs it
    matches = MatchList()
    qtbot.add_widget(matches)
    matches.set_devices([AutopilotDevice(id="d1", serial_number="pf5domgl", group_tag="Kiosk")])
    first = matches.item(0)
    assert first is not None and first.text().startswith("PF5DOMGL — ")
    assert "group tag: Kiosk · user: (none)" in first.text()


def test_every_row_of_the_table_is_on_the_card_showing_its_own_field(qtbot: Any) -> None:
    view = card(qtbot)
    device = AutopilotDevice(
        id="d1",
        serial_number="SN1",
        manufacturer="Dell Inc.",
        model="Latitude 5440",
        group_tag="Sales",
        user_principal_name="ada@contoso.example",
        display_name="CTS-SN1",
        enrollment_state="enrolled",
        last_contacted=NEVER,
    )
    view.show_device(device, DeviceChange(group_tag="Kiosk"))
    assert list(view.values) == [row.key for row in CARD_ROWS]
    assert {key: view.text_of(key) for key in view.values} == {
        "model": "Dell Inc. Latitude 5440",
        "group_tag": "Sales  →  Kiosk",  # &nbsp; beside the arrow
        "user_principal_name": "ada@contoso.example",
        "display_name": "CTS-SN1",
        "enrollment_state": "enrolled",
        "last_contacted": "never",
        "profile": "checking…",
    }


def test_the_rows_labels_are_the_tables_in_the_operators_language(
    qtbot: Any, qapp: QApplication
) -> None:
    assert install_translator(qapp, "de") == "de"
    try:
        view = card(qtbot)
    finally:
        install_translator(qapp, "en")
    assert [form_label(view, row.key) for row in CARD_ROWS] == [
        "Modell",
        "Gruppentag",
        "Zugewiesener Benutzer",
        "Gerätename",
        "Registrierung",
        "Letzter Kontakt",
        "Profil",
    ]
    english = card(qtbot)  # after the switch back: the table's own words
    assert [form_label(english, row.key) for row in CARD_ROWS] == [r.label for r in CARD_ROWS]


def form_label(view: DeviceCard, key: str) -> str:
    form = view.details.layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(view.values[key])
    assert isinstance(label, QLabel)
    return label.text()
