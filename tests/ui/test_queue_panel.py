"""The bench session table: rows appear, change state and colour, duplicates show, CSV exports."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from scanner_app.core.bench.session import RowState
from scanner_app.core.models import AutopilotDevice, ScanTarget
from scanner_app.ui.queue_panel import STATE_COLOURS, QueuePanel


@pytest.fixture
def panel(qtbot: Any) -> QueuePanel:
    widget = QueuePanel()
    qtbot.add_widget(widget)
    widget.session.group_tag = "Bench-A"
    return widget


def cell(panel: QueuePanel, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return panel.model.data(panel.model.index(row, column), role)


def test_scans_become_rows_with_state_colour_and_summary(qtbot: Any, panel: QueuePanel) -> None:
    assert "No scans" in panel.summary.text()
    assert not panel.export_button.isEnabled()
    with qtbot.wait_signal(panel.model.rowsInserted):
        row = panel.add_scan(ScanTarget("serial", "SN-1"))
    device = AutopilotDevice(id="d1", serial_number="SN-1", manufacturer="Contoso", model="X1")
    with qtbot.wait_signal(panel.model.dataChanged):
        panel.update_row(row.id, RowState.FOUND, device=device)
    assert cell(panel, 0, 3) == ""  # nothing applied yet: the sticky tag is not shown as set
    panel.update_row(row.id, RowState.APPLYING)
    with qtbot.wait_signal(panel.model.dataChanged):
        panel.update_row(row.id, RowState.VERIFIED)
    assert panel.model.rowCount() == 1
    assert [cell(panel, 0, c) for c in (1, 2, 3, 5)] == [
        "SN-1",
        "Contoso X1",
        "Bench-A",
        "verified",
    ]
    colour = cell(panel, 0, 5, Qt.ItemDataRole.BackgroundRole).color().name()
    assert colour == STATE_COLOURS[RowState.VERIFIED]
    assert "1 verified" in panel.summary.text()
    assert panel.export_button.isEnabled()


def test_failed_row_shows_its_reason_and_duplicates_are_flagged(panel: QueuePanel) -> None:
    first = panel.add_scan(ScanTarget("serial", "SN-2"))
    panel.update_row(first.id, RowState.FAILED, reason="Graph refused: 403")
    panel.add_scan(ScanTarget("serial", "SN-2"))
    assert cell(panel, 0, 6) == "Graph refused: 403"
    assert cell(panel, 1, 1).startswith("⚠")
    assert f"duplicate of row {first.id}" in cell(panel, 1, 6)
    assert cell(panel, 1, 1, Qt.ItemDataRole.FontRole).bold()
    assert "1 duplicate" in panel.summary.text()


def test_export_button_writes_the_chosen_file(
    qtbot: Any, panel: QueuePanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied = panel.add_scan(ScanTarget("serial", "SN-3"))
    panel.update_row(applied.id, RowState.APPLYING)
    panel.add_scan(ScanTarget("serial", "SN-4"))
    target = tmp_path / "session.csv"
    monkeypatch.setattr(  # Qt's modal file dialog stands in for the operator's choice
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    with qtbot.wait_signal(panel.exported) as done:
        panel.export_button.click()
    assert done.args == [str(target)]
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["serial"] for r in rows] == ["SN-3", "SN-4"]
    assert [r["group_tag"] for r in rows] == ["Bench-A", ""]  # only where a change went


def test_export_to_an_unwritable_place_says_why(
    qtbot: Any, panel: QueuePanel, tmp_path: Path
) -> None:
    panel.add_scan(ScanTarget("serial", "SN-5"))
    with qtbot.wait_signal(panel.export_failed) as failed:
        assert panel.export_csv(tmp_path / "no-such-folder" / "x.csv") is None
    assert "could not be written" in failed.args[0]


def test_activating_a_row_names_it(qtbot: Any, panel: QueuePanel) -> None:
    row = panel.add_scan(ScanTarget("serial", "SN-6"))
    with qtbot.wait_signal(panel.row_activated) as activated:
        panel.table.activated.emit(panel.model.index(0, 1))
    assert activated.args == [row.id]


def test_new_session_keeps_sticky_choices(panel: QueuePanel) -> None:
    panel.add_scan(ScanTarget("serial", "SN-7"))
    panel.new_session()
    assert panel.model.rowCount() == 0
    assert panel.session.group_tag == "Bench-A"
    assert not panel.add_scan(ScanTarget("serial", "SN-7")).is_duplicate


def test_look_up_and_apply_results_move_the_row_on(panel: QueuePanel) -> None:
    from scanner_app.core.models import DeviceChange, Resolution
    from scanner_app.core.workflow import ApplyOutcome

    target = ScanTarget("serial", "SN-8")
    row = panel.add_scan(target)
    a = AutopilotDevice(id="a", serial_number="SN-8")
    b = AutopilotDevice(id="b", serial_number="SN-8")
    panel.record_resolution(row.id, Resolution(target, (a, b)))
    assert cell(panel, 0, 5) == "several matches" and "2 devices" in cell(panel, 0, 6)
    panel.update_row(row.id, RowState.FOUND, device=b)  # the operator picked one
    outcome = ApplyOutcome(7, "failed", b, DeviceChange(group_tag="X"), "The change failed. 403")
    panel.record_outcome(row.id, outcome)
    assert cell(panel, 0, 5) == "failed" and "403" in cell(panel, 0, 6)
    assert panel.session.device(row.id) == b
