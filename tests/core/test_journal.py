"""The journal keeps every change and its fate, survives reopening and migrates old files."""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.core.journal import journal as journal_mod
from scanner_app.core.journal.journal import Journal, JournalError
from scanner_app.core.models import AutopilotDevice, DeviceChange

DEVICE = AutopilotDevice(
    id="dev-1", serial_number="5CG1234XYZ", group_tag="OLD", user_principal_name="a@contoso.com"
)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3", now=lambda: 1_700_000_000.0)
    yield j
    j.close()


def test_record_keeps_before_and_after_and_starts_pending(journal: Journal) -> None:
    entry_id = journal.record(
        DEVICE, DeviceChange(group_tag="NEW"), operator="op@contoso.com", tenant="contoso"
    )
    entry = journal.get(entry_id)
    assert entry.state == "pending"
    assert entry.before == {"group_tag": "OLD"}
    assert entry.after == {"group_tag": "NEW"}
    assert entry.change == DeviceChange(group_tag="NEW")
    assert (entry.serial, entry.operator, entry.tenant) == (
        "5CG1234XYZ",
        "op@contoso.com",
        "contoso",
    )
    assert entry.created_at.startswith("2023-11-14T22:13:20")


def test_an_empty_change_is_refused(journal: Journal) -> None:
    with pytest.raises(ValueError):
        journal.record(DEVICE, DeviceChange(), operator="", tenant="")


def test_states_move_forward_and_collect_request_ids(journal: Journal) -> None:
    entry_id = journal.record(DEVICE, DeviceChange(group_tag="NEW"), operator="", tenant="")
    journal.mark(entry_id, "sent", attempt=True)
    journal.mark(entry_id, "accepted", request_id="req-1")
    entry = journal.mark(entry_id, "verified")
    assert (entry.state, entry.attempts, entry.request_ids) == ("verified", 1, ("req-1",))
    assert [h[1] for h in journal.history(entry_id)] == ["pending", "sent", "accepted", "verified"]
    with pytest.raises(JournalError):
        journal.mark(entry_id, "pending")  # a verified change is final
    with pytest.raises(JournalError):
        journal.get(9999)


def test_a_change_moved_by_someone_else_meanwhile_is_not_moved_again(journal: Journal) -> None:
    entry_id = journal.record(DEVICE, DeviceChange(group_tag="NEW"), operator="", tenant="")
    journal.mark(entry_id, "sent", expect="pending")  # this worker wins the send
    with pytest.raises(JournalError):
        journal.mark(entry_id, "sent", expect="pending")  # a second worker must not send it
    assert journal.get(entry_id).state == "sent"
    assert [h[1] for h in journal.history(entry_id)] == ["pending", "sent"]


def test_pending_lists_unfinished_work_oldest_first(journal: Journal) -> None:
    ids = [
        journal.record(DEVICE, DeviceChange(group_tag=f"T{i}"), operator="", tenant="")
        for i in range(4)
    ]
    journal.mark(ids[0], "sent")
    journal.mark(ids[1], "failed", reason="device deleted")
    journal.mark(ids[2], "sent")
    journal.mark(ids[2], "accepted")
    assert [e.id for e in journal.pending()] == [ids[0], ids[2], ids[3]]
    assert [e.id for e in journal.entries(limit=2)] == [ids[3], ids[2]]
    assert [e.id for e in journal.entries(limit=2, offset=2)] == [ids[1], ids[0]]
    assert journal.counts() == {"sent": 1, "failed": 1, "accepted": 1, "pending": 1}


