"""The history view on a real journal and the simulated tenant: newest first, states in
colour, changes in words, undo (asked first, once) / retry / overwrite / discard on a worker,
and the audit export. The journal is read on the pool (tests/ui/conftest.py fails any test in
which the dialog touches SQLite on the GUI thread), so a test re-reads with ``reread``."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidgetItem

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.journal.journal import Journal
from scanner_app.core.models import DeviceChange
from scanner_app.core.outbox import Backoff, Outbox, RetryPolicy
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.ui.history_dialog import (
    STATE_COLOURS,
    STATE_COLUMN,
    TENANT_COLUMN,
    HistoryDialog,
)
from scanner_app.ui.outbox_runner import OutboxRunner

WAIT_MS = 15_000


def cell(view: HistoryDialog, row: int, column: int) -> QTableWidgetItem:
    item = view.table.item(row, column)
    assert item is not None
    return item


@pytest.fixture
def sim() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(validate_contract=True, device_count=6) as tenant:
        yield tenant


@pytest.fixture
def outbox(sim: SimulatedTenant, tmp_path: Path) -> Iterator[Outbox]:
    client = GraphClient(sim.base_url, lambda **kw: sim.issue_token(), max_retries=0)
    journal = Journal(tmp_path / "journal.sqlite3")
    yield Outbox(
        journal, AutopilotService(client), operator="op@contoso.example", tenant="contoso.com",
        policy=RetryPolicy(verify_timeout=3.0, poll=Backoff(0.05, 1.5, 2.0), idle=0.05),
    )  # fmt: skip
    journal.close()


@pytest.fixture
def dialog(qtbot: Any, outbox: Outbox) -> Iterator[HistoryDialog]:
    view = HistoryDialog(outbox)
    qtbot.add_widget(view)
    view.show()
    yield view
    view.close()


def reread(qtbot: Any, view: HistoryDialog) -> None:
    """Refresh, and wait until the rows read after this call are shown."""
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=WAIT_MS)


def act(qtbot: Any, view: HistoryDialog, entry_id: int, button: Any) -> Any:
    reread(qtbot, view)
    view.select_entry(entry_id)
    assert button.isEnabled()
    if button is view.undo_button:
        asked = answer_undo(confirm=True)
    with qtbot.waitSignal(view.action_finished, timeout=WAIT_MS) as done:
        button.click()
    if button is view.undo_button:
        assert asked, "Undo did not ask first"
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=WAIT_MS)  # the rows after it
    return done.args[0]


def answer_undo(*, confirm: bool) -> list[str]:
    """Answer the "Undo this change?" question once it shows; returns the text it showed."""
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        asked.append(box.text())
        for button in box.buttons():
            role = box.buttonRole(button)
            if (role == QMessageBox.ButtonRole.AcceptRole) == confirm:
                button.click()
                return

    QTimer.singleShot(0, answer)
    return asked


def test_newest_first_with_state_colours_and_undo(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    first, second = (outbox.autopilot.get(d) for d in sorted(sim.devices)[:2])
    older = outbox.submit(first, DeviceChange(group_tag="HIST-1"))
    newer = outbox.submit(second, DeviceChange(group_tag="HIST-2"))
    reread(qtbot, dialog)
    assert dialog.table.rowCount() == 2
    assert [cell(dialog, r, 1).text() for r in (0, 1)] == [
        second.serial_number,
        first.serial_number,
    ]
    state = cell(dialog, 0, STATE_COLUMN)
    assert state.text() == "verified"
    assert state.foreground().color().name() == STATE_COLOURS["verified"]
    assert cell(dialog, 0, 2).text() == f"Group tag: {second.group_tag or '–'} → HIST-2"
    assert cell(dialog, 0, 7).text() == " ".join(newer.request_ids) != ""

    undo = act(qtbot, dialog, older.id, dialog.undo_button)
    assert (undo.state, undo.undo_of) == ("verified", older.id)
    assert outbox.autopilot.get(first.id).group_tag == first.group_tag  # re-read: restored
    assert dialog.table.rowCount() == 3 and cell(dialog, 0, STATE_COLUMN).text() == "verified"
    assert cell(dialog, 0, 2).text().startswith(f"Undo of #{older.id}: Group tag: HIST-1 → ")


def test_a_failed_change_can_be_retried(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    device = outbox.autopilot.get(sorted(sim.devices)[2])
    sim.faults.error(status=400, count=1, method="POST")
    failed = outbox.submit(device, DeviceChange(group_tag="RETRY-ME"))
    assert failed.state == "failed"
    reread(qtbot, dialog)
    dialog.select_entry(failed.id)
    assert dialog.retry_button.isEnabled() and not dialog.undo_button.isEnabled()
    assert act(qtbot, dialog, failed.id, dialog.retry_button).state == "verified"
    assert outbox.autopilot.get(device.id).group_tag == "RETRY-ME"
    assert sim.applied_updates(device.id) == 1


def test_another_tenants_change_is_shown_with_its_tenant_and_cannot_be_acted_on(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
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
    reread(qtbot, dialog)
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
    reread(qtbot, dialog)
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
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog, tmp_path: Path
) -> None:
    device = outbox.autopilot.get(sorted(sim.devices)[5])
    entry = outbox.submit(device, DeviceChange(group_tag="AUDIT"))
    path = tmp_path / "audit.csv"
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as done:
        dialog.export_to(path)
    assert done.args == [1] and dialog.message.text() == "1 changes exported."
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["operator"] == "op@contoso.example" and rows[0]["state"] == "verified"
    assert rows[0]["graph_request_ids"] == " ".join(entry.request_ids)


def test_the_view_follows_the_outbox_as_it_works(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox
) -> None:
    runner = OutboxRunner(outbox)
    view = HistoryDialog(outbox, runner=runner)
    qtbot.add_widget(view)
    device = outbox.autopilot.get(sorted(sim.devices)[0])
    outbox.enqueue(device, DeviceChange(group_tag="BACKGROUND"))
    reread(qtbot, view)
    assert cell(view, 0, STATE_COLUMN).text() == "pending"
    runner.start()
    try:  # nobody calls refresh(): the runner's report does
        qtbot.waitUntil(lambda: cell(view, 0, STATE_COLUMN).text() == "verified", timeout=WAIT_MS)
    finally:
        assert runner.stop()
    view.close()


def test_undo_asks_first_spelling_the_change_out_and_is_offered_once(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    device = outbox.autopilot.get(sorted(sim.devices)[3])
    entry = outbox.submit(device, DeviceChange(group_tag="KIOSK-UNDO"))
    reread(qtbot, dialog)
    dialog.select_entry(entry.id)
    assert dialog.undo_button.isEnabled()

    asked = answer_undo(confirm=False)  # the operator thinks again
    dialog.undo_button.click()
    assert asked and "KIOSK-UNDO" in asked[0] and f"#{entry.id}" in asked[0]
    assert (device.group_tag or "–") in asked[0]
    assert dialog.table.rowCount() == 1 and sim.applied_updates(device.id) == 1

    undo = act(qtbot, dialog, entry.id, dialog.undo_button)
    assert (undo.state, undo.undo_of) == ("verified", entry.id)
    dialog.select_entry(entry.id)  # the change just undone: no second undo (a no-op change)
    assert not dialog.undo_button.isEnabled()
    asked = answer_undo(confirm=True)
    dialog.undo_button.click()
    qtbot.wait(0)  # give the (wrongly) open question its one chance to be answered
    assert not asked
    assert dialog.table.rowCount() == 2 and sim.applied_updates(device.id) == 2


def test_rows_carry_change_numbers_and_the_headers_are_whole(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    first, second = (outbox.autopilot.get(d) for d in sorted(sim.devices)[4:6])
    a = outbox.submit(first, DeviceChange(group_tag="NUM-1"))
    b = outbox.submit(
        second, DeviceChange(user_principal_name="ada@contoso.com", addressable_user_name="Ada")
    )
    reread(qtbot, dialog)
    numbers = [dialog.table.verticalHeaderItem(r).text() for r in range(2)]
    assert numbers == [str(b.id), str(a.id)]
    assert cell(dialog, 0, 2).text() == (
        f"User: {second.user_principal_name or '–'} → ada@contoso.com"
    )
    header = dialog.table.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(dialog.table.columnCount() - 1):
        title = dialog.table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) > metrics.horizontalAdvance(title), title
    assert "T" not in cell(dialog, 0, 0).text()  # local time, not ISO
    dialog.resize(800, 600)  # the smallest screen: the state is still in view
    right = header.sectionViewportPosition(STATE_COLUMN) + header.sectionSize(STATE_COLUMN)
    assert right <= dialog.table.viewport().width()


class HeldJournal:
    """The dialog's journal, its reads held on the pool until the test lets them go."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.gate = threading.Event()
        self.held = threading.Event()
        self.reads = 0

    def entries(self, **kwargs: Any) -> Any:
        self.reads += 1
        self.held.set()
        assert self.gate.wait(WAIT_MS / 1000)
        return self.journal.entries(**kwargs)


