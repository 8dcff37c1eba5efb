"""`scanner-app bench [SOURCE]`: how fast this machine reads codes from its camera (or a file).

For IT checking a bench PC or a field laptop before a rollout: it streams the source for a few
seconds through the same live decoder and tracker the window uses and prints frames per second,
the decoder's time per frame and what it confirmed. Exit 0 when frames came, 2 when the source
could not be opened.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from typing import Any

from scanner_app.commands._text import visible


def register(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=__doc__)
    parser.add_argument(
        "source",
        nargs="?",
        default="0",
        help="camera index, video file, image folder, stream URL or 'synthetic' (default 0)",
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to stream (5)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def run(args: argparse.Namespace) -> int:
    import cv2

    from scanner_app.core.payload import parse
    from scanner_app.core.tenant_sim.seed import demo_labels
    from scanner_app.core.vision.capture import CaptureError, open_source
    from scanner_app.core.vision.decoding import Decoder
    from scanner_app.core.vision.tracker import Tracker

    labels = demo_labels() if args.source.strip().lower() in {"synthetic", "demo"} else ()
    try:
        source = open_source(args.source, labels)
        source.open()
    except CaptureError as exc:
        print(f"scanner-app bench: {visible(str(exc))}", file=sys.stderr)
        return 2
    decoder, tracker = Decoder(), Tracker()
    times: list[float] = []
    confirmed: list[str] = []
    size = ""
    start = time.monotonic()
    try:
        while time.monotonic() - start < args.seconds:
            frame = source.read()
            if frame is None:
                if getattr(source, "ended", False):
                    break
                continue
            gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            size = f"{gray.shape[1]}x{gray.shape[0]}"
            t0 = time.perf_counter()
            symbols = decoder.decode_frame(gray)
            times.append((time.perf_counter() - t0) * 1000)
            confirmed += [s.text for s in tracker.update(symbols)]
    except CaptureError as exc:
        print(f"scanner-app bench: {visible(str(exc))}", file=sys.stderr)
    finally:
        source.close()
    elapsed = time.monotonic() - start
    result = {
        "source": source.name,
        "frame_size": size,
        "frames": len(times),
        "fps": round(len(times) / elapsed, 1) if elapsed else 0.0,
        "decode_ms_median": round(statistics.median(times), 2) if times else None,
        "decode_ms_p95": round(sorted(times)[int(0.95 * (len(times) - 1))], 2) if times else None,
        "engines": decoder.engines,
        "confirmed": confirmed,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"source      {visible(str(result['source']))} ({size or 'no frame'})")
        print(f"frames      {result['frames']} in {elapsed:.1f} s = {result['fps']} fps")
        median, p95 = result["decode_ms_median"], result["decode_ms_p95"]
        engines = ", ".join(decoder.engines)
        print(f"decode      median {median} ms, p95 {p95} ms per frame ({engines})")
        read = [parse(text).describe() for text in confirmed[:8]]
        print(f"confirmed   {len(confirmed)} code(s): {visible('; '.join(read)) or '-'}")
    return 0 if times else 2