def test_changes_survive_closing_and_a_second_connection_sees_them(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    first = Journal(path)
    entry_id = first.record(DEVICE, DeviceChange(group_tag="NEW"), operator="", tenant="")
    second = Journal(path)  # e.g. the CLI while the GUI runs
    assert second.get(entry_id).state == "pending"
    second.mark(entry_id, "sent")
    assert first.get(entry_id).state == "sent"
    first.close()
    second.close()
    again = Journal(path)
    assert again.get(entry_id).state == "sent"
    assert again.schema_version == len(journal_mod.MIGRATIONS)
    again.close()


def test_a_version_1_file_is_migrated_without_losing_changes(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for statement in journal_mod.MIGRATIONS[0]:
        db.execute(statement)
    db.execute(
        "INSERT INTO changes (device_id, serial, before_json, after_json, operator, tenant, state,"
        " created_at, updated_at) VALUES ('d', 'S1', '{\"group_tag\": \"A\"}',"
        " '{\"group_tag\": \"B\"}', 'op', 't', 'pending', 'x', 'x')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    journal = Journal(path)
    assert journal.schema_version == 2
    (entry,) = journal.pending()
    assert (entry.serial, entry.before, entry.undo_of) == ("S1", {"group_tag": "A"}, None)
    journal.close()


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(JournalError, match="newer version"):
        Journal(path)


def test_threads_can_record_at_once(journal: Journal) -> None:
    def work(n: int) -> None:
        for i in range(20):
            journal.record(DEVICE, DeviceChange(group_tag=f"{n}-{i}"), operator="", tenant="")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(journal.pending()) == 80


def test_export_is_an_audit_record(journal: Journal) -> None:
    entry_id = journal.record(
        DEVICE,
        DeviceChange(group_tag="NEW", user_principal_name="b@contoso.com"),
        operator="op@contoso.com",
        tenant="contoso",
    )
    journal.mark(entry_id, "sent", attempt=True)
    journal.mark(entry_id, "accepted", request_id="8d0f-req")
    out = io.StringIO()
    assert journal.export_csv(out) == 1
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["operator"] == "op@contoso.com"
    assert row["serial"] == "5CG1234XYZ"
    assert row["state"] == "accepted"
    assert row["graph_request_ids"] == "8d0f-req"
    assert "'OLD' → 'NEW'" in row["change"]
    assert "'a@contoso.com' → 'b@contoso.com'" in row["change"]


def test_the_command_line_lists_and_exports_the_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner_app.cli import main
    from scanner_app.commands.journal import journal_path

    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    journal = Journal(journal_path())
    entry_id = journal.record(
        DEVICE, DeviceChange(group_tag="NEW"), operator="op@contoso.com", tenant="contoso"
    )
    journal.mark(entry_id, "failed", reason="device deleted")
    journal.close()
    assert main(["--home", str(tmp_path), "journal", "list"]) == 0
    out = capsys.readouterr().out
    assert f"#{entry_id}" in out and "failed" in out and "'OLD' → 'NEW'" in out
    assert "[contoso]" in out
    target = tmp_path / "audit.csv"
    assert main(["--home", str(tmp_path), "journal", "export", "--csv", str(target)]) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["serial"], r["state"], r["reason"], r["tenant"]) for r in rows] == [
        ("5CG1234XYZ", "failed", "device deleted", "contoso")
    ]


def test_retry_in_demo_leaves_the_real_journal_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Training never sends, re-reads or fails a real change, even for a device the simulated
    tenant has (same id: the demo's seed)."""
    from scanner_app.cli import main
    from scanner_app.commands.journal import journal_path
    from scanner_app.core.tenant_sim.seed import make_devices, make_users

    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    seeded = {d["id"]: d for d in make_devices(40, 1, make_users(60, 1))}  # the demo's devices
    device = AutopilotDevice.from_graph(seeded[sorted(seeded)[0]])
    journal = Journal(journal_path())
    failed = journal.record(device, DeviceChange(group_tag="REAL"), operator="", tenant="a.com")
    journal.mark(failed, "failed", reason="Graph said no")
    waiting = journal.record(device, DeviceChange(display_name="REAL-01"), operator="", tenant="")
    before = [(journal.get(i), journal.history(i)) for i in (failed, waiting)]
    journal.close()
    assert main(["--home", str(tmp_path), "journal", "retry", "--demo"]) == 0
    assert "0 change(s) processed" in capsys.readouterr().out
    journal = Journal(journal_path())
    assert [(journal.get(i), journal.history(i)) for i in (failed, waiting)] == before
    journal.close()


def test_each_tenant_sees_only_its_own_open_work(journal: Journal) -> None:
    old = journal.record(DEVICE, DeviceChange(group_tag="A"), operator="", tenant=" Contoso.com")
    other = journal.record(DEVICE, DeviceChange(group_tag="B"), operator="", tenant="fabrikam.com")
    journal.mark(other, "conflict")
    mine = journal.record(DEVICE, DeviceChange(group_tag="C"), operator="", tenant="contoso.com")
    assert [e.id for e in journal.pending(tenant="CONTOSO.COM")] == [old, mine]
    assert [e.id for e in journal.pending(tenant="fabrikam.com")] == []
    assert [e.id for e in journal.in_state("conflict", tenant="fabrikam.com")] == [other]
    assert journal.in_state("conflict", tenant="contoso.com") == []
    assert [e.id for e in journal.for_device(DEVICE.id, tenant="fabrikam.com")] == [other]
    assert [e.id for e in journal.pending()] == [old, mine]  # no tenant given: all of them


def test_a_training_run_closes_what_earlier_runs_left_open(tmp_path: Path) -> None:
    """Each demo run is a fresh simulated tenant: an earlier run's open change is closed with a
    plain reason, never resumed against the new one; real entries are never touched."""
    from scanner_app.core.journal.tenants import RUN_ENDED, open_journal

    path = tmp_path / "training-journal.sqlite3"
    first, tenant = open_journal("contoso.example", run="1a2b3c4d-0000", path=path)
    assert tenant == "contoso.example (training run 1a2b3c4d)"
    assert journal_mod.is_training(tenant) and not journal_mod.is_training("contoso.example")
    left = [first.record(DEVICE, DeviceChange(group_tag=f"T{i}"), operator="", tenant=tenant)
            for i in range(4)]  # fmt: skip
    first.mark(left[1], "sent")
    first.mark(left[2], "sent")
    first.mark(left[2], "accepted")
    first.mark(left[3], "sent")
    first.mark(left[3], "accepted")
    first.mark(left[3], "verified")
    real = first.record(DEVICE, DeviceChange(group_tag="R"), operator="", tenant="contoso.example")
    first.close()

    second, now = open_journal("contoso.example", run="9f8e7d6c-1111", path=path)
    assert now != tenant
    states = [(second.get(i).state, second.get(i).reason) for i in left]
    assert states[:3] == [("superseded", RUN_ENDED)] * 3
    assert states[3] == ("verified", "")
    assert second.get(real).state == "pending"  # not training: not this journal's to close
    assert second.pending(tenant=now) == []
    mine = second.record(DEVICE, DeviceChange(group_tag="N"), operator="", tenant=now)
    second.close()
    again, same = open_journal("contoso.example", run="9f8e7d6c-1111", path=path)
    assert same == now and again.get(mine).state == "pending"  # the same run goes on
    again.close()


def test_the_audit_export_names_tenants_marks_training_and_escapes_formulas(
    journal: Journal,
) -> None:
    real = journal.record(DEVICE, DeviceChange(group_tag="R"), operator="", tenant="contoso.com")
    journal.mark(real, "failed", reason='=HYPERLINK("http://x")')
    training = journal_mod.training_tenant("contoso.example", "1a2b3c4d")
    journal.record(DEVICE, DeviceChange(group_tag="T"), operator="", tenant=training)
    out = io.StringIO()
    assert journal.export_csv(out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["tenant"], r["training"]) for r in rows] == [
        ("contoso.com", "no"),
        ("contoso.example (training run 1a2b3c4d)", "yes"),
    ]
    assert rows[0]["reason"] == '\'=HYPERLINK("http://x")'
