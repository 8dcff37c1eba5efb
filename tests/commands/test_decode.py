"""`scanner-app decode [--json] PATH...` as DESIGN.md "Interfaces" describes it."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanner_app.commands import decode
from scanner_app.commands._text import visible
from tests.core.bombs import avi_mjpeg, flat_jpeg, png_bomb

from .conftest import run_cli

FIXTURES = Path(__file__).parents[1] / "fixtures" / "decoding"
sys.path.insert(0, str(FIXTURES))
import make  # noqa: E402


def said(lines: list[str]) -> list[str]:
    """What decode said about its inputs: without the zbar library the app also says, once,
    that its second engine cannot run (as it must), which is not about any file."""
    return [line for line in lines if "pyzbar cannot run" not in line]


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
    shown = visible("SN\u202eDCBA\x1b[2J\n", 120)
    assert "\u202e" not in shown and "\x1b" not in shown and "\n" not in shown
    assert "\\u202e" in shown and "\\x1b" in shown
    assert visible("x" * 500, 120).endswith("...")


# ---- hostile and odd inputs (issue 16) ---------------------------------------------------------
unix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
LIMIT = "over the 50 MP limit for a photo: crop it to the label or save it smaller"


def test_an_image_bomb_gets_one_line_and_exit_2_and_the_next_file_is_still_decoded(
    tmp_path: Path,
) -> None:
    bomb = png_bomb(tmp_path / "bomb.png", 8000, 8000)  # 60 KB on disk, 64 MB decoded
    ran = run_cli("decode", str(bomb), str(FIXTURES / "datamatrix.png"))
    assert ran.code == 2
    assert said(ran.err_lines) == [f"scanner-app decode: {bomb}: 8000x8000 pixels (64 MP), {LIMIT}"]
    assert "DataMatrix: SN-DM-0042" in ran.out


def test_a_video_whose_frames_are_too_big_is_refused_before_a_frame_is_decoded(
    tmp_path: Path,
) -> None:
    clip = tmp_path / "clip.avi"
    clip.write_bytes(avi_mjpeg([flat_jpeg(16000, 16000)] * 2, 16000, 16000))
    ran = run_cli("decode", "--json", str(clip), str(FIXTURES / "microqr.png"))
    assert ran.code == 2
    assert said(ran.err_lines) == [
        f"scanner-app decode: {clip}: video frames of 16000x16000 pixels (256 MP), over the "
        "50 MP limit: record or export it at a lower resolution"
    ]
    assert [json.loads(line)["symbols"][0]["text"] for line in ran.out.splitlines()] == ["MQ77"]


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="peak memory of a child: os.wait4")
def test_memory_stays_under_600_mb_for_bombs_and_a_3_gb_file(tmp_path: Path) -> None:
    bomb = png_bomb(tmp_path / "bomb.png", 20000, 20000)  # 390 KB, 400 MB decoded
    sparse = tmp_path / "sparse.png"
    with sparse.open("wb") as f:
        f.truncate(3 * 1024**3)
    clip = tmp_path / "clip.avi"
    clip.write_bytes(avi_mjpeg([flat_jpeg(16000, 16000)] * 2, 16000, 16000))
    photo = FIXTURES / "qr_tilted_blurred.png"
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    env = {**os.environ, "SCANNER_APP_HOME": str(tmp_path / "home")}
    argv = [sys.executable, "-m", "scanner_app", "decode", str(bomb), str(sparse), str(clip)]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen([*argv, str(photo)], stdout=stdout, stderr=stderr, env=env)
        _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    assert peak_mb < 600, f"peak {peak_mb:.0f} MB"
    lines = said(err.read_text().splitlines())
    assert "Traceback" not in err.read_text()
    assert child.returncode == 2
    assert [line.split(": ", 2)[1] for line in lines] == [str(bomb), str(sparse), str(clip)]
    assert "20000x20000 pixels (400 MP)" in lines[0]
    assert "3.2 GB, over the 100 MB limit for an image file" in lines[1]
    assert "S/N: 5CG1234XYZ" in out.read_text()  # the file after them all was decoded


def test_a_folder_is_read_image_by_image(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(FIXTURES / "datamatrix.png", folder / "b.png")
    shutil.copy(FIXTURES / "microqr.png", folder / "a.PNG")
    (folder / "notes.txt").write_text("not a photo")
    (folder / "older").mkdir()
    ran = run_cli("decode", "--json", str(folder))
    assert ran.code == 0 and said(ran.err_lines) == []
    results = [json.loads(line) for line in ran.out.splitlines()]
    assert [(Path(r["file"]).name, r["symbols"][0]["text"]) for r in results] == [
        ("a.PNG", "MQ77"),
        ("b.png", "SN-DM-0042"),
    ]
    (tmp_path / "empty").mkdir()
    ran = run_cli("decode", str(tmp_path / "empty"))
    assert ran.code == 2
    assert said(ran.err_lines) == [
        f"scanner-app decode: {tmp_path / 'empty'}: a folder with no image or video in it"
    ]


@unix_only
def test_what_is_not_an_image_file_says_what_it_is(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.png")  # reading it would block for ever
    (tmp_path / "loop.png").symlink_to("loop.png")
    (tmp_path / "null.png").symlink_to(os.devnull)
    (tmp_path / "notes.png").write_text("S/N 5CG1234XYZ, to scan tomorrow\n")
    names = ["pipe.png", "loop.png", "null.png", "notes.png"]
    ran = run_cli("decode", *(str(tmp_path / n) for n in names), str(FIXTURES / "microqr.png"))
    assert ran.code == 2
    assert said(ran.err_lines) == [
        f"scanner-app decode: {tmp_path / 'pipe.png'}: a named pipe (FIFO), not a file: "
        "save what it carries to a file and use that",
        f"scanner-app decode: {tmp_path / 'loop.png'}: a symbolic link that loops back on "
        "itself: point it at the real file",
        f"scanner-app decode: {tmp_path / 'null.png'}: a link to /dev/null, a device, not a file",
        f"scanner-app decode: {tmp_path / 'notes.png'}: a text file, not a PNG, JPEG, BMP, "
        "TIFF, WebP or GIF image or a video",
    ]
    assert "MQ77" in ran.out


@unix_only  # Windows forbids control characters in file names
def test_a_file_name_holding_terminal_escapes_is_shown_escaped(tmp_path: Path) -> None:
    evil = tmp_path / "label\x1b]0;pwned\x07\x1b[2J\u202egnp.png"
    shutil.copy(FIXTURES / "datamatrix.png", evil)
    bomb = png_bomb(tmp_path / "bomb\x1b[2J.png", 8000, 8000)
    ran = run_cli("decode", str(evil), str(bomb))
    assert ran.code == 2
    for text in (ran.out, ran.err):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert ran.out.splitlines()[0].startswith(
        f"{tmp_path}/label\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp.png: 1 code(s)"
    )
    assert said(ran.err_lines) == [
        f"scanner-app decode: {tmp_path}/bomb\\x1b[2J.png: 8000x8000 pixels (64 MP), {LIMIT}"
    ]
