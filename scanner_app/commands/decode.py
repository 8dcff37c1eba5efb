"""`scanner-app decode [--json] PATH...`: what the decoder and the payload parser make of files.

Images are decoded at full effort (``Decoder.decode``); videos frame by frame as the camera loop
does (``Decoder.decode_frame`` + ``Tracker``), so a video file reproduces what the bench saw.
With ``--json``, one JSON object per input file and line (../shared/DESIGN.md, "Interfaces").
A folder stands for the images and videos in it (by name, not its subfolders). Every file is
judged from its header before a pixel is decoded (``core.vision.image_limits``: at most 50
megapixels and 100 MB); a file refused, or not a file at all (a named pipe, a device, a link that
loops), gets one line on stderr and the next file is decoded all the same.
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
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scanner_app.commands._text import visible

if TYPE_CHECKING:
    from scanner_app.core.vision.image_limits import InputRefused

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
    import cv2

    from scanner_app.core.vision.decoding import Decoder
    from scanner_app.core.vision.image_limits import InputRefused

    decoder = Decoder()
    status = 0
    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)  # the line below says it
    try:
        for path in _inputs(args.paths):
            try:
                if isinstance(path, InputRefused):
                    raise path
                result = decode_path(decoder, path)
            except (InputRefused, OSError) as exc:
                reason = exc.reason if isinstance(exc, InputRefused) else str(exc)
                where = Path(path.name) if isinstance(path, InputRefused) else path
                print(
                    f"scanner-app decode: {visible(str(where))}: {visible(reason)}", file=sys.stderr
                )
                status = 2
                continue
            if not result["symbols"]:
                status = max(status, 1)
            if args.json:
                print(json.dumps(result), flush=True)
            else:
                print(human(result), flush=True)
    finally:
        cv2.utils.logging.setLogLevel(level)
    return status


def _inputs(paths: list[Path]) -> Iterator[Path | InputRefused]:
    """Each path, a folder replaced by the images and videos in it (a refusal when it has none
    or cannot be listed)."""
    from scanner_app.core.vision.file_sources import files_in
    from scanner_app.core.vision.image_limits import IMAGE_SUFFIXES, InputRefused

    for path in paths:
        if not path.is_dir():
            yield path
            continue
        try:
            files = files_in(path, IMAGE_SUFFIXES | VIDEO_SUFFIXES)
        except OSError as exc:
            yield InputRefused(str(path), f"a folder that cannot be read: {exc.strerror or exc}")
            continue
        if not files:
            yield InputRefused(str(path), "a folder with no image or video in it")
        yield from files


def decode_path(decoder: Any, path: Path) -> dict[str, Any]:
    """The JSON-ready result for one file; InputRefused (or OSError) when it is not read."""
    from scanner_app.core.vision import image_io, image_limits

    header = image_limits.inspect(path)  # refuses what is not a file, or too big, from headers
    if header is None:
        if path.suffix.lower() in image_limits.IMAGE_SUFFIXES:
            raise image_limits.InputRefused(
                path.name, f"not an image the app can read ({image_limits.IMAGE_FORMATS})"
            )
        return _decode_video(decoder, path)
    try:
        image = image_io.read_gray(path)
    except image_io.ImageReadError:
        raise image_limits.InputRefused(
            path.name, f"a {header.format} that cannot be decoded: damaged or cut short"
        ) from None
    t0 = time.perf_counter()
    symbols = decoder.decode(image)
    ms = (time.perf_counter() - t0) * 1000.0
    return _result(path, ms, [(s, None) for s in symbols])


def _decode_video(decoder: Any, path: Path) -> dict[str, Any]:
    import cv2

    from scanner_app.core.vision.image_limits import IMAGE_FORMATS, check_frame
    from scanner_app.core.vision.tracker import Tracker

    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        capture.release()
        raise OSError(f"not a {IMAGE_FORMATS} image or a video the app can read")
    try:  # the frame size from the container, before a frame is decoded
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        check_frame(width, int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)), path.name)
    except BaseException:
        capture.release()
        raise
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
            check_frame(frame.shape[1], frame.shape[0], path.name)  # a size that changes
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


def human(result: dict[str, Any]) -> str:
    symbols = result["symbols"]
    video = any("frame" in s for s in symbols)
    per = "per frame (median)" if video else ""
    name = visible(result["file"])
    lines = [f"{name}: {len(symbols)} code(s), {result['ms']:.1f} ms {per}".rstrip()]
    for symbol, target in zip(symbols, result["targets"], strict=True):
        where = f" (frame {symbol['frame']})" if "frame" in symbol else ""
        meaning = target.get("reason") or f"{target['kind']} {visible(target['value'], 40)}"
        lines.append(
            f"  {symbol['format']}{where}: {visible(symbol['text'], 120)}\n    -> {meaning}"
        )
    return "\n".join(lines)
