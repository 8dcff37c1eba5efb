"""The journal fails safe from the command line (issue 16): every journal problem is one line that
names the file and what to do, look-ups go on without a journal, nothing is applied that could
not be recorded, and a damaged journal is kept, recovered and replaced, never overwritten.

Commands run as an operator runs them (``run_cli`` fails a test on any traceback). The tenant is
the HTTPS one of ``bench`` (real sign-in), so a test can check what reached Intune. A read-only
journal is a read-only bind mount in a mount namespace of its own (``unshare -rm``), which stops
root too (``chmod`` does not).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scanner_app.core.journal.journal import Journal
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.payload import parse
from scanner_app.core.tenant_sim.seed import make_devices
from tests.core.journal_files import cut_in_half, filled

from .conftest import Bench, run_cli

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    (tmp_path / "data").mkdir()
    return tmp_path


def demo_serial() -> str:
    """A serial of one demo device alone that reads plainly (assign needs no device id)."""
    serials = [str(d["serialNumber"]) for d in make_devices(40, 1)]  # as --demo seeds it
    return next(s for s in serials if serials.count(s) == 1 and s.isalnum() and s == s.upper()
                and not parse(s).readings)  # fmt: skip


def plain_device(bench: Bench) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for d in bench.tenant.devices.values():
        counts[d["serialNumber"]] = counts.get(d["serialNumber"], 0) + 1
    return next(
        d for d in bench.tenant.devices.values()
        if counts[d["serialNumber"]] == 1 and d["serialNumber"].isalnum()
        and d["serialNumber"] == d["serialNumber"].upper()
        and not parse(d["serialNumber"]).readings
    )  # fmt: skip


def one_line(text: str) -> str:
    (line,) = [line for line in text.splitlines() if line.strip()]
    return line


# ---- damaged ----------------------------------------------------------------------------------
def test_a_truncated_journal_is_listed_as_far_as_it_reads_then_recovered(home: Path) -> None:
    path = home / "data" / "journal.sqlite3"
    filled(path, 120)
    damaged = cut_in_half(path)

    listed = run_cli("journal", "list", "--limit", "500")
    assert listed.code == 1  # the listing is partial: a script must not take it as whole
    shown = listed.out.splitlines()
    assert 0 < len(shown) < 120 and all(line.startswith("#") for line in shown)
    assert one_line(listed.err) == (
        f"scanner-app journal: The change journal {path} is damaged (database disk image is "
        f"malformed): these are the {len(shown)} of its 120 entries that could be read. "
        "`scanner-app journal recover` (or the app's next start) keeps the damaged file beside "
        "it and starts a fresh journal with what could be read."
    )
    exported = run_cli("journal", "export", "--csv", str(home / "audit.csv"))
    assert exported.code == 1
    assert len((home / "audit.csv").read_text().splitlines()) == len(shown) + 1
    assert path.read_bytes() == damaged  # reading changed nothing

    recovered = run_cli("journal", "recover")
    assert recovered.code == 0
    (copy,) = path.parent.glob("journal.damaged-*.sqlite3")
    assert copy.read_bytes() == damaged
    assert one_line(recovered.out).startswith(
        f"The change journal {path} was damaged (database disk image is malformed); it is kept "
        f"as {copy}. {len(shown)} of its 120 entries were recovered into a fresh journal"
    )
    again = run_cli("journal", "list", "--limit", "500")
    assert (again.code, again.out.splitlines(), again.err) == (0, shown, "")
    assert run_cli("journal", "recover").out.strip().endswith("is sound: nothing to recover.")


def test_look_ups_and_changes_go_on_after_a_truncated_training_journal(home: Path) -> None:
    path = home / "data" / "training-journal.sqlite3"
    filled(path, 60)
    cut_in_half(path)
    serial = demo_serial()

    looked = run_cli("lookup", "--demo", serial)
    assert looked.code == 0 and serial in looked.out
    (copy,) = path.parent.glob("training-journal.damaged-*.sqlite3")
    assert one_line(looked.err).startswith(
        f"scanner-app: The change journal {path} was damaged (database disk image is "
        f"malformed); it is kept as {copy}."
    )
    assigned = run_cli("assign", "--demo", serial, "--group-tag", "After-Damage")
    assert (assigned.code, assigned.err) == (0, "")
    assert "Applied and verified" in assigned.out


def test_a_text_file_in_the_journals_place_is_kept_and_the_change_applied(bench: Bench) -> None:
    record = plain_device(bench)
    bench.sign_in_and_remember(record["serialNumber"])
    path = bench_home(bench) / "data" / "journal.sqlite3"
    path.write_text("serial,tag\n5CG1,Kiosk\n")  # a CSV saved over the journal by mistake

    done = bench.cli("assign", record["serialNumber"], "--group-tag", "Kept-Text")
    assert done.code == 0 and "verified" in done.out
    (copy,) = path.parent.glob("journal.damaged-*.sqlite3")
    assert copy.read_text() == "serial,tag\n5CG1,Kiosk\n"
    assert one_line(done.err) == (
        f"scanner-app: The change journal {path} was damaged (file is not a database); it is "
        f"kept as {copy}. Nothing in it could be read as a journal; a fresh journal was started."
    )
    assert bench.tenant.applied_updates(record["id"]) == 1


def bench_home(bench: Bench) -> Path:
    return Path(os.environ["SCANNER_APP_HOME"])


# ---- cannot be written ------------------------------------------------------------------------
def test_a_folder_in_the_journals_place_stops_changes_not_look_ups(bench: Bench) -> None:
    record = plain_device(bench)
    bench.sign_in_and_remember(record["serialNumber"])
    path = bench_home(bench) / "data" / "journal.sqlite3"
    path.unlink()
    path.mkdir()
    said = (
        f"The change journal {path} is a folder, not a file: move that folder away, then "
        "start again."
    )

    for argv in (["journal", "list"], ["journal", "export", "--csv", "-"]):
        ran = run_cli(*argv)
        assert (ran.code, ran.out, one_line(ran.err)) == (1, "", f"scanner-app journal: {said}")
    looked = bench.cli("lookup", record["serialNumber"])
    assert looked.code == 0 and record["id"] in looked.out
    notice = f"scanner-app: {said} Until then look-ups work and nothing is applied."
    assert one_line(looked.err) == notice
    refused = bench.cli("assign", record["serialNumber"], "--group-tag", "Never-Sent")
    assert (refused.code, refused.out, one_line(refused.err)) == (1, "", notice)
    assert bench.tenant.applied_updates(record["id"]) == 0
    assert list(path.iterdir()) == []


def home_under_a_file(tmp_path: Path) -> Path:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    return blocker / "home"


def test_an_unwritable_home_is_one_line_and_look_ups_still_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCANNER_APP_HOME", str(home_under_a_file(tmp_path)))
    for argv in (["journal", "list"], ["journal", "export", "--csv", "-"]):
        ran = run_cli(*argv)
        assert ran.code == 1 and ran.out == ""
        assert one_line(ran.err).startswith("scanner-app journal: cannot create the data folder")
    serial = demo_serial()
    looked = run_cli("lookup", "--demo", serial)
    assert looked.code == 0 and serial in looked.out
    journal = tmp_path / "blocker" / "home" / "data" / "training-journal.sqlite3"
    assert one_line(looked.err).startswith(
        f"scanner-app: The change journal {journal} cannot be created ({tmp_path / 'blocker'} "
        "is a file, not a folder): use --home (or SCANNER_APP_HOME) with a folder you can write"
    )
    refused = run_cli("assign", "--demo", serial, "--group-tag", "X")
    assert (refused.code, refused.out, one_line(refused.err)) == (1, "", one_line(looked.err))


def test_xdg_data_home_under_a_regular_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCANNER_APP_HOME")
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))  # never the real profile
    monkeypatch.setenv("XDG_DATA_HOME", str(home_under_a_file(tmp_path)))
    listed = run_cli("journal", "list")
    assert listed.code == 1 and "cannot create the data folder" in one_line(listed.err)
    looked = run_cli("lookup", "--demo", demo_serial())
    assert looked.code == 0 and "cannot be created" in one_line(looked.err)


def test_a_journal_locked_by_another_program_still_lists(home: Path) -> None:
    path = home / "data" / "journal.sqlite3"
    filled(path, 3)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a database browser in the middle of an edit
    try:
        listed = run_cli("journal", "list")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert listed.code == 0 and [line[:2] for line in listed.out.splitlines()] == ["#3", "#2", "#1"]


def test_a_row_with_broken_json_is_listed_and_never_sent(bench: Bench) -> None:
    record = plain_device(bench)
    bench.sign_in_and_remember(record["serialNumber"])
    path = bench_home(bench) / "data" / "journal.sqlite3"
    journal = Journal(path)
    device = AutopilotDevice.from_graph(record)  # a change still to send, its row then damaged
    journal.record(device, DeviceChange(group_tag="Broken"), operator="op",
                   tenant="contoso.example")  # fmt: skip
    journal.close()
    db = sqlite3.connect(path)
    db.execute("UPDATE changes SET after_json = '{\"group_tag\": ' WHERE id = 1")
    db.commit()
    db.close()

    listed = run_cli("journal", "list")
    assert listed.code == 0
    assert "(this entry cannot be read: unreadable after_json)" in one_line(listed.out)
    retried = bench.cli("journal", "retry")
    assert one_line(retried.err) == (
        f"scanner-app: The change journal {path} has unfinished changes whose record cannot be "
        "read (#1): they were marked failed and never sent; make them again."
    )
    assert retried.code == 0 and bench.tenant.applied_updates(record["id"]) == 0
    assert "failed" in run_cli("journal", "list").out


# ---- read-only --------------------------------------------------------------------------------
def _can_mount_read_only() -> str:
    if shutil.which("unshare") is None:
        return "no unshare command"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /mnt"],
                           capture_output=True, text=True)  # fmt: skip
    return "" if probe.returncode == 0 else f"no mount namespace here: {probe.stderr.strip()}"


@pytest.mark.skipif(bool(_can_mount_read_only()), reason=_can_mount_read_only() or "ok")
@pytest.mark.parametrize("what", ["data", "data/training-journal.sqlite3"])
def test_a_read_only_journal_lists_and_exports_and_applies_nothing(home: Path, what: str) -> None:
    path = home / "data" / "training-journal.sqlite3"
    filled(path, 3)
    before = path.read_bytes()
    target = home / what
    script = (
        f'mount --bind "{target}" "{target}" && mount -o remount,bind,ro "{target}" && '
        f'for argv in "journal list --demo" "journal export --demo --csv -" '
        f'"assign --demo {demo_serial()} --group-tag RO"; do '
        f'"{sys.executable}" -m scanner_app $argv; echo "exit $?"; done'
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True,
                         cwd=REPO, env=env, timeout=120)  # fmt: skip
    assert "Traceback" not in ran.stdout + ran.stderr
    exits = [line for line in ran.stdout.splitlines() if line.startswith("exit ")]
    assert exits == ["exit 0", "exit 0", "exit 1"], ran.stdout + ran.stderr
    assert ran.stdout.count("#") >= 3 and "SER00002" in ran.stdout  # listed and exported
    (told,) = [line for line in ran.stderr.splitlines() if line.startswith("scanner-app:")]
    assert told.startswith(f"scanner-app: The change journal {path} is read-only")
    assert told.endswith("Until then look-ups work and nothing is applied.")
    assert path.read_bytes() == before
