"""`scanner-app decode [--json] PATH...` as DESIGN.md "Interfaces" describes it."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanner_app.commands import decode
from scanner_app.commands.decode import safe

FIXTURES = Path(__file__).parents[1] / "fixtures" / "decoding"
sys.path.insert(0, str(FIXTURES))
import make  # noqa: E402


def main(argv: list[str]) -> int:
    """What scanner_app.cli does for this subcommand (register, parse, run), on its own."""
    parser = argparse.ArgumentParser(prog="scanner-app")
    sub = parser.add_subparsers(dest="command")
    decode.register(sub, "decode", "decode image or video files").set_defaults(run=decode.run)
    args = parser.parse_args(argv)
    return int(args.run(args))


def run_json(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[dict]]:
    code = main(["decode", "--json", *map(str, paths)])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_json_one_object_per_image_with_symbols_and_targets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    qr, two = FIXTURES / "qr_tilted_blurred.png", FIXTURES / "two_code128.png"
    code, lines = run_json(capsys, qr, two)
    assert code == 0
    first, second = lines
    assert first["file"] == str(qr) and first["ms"] > 0
    (symbol,) = first["symbols"]
    assert symbol["text"] == "S/N: 5CG1234XYZ" and symbol["format"] == "QRCode"
    assert len(symbol["position"]) == 4 and all(len(p) == 2 for p in symbol["position"])
    assert "frame" not in symbol  # still images have no frame index
    assert first["targets"] == [{"kind": "serial", "value": "5CG1234XYZ"}]
    assert sorted(s["text"] for s in second["symbols"]) == ["SERIALA001", "SERIALB002"]
    assert sorted(t["value"] for t in second["targets"]) == ["SERIALA001", "SERIALB002"]


def test_human_output_names_the_code_and_what_it_means(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["decode", str(FIXTURES / "datamatrix.png")]) == 0
    out = capsys.readouterr().out
    assert "DataMatrix: SN-DM-0042" in out and "serial SN-DM-0042" in out


def test_a_file_without_code_exits_1_and_a_missing_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, lines = run_json(capsys, FIXTURES / "no_code.png")
    assert code == 1 and lines[0]["symbols"] == [] and lines[0]["targets"] == []
    assert main(["decode", str(tmp_path / "absent.png")]) == 2
    assert "absent.png: no such file" in capsys.readouterr().err
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image at all")
    assert main(["decode", str(junk)]) == 2
    assert "junk.png" in capsys.readouterr().err


def test_unicode_path_and_copied_file_are_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "étiquette 1.png"
    shutil.copy(FIXTURES / "microqr.png", target)
    code, lines = run_json(capsys, target)
    assert code == 0 and lines[0]["symbols"][0]["text"] == "MQ77"


def write_clip(path: Path, code_from: int, frames: int = 10) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (640, 480))
    assert writer.isOpened()
    label = make.symbol("S/N: 5CG1234XYZ", "QRCode", 4)
    for i in range(frames):
        frame = np.full((480, 640), 120, np.uint8)
        if i >= code_from:
            x = 60 + 10 * i
            frame[80 : 80 + label.shape[0], x : x + label.shape[1]] = label
        writer.write(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    writer.release()


def test_video_reports_the_frame_of_each_first_confirmed_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clip = tmp_path / "bench.avi"
    write_clip(clip, code_from=4)
    code, lines = run_json(capsys, clip)
    assert code == 0
    (result,) = lines
    (symbol,) = result["symbols"]  # seen on six frames, reported once
    assert symbol["frame"] == 4 and symbol["text"] == "S/N: 5CG1234XYZ"
    assert result["targets"] == [{"kind": "serial", "value": "5CG1234XYZ"}]
    assert 0 < result["ms"] < 1000
    assert main(["decode", str(clip)]) == 0
    assert "(frame 4)" in capsys.readouterr().out


def test_hostile_text_is_shown_escaped_not_executed_by_the_terminal() -> None:
    shown = safe("SN\u202eDCBA\x1b[2J\n")
    assert "\u202e" not in shown and "\x1b" not in shown and "\n" not in shown
    assert "\\u202e" in shown and "\\u001b" in shown
    assert safe("x" * 500).endswith("...")