def test_a_slow_read_says_loading_and_keeps_the_rows_shown_meanwhile(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    first, second = (outbox.autopilot.get(d) for d in sorted(sim.devices)[:2])
    shown = outbox.submit(first, DeviceChange(group_tag="SHOWN"))
    reread(qtbot, dialog)
    dialog.select_entry(shown.id)
    assert dialog.table.rowCount() == 1 and not dialog.loading.isVisible()
    slow = HeldJournal(outbox.journal)
    dialog.journal = slow
    outbox.submit(second, DeviceChange(group_tag="NEW"))
    try:
        dialog.refresh()
        qtbot.waitUntil(slow.held.is_set, timeout=WAIT_MS)  # the read waits on the pool...
        assert dialog.loading.isVisible() and dialog.loading.text() == "Loading…"
        assert dialog.table.rowCount() == 1  # ...and the window goes on with its last rows
        assert (picked := dialog.selected()) is not None and picked.id == shown.id
        dialog.refresh()  # asked twice more meanwhile: one more read, after this one
        dialog.refresh()
    finally:
        slow.gate.set()
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=WAIT_MS)
    assert slow.reads == 2
    assert dialog.table.rowCount() == 2 and not dialog.loading.isVisible()
    assert [cell(dialog, r, 1).text() for r in (0, 1)] == [
        second.serial_number,
        first.serial_number,
    ]
    assert (picked := dialog.selected()) is not None and picked.id == shown.id


class BrokenJournal:
    def entries(self, **_kwargs: Any) -> Any:
        raise OSError("the journal's disk is gone")

    def export_csv(self, _file: Any) -> int:
        raise AssertionError("not reached: the file cannot be opened")


def test_a_failed_read_keeps_the_rows_and_says_why(
    qtbot: Any, sim: SimulatedTenant, outbox: Outbox, dialog: HistoryDialog
) -> None:
    outbox.submit(outbox.autopilot.get(sorted(sim.devices)[0]), DeviceChange(group_tag="KEPT"))
    reread(qtbot, dialog)
    dialog.journal = BrokenJournal()
    reread(qtbot, dialog)
    assert dialog.table.rowCount() == 1 and "KEPT" in cell(dialog, 0, 2).text()
    assert dialog.message.text() == "the journal's disk is gone"
    assert not dialog.loading.isVisible()


def test_an_export_that_cannot_be_written_says_why(
    qtbot: Any, dialog: HistoryDialog, tmp_path: Path
) -> None:
    path = tmp_path / "no-such-folder" / "audit.csv"
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as done:
        dialog.export_to(path)
    assert isinstance(done.args[0], FileNotFoundError)
    assert "no-such-folder" in dialog.message.text() and not path.exists()
