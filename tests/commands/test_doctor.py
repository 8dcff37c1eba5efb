"""`scanner-app doctor`: readable, correct about this machine, and a useful exit status."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from scanner_app.cli import main
from scanner_app.commands import doctor
from scanner_app.core import paths
from scanner_app.core.capture import CameraInfo


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
