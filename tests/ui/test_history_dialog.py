"""The history view on a real journal and the simulated tenant: newest first, states in
colour, undo / retry / overwrite / discard on a worker, and the audit export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QTableWidgetItem

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.journal import Journal
from scanner_app.core.models import DeviceChange
from scanner_app.core.outbox import Outbox
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.ui.history_dialog import STATE_COLOURS, STATE_COLUMN, HistoryDialog
from scanner_app.ui.outbox_runner import OutboxRunner

WAIT_MS = 15_000
TENANT_COLUMN = STATE_COLUMN - 1


def cell(view: HistoryDialog, row: int, column: int) -> QTableWidgetItem:
    item = view.table.item(row, column)
    assert item is not None
    return item


@pytest.fixture
def sim() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(device_count=6) as tenant:
        yield tenant


@pytest.fixture
def outbox(sim: SimulatedTenant, tmp_path: Path) -> Iterator[Outbox]:
    client = GraphClient(sim.base_url, lambda **kw: sim.issue_token(), max_retries=0)
    journal = Journal(tmp_path / "journal.sqlite3")
    yield Outbox(
        journal, AutopilotService(client), operator="op@contoso.example", tenant="contoso.com",
        verify_timeout=3.0, poll_interval=0.05,
    )  # fmt: skip
    journal.close()


@pytest.fixture
def dialog(qtbot: Any, outbox: Outbox) -> Iterator[HistoryDialog]:
    view = HistoryDialog(outbox)
    qtbot.add_widget(view)
    view.show()
    yield view
    view.close()


def act(qtbot: Any, view: HistoryDialog, entry_id: int, button: Any) -> Any:
    view.refresh()
    view.select_entry(entry_id)
    assert button.isEnabled()
    with qtbot.waitSignal(view.action_finished, timeout=WAIT_MS) as done:
        button.click()
    return done.args[0]


def test_newest_first_with_state_colours_and_undo(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    first, second = (outbox.autopilot.get(d) for d in sorted(sim.devices)[:2])
    older = outbox.submit(first, DeviceChange(group_tag="HIST-1"))
    newer = outbox.submit(second, DeviceChange(group_tag="HIST-2"))
    dialog.refresh()
    assert dialog.table.rowCount() == 2
    assert [cell(dialog, r, 1).text() for r in (0, 1)] == [
        second.serial_number,
        first.serial_number,
    ]
    state = cell(dialog, 0, STATE_COLUMN)
    assert state.text() == "verified"
    assert state.foreground().color().name() == STATE_COLOURS["verified"]
    assert "'HIST-2'" in cell(dialog, 0, 2).text()
    assert cell(dialog, 0, 7).text() == " ".join(newer.request_ids) != ""

    undo = act(qtbot, dialog, older.id, dialog.undo_button)
    assert (undo.state, undo.undo_of) == ("verified", older.id)
    assert outbox.autopilot.get(first.id).group_tag == first.group_tag  # re-read: restored
    assert dialog.table.rowCount() == 3 and cell(dialog, 0, STATE_COLUMN).text() == "verified"
    assert f"undo of #{older.id}" in cell(dialog, 0, 2).text()


def test_a_failed_change_can_be_retried(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    device = outbox.autopilot.get(sorted(sim.devices)[2])
    sim.faults.error(status=400, count=1, method="POST")
    failed = outbox.submit(device, DeviceChange(group_tag="RETRY-ME"))
    assert failed.state == "failed"
    dialog.refresh()
    dialog.select_entry(failed.id)
    assert dialog.retry_button.isEnabled() and not dialog.undo_button.isEnabled()
    assert act(qtbot, dialog, failed.id, dialog.retry_button).state == "verified"
    assert outbox.autopilot.get(device.id).group_tag == "RETRY-ME"
    assert sim.applied_updates(device.id) == 1


def test_another_tenants_change_is_shown_with_its_tenant_and_cannot_be_acted_on(
    sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    """The operator switched tenants: the journal holds the other tenant's failed change too."""
    device = outbox.autopilot.get(sorted(sim.devices)[1])
    theirs = outbox.journal.record(
        device,
        DeviceChange(group_tag="FABRIKAM"),
        operator="op@fabrikam.com",
        tenant="fabrikam.com",
    )
    outbox.journal.mark(theirs, "failed", reason="Graph said no")
    sim.faults.error(status=400, count=1, method="POST")
    ours = outbox.submit(outbox.autopilot.get(sorted(sim.devices)[2]), DeviceChange(group_tag="X"))
    assert ours.state == "failed"
    dialog.refresh()
    tenants = {dialog.entries[r].id: cell(dialog, r, TENANT_COLUMN).text() for r in (0, 1)}
    assert tenants == {theirs: "fabrikam.com", ours.id: "contoso.com"}
    dialog.select_entry(ours.id)
    assert dialog.retry_button.isEnabled()
    dialog.select_entry(theirs)
    assert not dialog.retry_button.isEnabled() and not dialog.undo_button.isEnabled()
    assert outbox.journal.get(theirs).state == "failed"
    assert sim.applied_updates(device.id) == 0


def test_a_conflict_shows_before_intune_and_ours_then_overwrite_or_discard(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    one, two = (outbox.autopilot.get(d) for d in sorted(sim.devices)[3:5])
    for device in (one, two):
        outbox.autopilot.update(device.id, DeviceChange(group_tag="PORTAL"))  # someone else
    mine = outbox.submit(one, DeviceChange(group_tag="MINE"))
    other = outbox.submit(two, DeviceChange(group_tag="MINE-TOO"))
    assert (mine.state, other.state) == ("conflict", "conflict")
    dialog.refresh()
    dialog.select_entry(mine.id)
    assert dialog.conflict.isVisible()
    shown = dialog.conflict_text.text()
    assert "In Intune now" in shown and "PORTAL" in shown and "MINE" in shown
    assert (one.group_tag or "(empty)") in shown

    assert act(qtbot, dialog, mine.id, dialog.overwrite_button).state == "verified"
    assert outbox.autopilot.get(one.id).group_tag == "MINE"
    assert act(qtbot, dialog, other.id, dialog.discard_button).state == "superseded"
    assert outbox.autopilot.get(two.id).group_tag == "PORTAL"
    assert not dialog.conflict.isVisible()


def test_export_writes_the_audit_record(
    sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog, tmp_path: Path
) -> None:
    device = outbox.autopilot.get(sorted(sim.devices)[5])
    entry = outbox.submit(device, DeviceChange(group_tag="AUDIT"))
    path = tmp_path / "audit.csv"
    assert dialog.export_to(path) == 1
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["operator"] == "op@contoso.example" and rows[0]["state"] == "verified"
    assert rows[0]["graph_request_ids"] == " ".join(entry.request_ids)


def test_the_view_follows_the_outbox_as_it_works(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox
) -> None:
    runner = OutboxRunner(outbox, idle=0.05)
    view = HistoryDialog(outbox, runner=runner)
    qtbot.add_widget(view)
    device = outbox.autopilot.get(sorted(sim.devices)[0])
    outbox.enqueue(device, DeviceChange(group_tag="BACKGROUND"))
    view.refresh()
    assert cell(view, 0, STATE_COLUMN).text() == "pending"
    runner.start()
    try:  # nobody calls refresh(): the runner's report does
        qtbot.waitUntil(lambda: cell(view, 0, STATE_COLUMN).text() == "verified", timeout=WAIT_MS)
    finally:
        assert runner.stop()
    view.close()
