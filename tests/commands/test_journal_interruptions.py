"""What an operator's shell does to the journal commands (issue 16): an export aimed at a folder
or a missing one, output piped into ``head``, Ctrl+C in the middle of a change, and the
self-test on a journal that is damaged or cannot be written. One line each, never a traceback,
nothing lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.core.journal_files import cut_in_half, filled

from .conftest import Bench, run_cli
from .test_journal_failsafe import bench_home, one_line, plain_device

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    filled(tmp_path / "data" / "journal.sqlite3", 400)
    return tmp_path


def app(*argv: str, **options: Any) -> subprocess.Popen[str]:
    """``scanner-app ARGV`` in a process of its own, as a shell starts it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.Popen([sys.executable, "-m", "scanner_app", *argv], cwd=REPO, env=env,
                            text=True, **options)  # fmt: skip


# ---- export targets ---------------------------------------------------------------------------
def test_an_export_into_a_missing_folder_or_onto_a_folder_is_one_line(home: Path) -> None:
    missing = home / "no-such-folder" / "audit.csv"
    ran = run_cli("journal", "export", "--csv", str(missing))
    assert (ran.code, ran.out) == (2, "")
    assert one_line(ran.err) == (
        f"scanner-app journal: cannot write {missing}: the folder {missing.parent} does not "
        "exist; create it first, or choose another"
    )
    assert not missing.parent.exists()
    folder = home / "exports"
    folder.mkdir()
    ran = run_cli("journal", "export", "--csv", str(folder))
    assert (ran.code, ran.out) == (2, "")
    assert one_line(ran.err) == (
        f"scanner-app journal: cannot write {folder}: it is a folder; give a file name, such as "
        f"{folder / 'journal.csv'}"
    )
    assert list(folder.iterdir()) == []


# ---- a pipe closed early ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv", [("journal", "list", "--limit", "400"), ("journal", "export", "--csv", "-")]
)
def test_output_piped_into_a_reader_that_stops_early_ends_quietly(
    home: Path, argv: tuple[str, ...]
) -> None:
    process = app(*argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()  # `| head -1`: one line read, then the reader is gone
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (141, "")  # 128 + SIGPIPE, as `cat` in a pipe


# ---- Ctrl+C -----------------------------------------------------------------------------------
def test_ctrl_c_while_a_change_is_sent_leaves_it_journaled_and_applied_once(
    bench: Bench,
) -> None:
    record = plain_device(bench)
    bench.sign_in_and_remember(record["serialNumber"])
    main_thread = threading.main_thread().ident
    assert main_thread is not None
    serve = bench.tenant.serve

    def ctrl_c_once_the_write_is_in(req: Any, raw_body: bytes, host: str) -> Any:
        answer = serve(req, raw_body, host)
        if req.method == "POST" and req.path.endswith("/updateDeviceProperties"):
            signal.pthread_kill(main_thread, signal.SIGINT)  # the operator's Ctrl+C
        return answer

    bench.tenant.serve = ctrl_c_once_the_write_is_in  # type: ignore[method-assign]
    try:
        ran = bench.cli("assign", record["serialNumber"], "--group-tag", "Ctrl-C")
    finally:
        del bench.tenant.serve  # the tenant answers as before
    assert (ran.code, ran.out) == (130, "")
    assert one_line(ran.err) == (
        f"scanner-app: cancelled: change #1 for {record['serialNumber']} is in the journal "
        "(sent); `scanner-app journal retry` finishes it, checking Intune first."
    )
    path = bench_home(bench) / "data" / "journal.sqlite3"
    check = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()
    assert check == ("ok",)
    assert bench.tenant.applied_updates(record["id"]) == 1  # it reached Intune before Ctrl+C

    retried = bench.cli("journal", "retry")
    assert retried.code == 0 and "verified" in retried.out
    assert bench.tenant.applied_updates(record["id"]) == 1  # re-read, seen, never sent again
    state = sqlite3.connect(path).execute("SELECT state FROM changes WHERE id=1").fetchone()
    assert state == ("verified",)


# ---- the self-test ----------------------------------------------------------------------------
def test_the_self_test_recovers_a_truncated_training_journal_and_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    path = tmp_path / "data" / "training-journal.sqlite3"
    filled(path, 90)
    damaged = cut_in_half(path)
    out, err = app("--demo", "--self-test", stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE).communicate(timeout=120)  # fmt: skip
    assert "self-test: passed" in out, out + err
    assert "Traceback" not in out + err
    (copy,) = path.parent.glob("training-journal.damaged-*.sqlite3")
    assert copy.read_bytes() == damaged
    told = [line for line in err.splitlines() if line.startswith("scanner-app:")]
    assert len(told) == 1 and told[0].startswith(
        f"scanner-app: The change journal {path} was damaged (database disk image is malformed)"
    )


def test_the_self_test_fails_in_one_line_when_no_change_can_be_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    path = tmp_path / "data" / "training-journal.sqlite3"
    path.mkdir(parents=True)
    process = app("--demo", "--self-test", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1 and "Traceback" not in out + err
    assert out.splitlines()[-1] == (
        "self-test: Apply was refused: Not applied to "
        f"{out.split('Not applied to ')[1].split(':')[0]}: changes cannot be recorded. The change "
        f"journal {path} is a folder, not a file: move that folder away, then start again."
    )
    assert list(path.iterdir()) == []
