"""`scanner-app decode [--json] PATH...`: what the decoder and the payload parser make of files.

Images are decoded at full effort (``Decoder.decode``); videos frame by frame as the camera loop
does (``Decoder.decode_frame`` + ``Tracker``), so a video file reproduces what the bench saw.
With ``--json``, one JSON object per input file and line (../shared/DESIGN.md, "Interfaces").
Exit status: 0 when every file held a code, 1 when some file held none, 2 when some file could
not be read.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv"}


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name,
        help=help_text,
        description=f"{help_text}. Images are read at full effort; videos frame by frame as the "
        "camera would be, reporting the frame on which each code was first confirmed. Exit "
        "status 0 when every file held a code, 1 when one held none, 2 when one was unreadable.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file and line")
    parser.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="image or video")
    return parser


def run(args: argparse.Namespace) -> int:
    from scanner_app.core.decoding import Decoder

    decoder = Decoder()
    status = 0
    for path in args.paths:
        try:
            result = decode_path(decoder, path)
        except OSError as exc:
            print(f"scanner-app decode: {path}: {exc}", file=sys.stderr)
            status = 2
            continue
        if not result["symbols"]:
            status = max(status, 1)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(human(result), flush=True)
    return status


def decode_path(decoder: Any, path: Path) -> dict[str, Any]:
    """The JSON-ready result for one file; OSError when it is neither image nor video."""
    if not path.is_file():
        raise OSError("no such file")
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return _decode_video(decoder, path)
    image = _read_image(path)
    if image is None:
        return _decode_video(decoder, path)  # an image suffix OpenCV cannot read: try video
    t0 = time.perf_counter()
    symbols = decoder.decode(image)
    ms = (time.perf_counter() - t0) * 1000.0
    return _result(path, ms, [(s, None) for s in symbols])


def _read_image(path: Path) -> Any:
    import cv2
    import numpy as np

    data = np.fromfile(str(path), dtype=np.uint8)  # imread cannot open non-ASCII paths on Windows
    if data.size == 0:
        return None
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def _decode_video(decoder: Any, path: Path) -> dict[str, Any]:
    import cv2

    from scanner_app.core.tracker import Tracker

    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise OSError("not an image or video file OpenCV can read")
    decoder.reset()
    tracker = Tracker()
    times: list[float] = []
    confirmed: list[tuple[Any, int | None]] = []
    frame_no = 0
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            t0 = time.perf_counter()
            symbols = decoder.decode_frame(frame)
            times.append((time.perf_counter() - t0) * 1000.0)
            confirmed.extend((s, frame_no) for s in tracker.update(symbols))
            frame_no += 1
    finally:
        capture.release()
    if not times:
        raise OSError("no frame could be read")
    return _result(path, statistics.median(times), confirmed)


def _result(path: Path, ms: float, symbols: list[tuple[Any, int | None]]) -> dict[str, Any]:
    from scanner_app.core.payload import SequenceAssembler

    assembler = SequenceAssembler()  # multi-block Autopilot codes: one per file
    out_symbols: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    for symbol, frame in symbols:
        item: dict[str, Any] = {
            "text": symbol.text,
            "format": symbol.format,
            "position": [[round(x, 1), round(y, 1)] for x, y in symbol.position],
        }
        if frame is not None:
            item["frame"] = frame
        out_symbols.append(item)
        targets.append(_target(assembler.feed(symbol.text)))
    return {"file": str(path), "ms": round(ms, 2), "symbols": out_symbols, "targets": targets}


def _target(target: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": target.kind, "value": target.value}
    if target.kind == "rejected":
        out["reason"] = target.reason
    if target.serial:
        out["serial"] = target.serial
    if target.progress is not None:
        out["progress"] = list(target.progress)
    return out


def safe(text: str, limit: int = 120) -> str:
    """Text fit for a terminal: control and bidirectional characters shown as escapes."""
    shown = "".join(
        c if c == " " or unicodedata.category(c)[0] not in "CZ" else f"\\u{ord(c):04x}"
        for c in text[:limit]
    )
    return shown + ("..." if len(text) > limit else "")


def human(result: dict[str, Any]) -> str:
    symbols = result["symbols"]
    video = any("frame" in s for s in symbols)
    per = "per frame (median)" if video else ""
    lines = [f"{result['file']}: {len(symbols)} code(s), {result['ms']:.1f} ms {per}".rstrip()]
    for symbol, target in zip(symbols, result["targets"], strict=True):
        where = f" (frame {symbol['frame']})" if "frame" in symbol else ""
        meaning = target.get("reason") or f"{target['kind']} {safe(target['value'], 40)}"
        lines.append(f"  {symbol['format']}{where}: {safe(symbol['text'])}\n    -> {meaning}")
    return "\n".join(lines)
