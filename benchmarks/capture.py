"""Capture benchmark: 1080p30 video streamed through the real CameraThread into a real window.

    uv run python benchmarks/capture.py [--frames 450] [--hold 90] [--gap 60] [--idle 300] [--json]

Two 1080p30 MJPG videos are generated in a temporary folder from the synthetic bench scene in
script mode and played at their own pace (30 fps) through ``CameraThread`` with the real
``Decoder`` and ``Tracker``, into a shown ``CameraView`` in an offscreen QApplication:

1. *nothing in view*: ``idle`` frames of the empty desk (what a field laptop does all day);
2. *labels entering*: ``gap`` empty frames, then a label held still for ``hold`` frames, again
   and again (a new label each time), so label ``i`` first appears at a known frame K_i.

Printed:

- CPU in cores (CPU time / wall time) for each thread: video decoding (the capture thread's time
  inside ``source.read()``, which a real camera's driver does instead), the rest of the capture
  loop (hand-off, display scaling), the decode loop, and the GUI thread (painting); then the
  whole process. Linux and macOS measure each thread's own CPU clock; elsewhere only the total.
- per label: K, the frame whose read confirmed it (counted from K: 0 = its first frame in view),
  the frame being captured when the confirmed-read event reached the GUI thread, and the delay
  in ms (from the moment frame K was read to the event's arrival);
- the GUI thread's longest stall: a 5 ms QTimer records the gaps between its ticks; the stall is
  the longest gap beyond the interval.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from scanner_app.core.vision.capture import VideoFileSource  # noqa: E402
from scanner_app.core.vision.synthetic import Script, SyntheticBenchSource  # noqa: E402

LABELS: list[dict[str, str | None]] = [
    {"serial": "5CG1234XYZ", "qr_text": "5CG1234XYZ", "manufacturer": "HP", "model": "840 G9"},
    {"serial": "PF3ABCDE", "qr_text": None, "manufacturer": "LENOVO", "model": "T14 Gen 4"},
    {"serial": "SZNY6CL", "qr_text": "SZNY6CL", "manufacturer": "Dell Inc.", "model": "7010"},
    {"serial": "MXL9876QRS", "qr_text": None, "manufacturer": "HP", "model": "Z2 G9"},
]


def write_video(path: Path, frames: int, script: Script) -> None:
    scene = SyntheticBenchSource(LABELS, seed=7, size=(1920, 1080), script=script)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, (1920, 1080))
    if not writer.isOpened():
        raise SystemExit("OpenCV cannot write MJPG video here")
    for i in range(frames):
        writer.write(scene.render(i))
    writer.release()


class TimedSource(VideoFileSource):
    """Remembers when each frame index was read (to time the label's first frame), and the
    capture thread's CPU time spent decoding the video (pacing sleeps cost no CPU)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, realtime=True)
        self.read_at: dict[int, float] = {}
        self.video_cpu = 0.0

    def read(self) -> np.ndarray | None:
        t0 = time.thread_time()
        frame = super().read()
        self.video_cpu += time.thread_time() - t0
        if frame is not None:
            self.read_at[self.frame_index] = time.monotonic()
        return frame


def thread_cpu() -> dict[str, float]:
    """CPU seconds of the camera's loop threads so far, by thread name (empty where the OS gives
    no per-thread clock)."""
    out: dict[str, float] = {}
    getclock = getattr(time, "pthread_getcpuclockid", None)
    for t in threading.enumerate():
        if t.name in ("capture", "decode") and t.ident is not None and getclock is not None:
            try:
                out[t.name] = time.clock_gettime(getclock(t.ident))
            except OSError:  # the thread ended meanwhile
                pass
    return out


def idle_baseline(seconds: float) -> dict[str, Any]:
    """The same event-loop gap measurement with nothing streaming: what the machine alone does
    to the GUI thread (on a shared, loaded machine the OS itself causes stalls)."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    gaps: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer(interval=5)
    ticker.setTimerType(Qt.TimerType.PreciseTimer)

    def tick() -> None:
        gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()

    ticker.timeout.connect(tick)
    clock.start()
    ticker.start()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    ticker.stop()
    gaps = gaps[3:]
    return {
        "idle_longest_stall_ms": round(max(gaps) - 5.0, 1),
        "idle_p99_gap_ms": round(sorted(gaps)[int(len(gaps) * 0.99)], 1),
    }


def run(frames: int, script: Script) -> dict[str, Any]:
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from scanner_app.core.vision.decoding import Decoder
    from scanner_app.core.vision.tracker import Tracker
    from scanner_app.ui.camera.camera_thread import CameraThread
    from scanner_app.ui.camera.camera_view import CameraView

    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "bench-1080p30.avi"
        write_video(video, frames, script)
        app = QApplication.instance() or QApplication([])
        source = TimedSource(video)
        camera = CameraThread(lambda: source, Decoder(), Tracker())
        view = CameraView()
        view.resize(960, 540)
        view.show()
        camera.frame_ready.connect(view.set_frame)
        camera.status_changed.connect(view.set_status)
        camera.symbols_confirmed.connect(view.mark_confirmed)

        events: list[dict[str, Any]] = []

        def confirmed(symbols: list[Any]) -> None:
            events.append(
                {
                    "at": time.monotonic(),
                    "capturing": source.frame_index,
                    "decoded": camera.stats_now.last_confirmed_index,
                    "texts": sorted({s.text for s in symbols}),
                }
            )

        camera.symbols_confirmed.connect(confirmed)
        gaps: list[float] = []
        clock = QElapsedTimer()
        ticker = QTimer(interval=5)
        ticker.setTimerType(Qt.TimerType.PreciseTimer)

        def tick() -> None:
            gaps.append(clock.nsecsElapsed() / 1e6)
            at.append(time.monotonic())
            clock.restart()

        at: list[float] = []
        ticker.timeout.connect(tick)
        end: dict[str, Any] = {}

        def sample() -> None:  # CPU clocks at the end of the video, loop threads still alive
            end.update(
                wall=time.monotonic(), cpu=time.process_time(), gui=time.thread_time(),
                threads=thread_cpu(), video=source.video_cpu,
            )  # fmt: skip

        def finished(state: str, _message: str) -> None:
            if state == "ended":
                sample()
                app.quit()

        camera.status_changed.connect(finished)
        wall0, cpu0, gui0 = time.monotonic(), time.process_time(), time.thread_time()
        clock.start()
        ticker.start()
        camera.start()
        QTimer.singleShot(int(frames / 30 * 4000) + 20_000, app.quit)  # safety net
        app.exec()
        ticker.stop()
        if not end:
            sample()
        camera.stop()
        view.close()

    wall = end["wall"] - wall0
    threads = end["threads"]
    cores: dict[str, float | None] = {"process": (end["cpu"] - cpu0) / wall}
    cores["gui_thread"] = (end["gui"] - gui0) / wall
    cores["video_decoding"] = end["video"] / wall
    if "capture" in threads and "decode" in threads:
        capture, decode = (threads["capture"] - end["video"]) / wall, threads["decode"] / wall
        cores.update(capture_loop=capture, decode_loop=decode, loops=capture + decode)
    worst = sorted(zip(gaps[3:], at[3:], strict=True), reverse=True)[:5]
    gaps = gaps[3:]  # the first ticks include start-up
    labels = []
    slot = 0
    while script.first_frame(slot) < frames:
        k = script.first_frame(slot)
        serial = LABELS[slot % len(LABELS)]["serial"]
        event = next((e for e in events if serial in e["texts"] and e["decoded"] >= k), None)
        row: dict[str, Any] = {"serial": serial, "K": k}
        if event is not None and k in source.read_at:
            row.update(
                confirmed_on=event["decoded"] - k,
                confirmed_while_capturing=event["capturing"],
                decoded_frame=event["decoded"],
                delay_frames=event["capturing"] - k,
                delay_ms=round((event["at"] - source.read_at[k]) * 1000, 1),
            )
        labels.append(row)
        slot += 1
    stats = camera.stats_now
    return {
        "video": {"size": "1920x1080", "fps": 30, "frames": frames},
        "labels": labels,
        "gui_longest_stall_ms": round(max(gaps) - 5.0, 1) if gaps else None,
        "gui_p99_gap_ms": round(sorted(gaps)[int(len(gaps) * 0.99)], 1) if gaps else None,
        "cores": {k: None if v is None else round(v, 3) for k, v in cores.items()},
        "wall_s": round(wall, 2),
        "captured": stats.captured,
        "decoded": stats.decoded,
        "dropped": stats.dropped,
        "shown": stats.shown,
        "median_gap_ms": round(statistics.median(gaps), 1) if gaps else None,
        "worst_gaps_ms_at_s": [(round(g, 1), round(t - wall0, 2)) for g, t in worst],
    }


PARTS = (
    ("video_decoding", "video decode"),
    ("capture_loop", "capture loop"),
    ("decode_loop", "decode loop"),
    ("loops", "both loops"),
    ("gui_thread", "GUI thread"),
    ("process", "process"),
)


def print_cores(name: str, result: dict[str, Any]) -> None:
    cells = "".join(
        f"{'-' if result['cores'].get(k) is None else result['cores'][k]:>14}" for k, _ in PARTS
    )
    print(f"{name:<18}{cells}   decoded {result['decoded']} of {result['captured']} frames")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=450)
    parser.add_argument("--hold", type=int, default=90)
    parser.add_argument("--gap", type=int, default=60)
    parser.add_argument("--idle", type=int, default=300, help="frames of the empty desk")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    empty = Script(hold_frames=1, gap_frames=args.idle + 1)  # no label before the video ends
    result: dict[str, Any] = {"nothing_in_view": run(args.idle, empty)}
    labelled = run(args.frames, Script(hold_frames=args.hold, gap_frames=args.gap))
    result["labels_entering"] = labelled
    result.update(idle_baseline(5.0))
    result.update(
        load_average_1min_before=None if load is None else round(load, 2),
        load_average_1min_after=round(os.getloadavg()[0], 2) if load is not None else None,
        cpu_count=os.cpu_count(),
    )
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"1080p30 video: {args.idle} frames with nothing in view; then {args.frames} frames, "
          f"labels held {args.hold}, gap {args.gap}")  # fmt: skip
    print("CPU in cores (CPU time / wall time), by thread:")
    print(f"{'':<18}" + "".join(f"{title:>14}" for _, title in PARTS))
    print_cores("nothing in view", result["nothing_in_view"])
    print_cores("labels entering", labelled)
    print("Labels entering view (K = the label's first frame in view):")
    print(f"{'label':<12}{'K':>5}{'confirmed on':>14}{'event at frame':>16}{'delay (ms)':>12}")
    for row in labelled["labels"]:
        if "delay_frames" in row:
            print(
                f"{row['serial']:<12}{row['K']:>5}{'K+' + str(row['confirmed_on']):>14}"
                f"{row['confirmed_while_capturing']:>16}{row['delay_ms']:>12}"
            )
        else:
            print(f"{row['serial']:<12}{row['K']:>5}{'not confirmed':>14}")
    print(
        f"GUI thread longest stall: {labelled['gui_longest_stall_ms']} ms "
        f"(p99 tick gap {labelled['gui_p99_gap_ms']} ms, median {labelled['median_gap_ms']} ms)"
    )
    print(
        f"GUI thread with nothing streaming (5 s): longest stall "
        f"{result['idle_longest_stall_ms']} ms (p99 tick gap {result['idle_p99_gap_ms']} ms)"
    )
    print(f"worst GUI tick gaps (ms, at s): {labelled['worst_gaps_ms_at_s']}")
    print(
        f"machine: {result['cpu_count']} CPUs, load average (1 min) "
        f"{result['load_average_1min_before']} before, {result['load_average_1min_after']} after"
    )
    print(
        f"frames (labels run): captured {labelled['captured']}, decoded {labelled['decoded']}, "
        f"dropped {labelled['dropped']}, shown {labelled['shown']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
