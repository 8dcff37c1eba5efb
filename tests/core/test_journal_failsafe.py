"""A journal that fails safe (issue 16): whatever the file is, the app says so in one line naming
it, keeps a damaged one, recovers what can be read, and applies nothing it could not record.

Every case is a real file: truncated as a full disk or an interrupted copy leaves it, a text file
or a folder in its place, another program's write lock, a row with broken JSON.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from scanner_app.core.bench import BenchFlow, BenchState
from scanner_app.core.journal.journal import (
    Journal,
    JournalDamaged,
    JournalError,
    JournalUnavailable,
)
from scanner_app.core.journal.recovery import open_for_work
from scanner_app.core.models import DeviceChange, Resolution, ScanTarget
from tests.core.journal_files import NOW, cut_in_half, device, filled


def test_a_truncated_journal_is_kept_and_what_can_be_read_goes_into_a_fresh_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    states = filled(path, 300)
    damaged = cut_in_half(path)
    with pytest.raises(JournalDamaged, match="journal.sqlite3 is damaged"):
        Journal(path)  # what every command met before: "database disk image is malformed"

    opened = open_for_work(path, now=lambda: NOW)
    journal = opened.journal
    copies = list(tmp_path.glob("journal.damaged-*.sqlite3"))
    assert len(copies) == 1 and copies[0].read_bytes() == damaged  # kept, byte for byte
    recovered = {e.id: e for e in journal.entries(limit=1000)}
    assert 0 < len(recovered) < 300
    assert all(states[i] == e.state and e.after == {"group_tag": f"T{i - 1}"}
               for i, e in recovered.items())  # fmt: skip
    still_open = [e.id for e in journal.pending()]
    assert still_open == sorted(i for i, e in recovered.items() if e.state == "pending")
    assert opened.notice == (
        f"The change journal {path} was damaged (database disk image is malformed); it is kept "
        f"as {copies[0]}. {len(recovered)} of its 300 entries were recovered into a fresh "
        f"journal ({len(still_open)} of them not finished yet)."
    )
    history = journal.history(still_open[0])
    assert history[-1][2].startswith("recovered from the damaged journal journal.damaged-")
    new = journal.record(device(999), DeviceChange(group_tag="N"), operator="", tenant="c")
    assert new == 301  # no id of a lost entry is ever handed out again
    journal.close()
    assert open_for_work(path).notice == ""  # sound from now on


def test_a_text_file_in_the_journals_place_is_kept_and_a_fresh_journal_started(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_text("notes from the bench, saved over the journal by mistake\n")
    opened = open_for_work(path)
    (copy,) = tmp_path.glob("journal.damaged-*.sqlite3")
    assert copy.read_text().startswith("notes from the bench")
    assert opened.journal.problem is None and opened.journal.entries() == []
    assert "file is not a database" in opened.notice and str(copy) in opened.notice
    assert "Nothing in it could be read as a journal; a fresh journal was started" in opened.notice
    opened.journal.close()


def test_an_empty_file_is_simply_an_empty_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.touch()
    opened = open_for_work(path)
    assert (opened.notice, opened.journal.problem, opened.journal.entries()) == ("", None, [])
    opened.journal.close()
    path.write_bytes(b"")
    reading = Journal(path, read_only=True)  # journal list on an empty file
    assert reading.entries() == []
    reading.close()


def test_a_folder_in_the_journals_place_leaves_look_ups_and_refuses_recording(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    path.mkdir()
    opened = open_for_work(path)
    assert opened.notice == (
        f"The change journal {path} is a folder, not a file: move that folder away, then start "
        "again. Until then look-ups work and nothing is applied."
    )
    journal = opened.journal
    assert journal.entries() == [] and journal.pending() == []
    with pytest.raises(JournalUnavailable, match="is a folder"):
        journal.record(device(1), DeviceChange(group_tag="X"), operator="", tenant="c")
    assert path.is_dir() and list(path.iterdir()) == []  # nothing written anywhere
    journal.close()


def test_a_journal_whose_folder_cannot_be_made_says_which_file_is_in_the_way(
    tmp_path: Path,
) -> None:
    (tmp_path / "home").write_text("a file where the app's home folder should be")
    path = tmp_path / "home" / "data" / "journal.sqlite3"
    opened = open_for_work(path)
    assert opened.journal.problem is not None
    assert opened.notice.startswith(
        f"The change journal {path} cannot be created ({tmp_path / 'home'} is a file, not a "
        "folder): use --home (or SCANNER_APP_HOME) with a folder you can write"
    )


def test_a_journal_locked_by_another_program_is_read_but_not_written(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    filled(path, 4)
    other = sqlite3.connect(path, isolation_level=None)  # a database browser mid-edit
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(JournalUnavailable) as raised:
            Journal(path, busy_timeout_s=0.05)
        assert str(raised.value) == (
            f"The change journal {path} is locked by another program: close it (another "
            "scanner-app, a database browser), then try again."
        )
        reading = Journal(path, read_only=True)  # journal list and export still work
        assert [e.id for e in reading.entries()] == [4, 3, 2, 1]
        reading.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_row_with_broken_json_is_listed_and_never_sent(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    filled(path, 3)  # #1 pending, #2 and #3 verified
    db = sqlite3.connect(path)
    db.execute('UPDATE changes SET after_json = \'{"group_tag": "T\' WHERE id = 1')
    db.execute("UPDATE changes SET request_ids = 'not json' WHERE id = 2")
    db.commit()
    db.close()

    opened = open_for_work(path)
    journal = opened.journal
    assert opened.notice == (
        f"The change journal {path} has unfinished changes whose record cannot be read (#1): "
        "they were marked failed and never sent; make them again."
    )
    first, second = journal.get(1), journal.get(2)
    assert first.state == "failed" and first.damage == "unreadable after_json"
    assert first.summary() == "(this entry cannot be read: unreadable after_json)"
    assert second.state == "verified" and second.damage == "unreadable request_ids"
    assert journal.pending() == []
    with pytest.raises(JournalError, match="cannot be read"):
        journal.mark(1, "pending", reason="retried by the operator")
    raw = sqlite3.connect(path).execute("SELECT after_json FROM changes WHERE id=1").fetchone()
    assert raw == ('{"group_tag": "T',)  # the damaged value is kept as it was, for the audit
    journal.close()


def test_the_bench_refuses_apply_and_says_why_when_changes_cannot_be_recorded() -> None:
    clock = [100.0]
    flow = BenchFlow(lambda: clock[0])
    problem = "The change journal /x/journal.sqlite3 is read-only: make it writable."
    flow.set_journal_problem(problem)
    flow.set_group_tag("Kiosk")
    target = ScanTarget("serial", "SER00001")
    request = flow.scan(target).lookup
    assert request is not None  # look-ups go on
    found = flow.lookup_result(request.ticket, Resolution(target, devices=(device(1),)))
    assert found.state is BenchState.FOUND and not found.apply_enabled
    said = f"Not applied to SER00001: changes cannot be recorded. {problem}"
    assert found.banner.text() == said
    clock[0] += 5.0
    decision = flow.press_apply()
    assert decision.send is None and decision.refusal is not None
    assert decision.refusal.text() == said
