"""`scanner-app doctor`: readable, correct about this machine, and a useful exit status."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner_app import APP_ID
from scanner_app.cli import main
from scanner_app.commands import doctor
from scanner_app.core import paths
from scanner_app.core.vision.capture import CameraInfo

from .conftest import run_cli


def args(**kw: object) -> argparse.Namespace:
    return argparse.Namespace(**{"demo": False, "config": None, **kw})


def test_doctor_here_reports_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["doctor"])
    out = capsys.readouterr().out
    for section in ("Cameras", "Decoders", "Files", "Sign-in"):
        assert f"\n{section}\n" in out
    assert "zxing-cpp" in out and "pyzbar" in out
    assert str(paths.config_file()) in out
    assert "scanner-app.log" in out
    # Aligned: every check line has its value starting in the same column.
    rows = [line for line in out.splitlines() if line.startswith("  [")]
    columns = {len(line) - len(line[10:].lstrip()) for line in rows}
    assert len(columns) == 1, out
    # The camera may be there or not; without --require-camera a missing one is a warning.
    assert code == 0
    assert out.rstrip().endswith("ready to scan.")


def test_doctor_json_lists_the_same_checks(capsys: pytest.CaptureFixture[str]) -> None:
    main(["doctor", "--json", "--demo"])
    report = json.loads(capsys.readouterr().out)
    names = {(c["section"], c["name"]) for c in report["checks"]}
    assert ("Decoders", "zxing-cpp") in names and ("Files", "log file") in names
    assert {"status", "value", "hint"} <= set(report["checks"][0])
    assert report["ok"] is True
    sign_in = [c for c in report["checks"] if c["section"] == "Sign-in"]
    assert sign_in[0]["value"] == "demo (simulated tenant)"


def test_no_camera_is_a_warning_unless_required() -> None:
    checks = doctor.collect(args(), cameras=lambda: [], engines=lambda: {"zxing-cpp": None})
    camera = next(c for c in checks if c.section == "Cameras" and c.name == "camera")
    assert camera.status == "warn" and "serial" in camera.hint
    assert doctor.exit_code(checks) == 0
    required = doctor.collect(
        args(), require_camera=True, cameras=lambda: [], engines=lambda: {"zxing-cpp": None}
    )
    assert doctor.exit_code(required) == 1


def test_cameras_are_listed_by_name_with_resolutions() -> None:
    cams = [CameraInfo(0, "Logitech BRIO", ((1280, 720), (1920, 1080)))]
    text = doctor.render(doctor.collect(args(), cameras=lambda: cams, engines=lambda: {"x": None}))
    assert "camera 0" in text and "Logitech BRIO" in text and "1280x720, 1920x1080" in text


def test_missing_zbar_is_explained_and_no_engine_at_all_fails() -> None:
    hint = "the zbar library is missing: sudo apt install libzbar0"
    only_zxing = {"zxing-cpp": None, "pyzbar": hint}
    checks = doctor.collect(args(), cameras=lambda: [], engines=lambda: only_zxing)
    assert doctor.exit_code(checks) == 0
    assert hint in doctor.render(checks)
    none = {"zxing-cpp": "not installed", "pyzbar": hint}
    checks = doctor.collect(args(), cameras=lambda: [], engines=lambda: none)
    assert doctor.exit_code(checks) == 1
    assert "something needed is missing" in doctor.render(checks)


def test_unusable_settings_file_is_a_problem(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "config.toml"
    bad.write_text('graph_endpoint = "http://insecure.example"\n')
    code = main(["doctor", "--config", str(bad)])
    out = capsys.readouterr().out
    assert code == 1
    assert "settings" in out and "cannot be used" in out


def test_opencv_is_checked_for_right_answers(capsys: pytest.CaptureFixture[str]) -> None:
    main(["doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    opencv = next(c for c in report["checks"] if c["name"] == "OpenCV")
    assert opencv["status"] == "ok"
    assert opencv["value"].endswith(" ready") and "cameras via" in opencv["hint"]


def test_opencv_missing_is_a_problem_with_a_remedy() -> None:
    code = (
        "import sys; sys.modules['cv2'] = None; from scanner_app.cli import main; "
        "sys.exit(main(['doctor']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "OpenCV" in done.stdout and "cannot be loaded" in done.stdout
    assert "reinstall the app" in done.stdout


# ---- files: where they live, whether they can be written, who else can change them ----------
def row(out: str, name: str) -> tuple[str, str]:
    """The check line named ``name`` in doctor's text, and the hint line under it ('' if none)."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  [") and line[10:].startswith(name):
            after = lines[i + 1] if i + 1 < len(lines) else ""
            return line, (after.strip() if after.startswith(" " * 10) else "")
    raise AssertionError(f"no {name!r} line in:\n{out}")


posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX mode bits (Windows: ACLs)")


@posix_only
def test_a_site_config_every_user_can_change_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site" / "config.toml"
    site.parent.mkdir()
    site.write_text('tenant = "contoso.com"\n')
    site.chmod(0o666)
    monkeypatch.setenv("SCANNER_APP_SITE_CONFIG", str(site))
    ran = run_cli("doctor")
    line, hint = row(ran.out, "site config")
    assert line.startswith("  [warn]") and str(site) in line
    assert hint == f"{site} can be changed by every user (mode 0666): run chmod go-w {site}"
    site.chmod(0o644)
    site.parent.chmod(0o777)  # a folder anyone can write: the file can be replaced
    line, hint = row(run_cli("doctor").out, "site config")
    assert line.startswith("  [warn]") and hint.startswith(f"{site.parent} can be changed by")
    site.parent.chmod(0o1777)  # sticky, like /tmp: others cannot replace a file they do not own
    line, hint = row(run_cli("doctor").out, "site config")
    assert line.startswith("  [info]") and hint == ""


@posix_only
def test_a_user_config_the_group_can_change_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    config = paths.config_file()
    config.write_text("sounds = false\n")
    config.chmod(0o664)
    line, hint = row(run_cli("doctor").out, "config file")
    assert line.startswith("  [warn]") and str(config) in line
    assert hint.startswith(f"{config} can be changed by the group ") and "(mode 0664)" in hint


def test_a_config_saved_by_windows_powershell_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site.toml"
    site.write_bytes(b"\xff\xfe" + 'tenant = "contoso.com"\n'.encode("utf-16-le"))
    monkeypatch.setenv("SCANNER_APP_SITE_CONFIG", str(site))
    ran = run_cli("doctor")
    line, _hint = row(ran.out, "tenant")
    assert line.split() == ["[warn]", "tenant", "not", "configured"]  # read: client_id missing
    assert "cannot be used" not in ran.out


def test_a_home_under_a_regular_file_is_said_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("SCANNER_APP_HOME", str(blocker))
    ran = run_cli("doctor")
    assert ran.code == 1
    line, hint = row(ran.out, "data folder")
    assert line.split() == ["[error]", "data", "folder", "cannot", "be", "created"]
    assert hint.startswith(f"cannot create the data folder {blocker / 'data'} (")
    assert hint.endswith("SCANNER_APP_HOME (or --home) must name a folder you can write")
    assert row(ran.out, "log file")[0].startswith("  [warn]")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")
def test_xdg_data_home_under_a_regular_file_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.delenv("SCANNER_APP_HOME")
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name))
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "share"))
    ran = run_cli("doctor")
    assert ran.code == 1
    line, hint = row(ran.out, "data folder")
    assert line.split()[0] == "[error]"
    assert hint == (
        f"cannot create the data folder {blocker / 'share' / APP_ID} ({blocker} is a file, not "
        "a folder): fix that, or set SCANNER_APP_HOME to a folder you can write"
    )


def read_only_doctor(home: Path) -> subprocess.CompletedProcess[str]:
    """`scanner-app doctor` with ``home`` read-only: a read-only bind mount in a mount namespace
    for root (whom mode bits do not stop), mode 0555 for anyone else."""
    env = {**os.environ, "SCANNER_APP_HOME": str(home)}
    command = [sys.executable, "-m", "scanner_app", "doctor"]
    if os.geteuid() != 0:
        home.chmod(0o555)
    else:
        if shutil.which("unshare") is None:
            pytest.skip("root, and no unshare to make a read-only folder")
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, "sh", str(home), *command]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    if "unshare" in done.stderr or "mount:" in done.stderr:
        pytest.skip(f"no read-only bind mount here: {done.stderr.strip()}")
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


@posix_only
def test_a_read_only_home_is_a_problem_for_the_data_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"  # the folders in it cannot be created
    empty.mkdir()
    done = read_only_doctor(empty)
    assert done.returncode == 1
    line, hint = row(done.stdout, "data folder")
    assert line.split()[0] == "[error]" and "cannot be created" in line
    assert hint.startswith(f"cannot create the data folder {empty / 'data'} (")
    made = tmp_path / "made"  # the folders exist, but nothing can be written in them
    for kind in ("config", "data", "logs", "cache"):
        (made / kind).mkdir(parents=True)
    done = read_only_doctor(made)
    assert done.returncode == 1
    line, hint = row(done.stdout, "data folder")
    assert line.split() == ["[error]", "data", "folder", str(made / "data")]
    assert hint == (
        f"the folder {made / 'data'} cannot be written: changes cannot be recorded, "
        "so none can be applied (look-ups still work)"
    )
    assert row(done.stdout, "config file")[0].startswith("  [warn]")
