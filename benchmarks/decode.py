"""Decoder benchmark: our Decoder against plain zxing-cpp and plain pyzbar, same images, same run.

    uv run python benchmarks/decode.py [--quick] [--dataset DIR]

1. Real photos (../shared/datasets/qr-photos, scored as its README says): reads per folder, wrong
   reads, median and p95 ms per image, from a grayscale image already in memory.
2. Live frames: median ms per frame at 1280x720 and 1920x1080, with no code and with one small
   code, ``Decoder.decode_frame`` against a plain zxing-cpp full-frame pass.
3. A generated 1080p30 clip where a small label slides into view: frames from "fully in view" to
   the Tracker's confirmation.
4. Many codes in one image: generated sheets of small QR codes, and the BoofCV ``lots`` photos
   four to one image (zxing-cpp stops at 255 results, failed candidates included).

Every engine is asked for the same five symbologies (pyzbar reads only three of them) and runs
single-threaded. Timings on shared machines drift ~20% between runs: compare within one run.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanner_app.core.models import SYMBOLOGIES, Symbol  # noqa: E402
from scanner_app.core.vision.decoding import Decoder  # noqa: E402
from scanner_app.core.vision.engines import available_engines  # noqa: E402
from scanner_app.core.vision.engines.zbar import PyzbarEngine  # noqa: E402
from scanner_app.core.vision.engines.zxing import quad_of  # noqa: E402
from scanner_app.core.vision.tracker import Tracker  # noqa: E402

DATASET = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "qr-photos"
Reader = Callable[[np.ndarray], list[Symbol]]


def plain_zxing() -> Reader:
    fmts = zxingcpp.barcode_formats_from_str(",".join(SYMBOLOGIES))

    def read(gray: np.ndarray) -> list[Symbol]:
        return [
            Symbol(r.text, r.format.name, quad_of(r.position), "zxing-cpp", bytes(r.bytes))
            for r in zxingcpp.read_barcodes(gray, formats=fmts)
        ]

    return read


def readers() -> dict[str, Reader]:
    out: dict[str, Reader] = {"decoder": Decoder().decode, "zxing-cpp": plain_zxing()}
    if available_engines()["pyzbar"] is None:
        out["pyzbar"] = PyzbarEngine(SYMBOLOGIES).read
    return out


def load_folder(folder: Path, limit: int | None) -> list[tuple[str, np.ndarray, dict[str, Any]]]:
    truth = json.loads((folder / "ground_truth.json").read_text())["images"]
    out = []
    for name in sorted(truth)[:limit]:
        flags = cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION  # labels ignore EXIF
        img = cv2.imread(str(folder / name), flags)
        if img is not None:
            out.append((name, img, truth[name]))
    return out


def score(symbols: list[Symbol], truth: dict[str, Any]) -> tuple[int, int, int]:
    """(codes read, codes labelled, wrong reads) for one image, per the dataset README."""
    if "expected" in truth:
        ok = any(s.text == truth["expected"] for s in symbols)
        # Some photos hold a second, real code (a label with two barcodes): a wrong read is an
        # image where codes were returned and none of them is the expected one.
        return int(ok), 1, int(bool(symbols) and not ok)
    hits = 0
    for quad in truth["quads"]:
        poly = np.array(quad, np.float32)
        if any(
            s.format == "QRCode" and cv2.pointPolygonTest(poly, s.centre, False) >= 0
            for s in symbols
        ):
            hits += 1
    return hits, len(truth["quads"]), 0


def timed(read: Reader, img: np.ndarray) -> tuple[list[Symbol], float]:
    t0 = time.perf_counter()
    syms = read(img)
    return syms, (time.perf_counter() - t0) * 1000.0


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def bench_photos(root: Path, quick: bool) -> None:
    rs = readers()
    names = list(rs)
    folders = sorted(p.parent for p in root.glob("*/*/ground_truth.json"))
    if quick:
        folders = [f for f in folders if f.name in QUICK_FOLDERS]
    head = f"{'folder':24s}" + "".join(f"{n:>26s}" for n in names)
    print("\n== Real photos: reads/labelled (wrong) median/p95 ms ==")
    print(head)
    totals: dict[str, dict[str, list[Any]]] = {}
    for folder in folders:
        group = folder.parent.name
        images = load_folder(folder, 8 if quick else None)
        row = f"{group + '/' + folder.name:24s}"
        for n in names:
            hit = tot = wrong = 0
            times: list[float] = []
            for _name, img, truth in images:
                syms, ms = timed(rs[n], img)
                a, b, c = score(syms, truth)
                hit, tot, wrong = hit + a, tot + b, wrong + c
                times.append(ms)
            t = totals.setdefault(group, {}).setdefault(n, [0, 0, 0, []])
            t[0], t[1], t[2] = t[0] + hit, t[1] + tot, t[2] + wrong
            t[3].extend(times)
            cell = f"{hit}/{tot} ({wrong}) {statistics.median(times):.1f}/{pct(times, 95):.0f}"
            row += f"{cell:>26s}"
        print(row, flush=True)
    for group, per in totals.items():
        row = f"{'TOTAL ' + group:24s}"
        for n in names:
            hit, tot, wrong, times = per[n]
            cell = f"{hit}/{tot}={100 * hit / tot:.1f}% ({wrong}) {statistics.median(times):.1f}"
            row += f"{cell:>26s}"
        print(row)
    print("\nStill-image time per image over every photo (ms, median / p95; ratio to zxing-cpp):")
    every = {n: [t for per in totals.values() for t in per[n][3]] for n in names}
    base = statistics.median(every["zxing-cpp"])
    for n in names:
        med = statistics.median(every[n])
        print(f"  {n:10s} {med:8.1f} / {pct(every[n], 95):8.1f}   x{med / base:.2f}")


QUICK_FOLDERS = {"blurred", "bright_spots", "glare", "damaged", "qrcode-2", "qrcode-4", "code39-2"}


def scene(size: tuple[int, int], seed: int) -> np.ndarray:
    """A webcam-like bench: noisy gray background, a laptop lid, printed text, no code."""
    w, h = size
    rng = np.random.default_rng(seed)
    img = np.full((h, w), 110, np.uint8)
    cv2.rectangle(img, (w // 8, h // 5), (w * 5 // 8, h * 4 // 5), 60, -1)
    cv2.rectangle(img, (w // 6, h // 4), (w // 6 + w // 5, h // 4 + h // 8), 225, -1)
    cv2.putText(img, "Latitude 5440  S/N", (w // 6 + 8, h // 4 + 40), 0, w / 1600, 20, 2)
    noise = rng.normal(0, 6, img.shape)
    return cv2.GaussianBlur(np.clip(img + noise, 0, 255).astype(np.uint8), (3, 3), 0)


def label(text: str, module_px: int, fmt: str = "QRCode") -> np.ndarray:
    """A small printed label: a symbol (``module_px`` pixels per module) with a white margin."""
    bc = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat[fmt])
    img: np.ndarray = np.asarray(
        zxingcpp.write_barcode_to_image(bc, scale=module_px), dtype=np.uint8
    )
    if fmt in ("Code128", "Code39"):  # a label-sized bar height, not the writer's default
        img = cv2.resize(img, (img.shape[1], 40 * module_px), interpolation=cv2.INTER_NEAREST)
    return cv2.copyMakeBorder(img, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=245)


def paste(frame: np.ndarray, patch: np.ndarray, x: int, y: int) -> np.ndarray:
    out = frame.copy()
    h, w = patch.shape
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(frame.shape[1], x + w), min(frame.shape[0], y + h)
    if x1 > x0 and y1 > y0:
        out[y0:y1, x0:x1] = patch[y0 - y : y1 - y, x0 - x : x1 - x]
        out[y0:y1, x0:x1] = cv2.GaussianBlur(out[y0:y1, x0:x1], (3, 3), 0)
    return out


def bench_frames(quick: bool) -> None:
    n = 15 if quick else 45
    plain = plain_zxing()
    print("\n== Live frames: median ms per frame (reads in last frame) ==")
    print(f"{'frame':28s}{'decode_frame':>16s}{'plain zxing-cpp':>18s}{'ratio':>8s}")
    small = label("5CG1234XYZ", 2)
    for size in ((1280, 720), (1920, 1080)):
        for with_code in (False, True):
            frames = [scene(size, s) for s in range(5)]
            if with_code:
                frames = [paste(f, small, size[0] * 2 // 3, size[1] // 2) for f in frames]
            dec = Decoder()
            tm: dict[str, list[float]] = {"d": [], "p": []}
            got = {"d": 0, "p": 0}
            for i in range(n):
                f = frames[i % len(frames)]
                syms, ms = timed(dec.decode_frame, f)
                tm["d"].append(ms)
                got["d"] = len(syms)
                syms, ms = timed(plain, f)
                tm["p"].append(ms)
                got["p"] = len(syms)
            d, p = statistics.median(tm["d"]), statistics.median(tm["p"])
            name = f"{size[0]}x{size[1]} {'one small code' if with_code else 'no code'}"
            print(f"{name:28s}{d:>11.2f} ({got['d']}){p:>13.2f} ({got['p']}){d / p:>8.2f}")


CLIP_LABELS = (
    ("QR, 3 px/module", "5CG1234XYZ", 3, "QRCode"),
    ("QR, 2 px/module", "5CG1234XYZ", 2, "QRCode"),
    ("Code 128, 2 px/module", "5CG1234XYZ", 2, "Code128"),
    ("Code 39, 2 px/module", "PF3ABCD1", 2, "Code39"),
)


def clip(patch: np.ndarray, background: np.ndarray, n: int = 60) -> list[tuple[np.ndarray, int]]:
    """Frames of a label sliding in from the left at 40 px/frame (smeared over 5 px while it
    moves), then held still at x=700. With each frame its state: 0 partly out of view,
    1 wholly in view and moving, 2 held still."""
    out, x = [], -patch.shape[1]
    kernel = np.full((1, 5), 1 / 5)
    for _ in range(n):
        frame = paste(background, patch, x, 500)
        if x < 700:
            frame = cv2.filter2D(frame, -1, kernel)
        out.append((frame, 0 if x < 0 else 1 if x < 700 else 2))
        x = min(700, x + 40)
    return out


def bench_clip(quick: bool) -> None:
    """Frame on which the Tracker confirms the label, counted from when it is held still."""
    print("\n== Entering label: 1080p30, slides in at 40 px/frame (5 px smear), then held ==")
    print("frames held still until confirmed (1 = the first still frame; 'moving' = read before)")
    print(f"{'label':24s}{'decoder':>12s}{'zxing-cpp plain':>18s}")
    background = scene((1920, 1080), 7)
    for title, text, module_px, fmt in CLIP_LABELS[:2] if quick else CLIP_LABELS:
        frames = clip(label(text, module_px, fmt), background)
        row = f"{title:24s}"
        for width, read in ((12, Decoder().decode_frame), (18, plain_zxing())):
            tracker = Tracker()
            still = 0
            result = "never"
            for frame, state in frames:
                still += state == 2
                if tracker.update(read(frame)):
                    result = str(still) if still else "moving"
                    break
            row += f"{result:>{width}s}"
        print(row)


def sheet(n: int, per_row: int = 20) -> np.ndarray:
    tiles = [cv2.copyMakeBorder(label(f"SN{i:05d}", 2)[12:-12, 12:-12], 6, 6, 6, 6,
                                cv2.BORDER_CONSTANT, value=255) for i in range(n)]  # fmt: skip
    return np.vstack([np.hstack(tiles[i : i + per_row]) for i in range(0, n, per_row)])


def bench_sheets(root: Path) -> None:
    print("\n== Many codes in one image: codes read (ms) ==")
    print(f"{'image':36s}{'decoder':>16s}{'zxing-cpp plain':>18s}")
    cases: list[tuple[str, np.ndarray, int, list[Any] | None]] = [
        (f"sheet of {n} QR, 2 px/module", sheet(n), n, None) for n in (60, 160, 240)
    ]
    lots = root / "boofcv" / "lots"
    if lots.is_dir():
        (a, qa), (b, qb), (c, qc) = [(img, t["quads"]) for _, img, t in load_folder(lots, 3)]
        h, w = a.shape
        quads = [[[x + dx, y + dy] for x, y in q] for qs, dx, dy in
                 ((qa, 0, 0), (qb, w, 0), (qc, 0, h), (qb, w, h)) for q in qs]  # fmt: skip
        mosaic = np.vstack([np.hstack([a, b]), np.hstack([c, b])])
        cases.append(("BoofCV lots, 4 photos in one", mosaic, len(quads), quads))
    for title, img, n, truth in cases:
        row = f"{title:36s}"
        for width, read in ((16, Decoder().decode), (18, plain_zxing())):
            syms, ms = timed(read, img)
            hits = (
                len({s.text for s in syms}) if truth is None else score(syms, {"quads": truth})[0]
            )
            row += f"{f'{hits}/{n} ({ms:.0f})':>{width}s}"
        print(row, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick",
        action="store_true",
        help="a subset: 8 images of each of the hardest folders (its time ratios are not the "
        "acceptance figures: those come from a full run)",
    )
    ap.add_argument("--dataset", type=Path, default=DATASET)
    ap.add_argument("--skip-photos", action="store_true")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    print(
        f"machine: {platform.node()} {platform.machine()} {_cpu()}, "
        f"python {platform.python_version()}"
    )
    versions = ", ".join(
        f"{p} {_version(p)}" for p in ("zxing-cpp", "pyzbar", "opencv-python-headless")
    )
    print(f"{versions}; engines usable here: {available_engines()}")
    if not args.skip_photos:
        if args.dataset.is_dir():
            bench_photos(args.dataset.resolve(), args.quick)
        else:
            print(f"(no dataset at {args.dataset}: photo section skipped)")
    bench_frames(args.quick)
    bench_clip(args.quick)
    bench_sheets(args.dataset.resolve())
    return 0


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    raise SystemExit(main())
