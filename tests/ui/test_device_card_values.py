"""The card shows values as an operator says them: the serial as printed, "never" for Graph's
placeholder date, local time for a timestamp, the enrollment state in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.ui.device_card import DeviceCard, MatchList

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
