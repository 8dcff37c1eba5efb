"""Capture benchmark: a 1080p30 video streamed through the real CameraThread into a real window.

    uv run python benchmarks/capture.py [--frames 450] [--hold 90] [--gap 60] [--json]

A 1080p30 MJPG video is generated in a temporary folder from the synthetic bench scene in script
mode: ``gap`` empty frames, then a label held still for ``hold`` frames, again and again (a new
label each time), so label ``i`` first appears at a known frame K_i. It is played at its own
pace (30 fps) through ``CameraThread`` with the real ``Decoder`` and ``Tracker``, into a shown
``CameraView`` in an offscreen QApplication. Printed:

- per label: K, the frame being captured when the confirmed-read event reached the GUI thread,
  the delay in frames and in ms (from the moment frame K was read to the event's arrival);
- the GUI thread's longest stall: a 5 ms QTimer records the gaps between its ticks; the stall is
  the longest gap beyond the interval;
- CPU use: process CPU time / wall time while streaming (capture, video decoding, barcode
  decoding and painting together), in cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from scanner_app.core.capture import VideoFileSource  # noqa: E402
from scanner_app.core.synthetic import Script, SyntheticBenchSource  # noqa: E402

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
    """Remembers when each frame index was read (to time the label's first frame)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, realtime=True)
        self.read_at: dict[int, float] = {}

    def read(self) -> np.ndarray | None:
        frame = super().read()
        if frame is not None:
            self.read_at[self.frame_index] = time.monotonic()
        return frame


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


def run(frames: int, hold: int, gap: int) -> dict[str, Any]:
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from scanner_app.core.decoding import Decoder
    from scanner_app.core.tracker import Tracker
    from scanner_app.ui.camera_thread import CameraThread
    from scanner_app.ui.camera_view import CameraView

    script = Script(hold_frames=hold, gap_frames=gap)
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

        def finished(state: str, _message: str) -> None:
            if state == "ended":
                app.quit()

        camera.status_changed.connect(finished)
        wall0, cpu0 = time.monotonic(), time.process_time()
        clock.start()
        ticker.start()
        camera.start()
        QTimer.singleShot(int(frames / 30 * 4000) + 20_000, app.quit)  # safety net
        app.exec()
        ticker.stop()
        wall, cpu = time.monotonic() - wall0, time.process_time() - cpu0
        camera.stop()
        view.close()

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
                confirmed_while_capturing=event["capturing"],
                decoded_frame=event["decoded"],
                delay_frames=event["capturing"] - k,
                delay_ms=round((event["at"] - source.read_at[k]) * 1000, 1),
            )
        labels.append(row)
        slot += 1
    stats = camera.stats_now
    return {
        "video": {"size": "1920x1080", "fps": 30, "frames": frames, "hold": hold, "gap": gap},
        "labels": labels,
        "gui_longest_stall_ms": round(max(gaps) - 5.0, 1) if gaps else None,
        "gui_p99_gap_ms": round(sorted(gaps)[int(len(gaps) * 0.99)], 1) if gaps else None,
        "cpu_cores": round(cpu / wall, 2),
        "wall_s": round(wall, 2),
        "captured": stats.captured,
        "decoded": stats.decoded,
        "dropped": stats.dropped,
        "shown": stats.shown,
        "median_gap_ms": round(statistics.median(gaps), 1) if gaps else None,
        "worst_gaps_ms_at_s": [(round(g, 1), round(t - wall0, 2)) for g, t in worst],
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "cpu_count": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=450)
    parser.add_argument("--hold", type=int, default=90)
    parser.add_argument("--gap", type=int, default=60)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.frames, args.hold, args.gap)
    result.update(idle_baseline(5.0))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"1080p30 video, {args.frames} frames; label held {args.hold}, gap {args.gap}")
    print(f"{'label':<12}{'K':>5}{'event at frame':>16}{'delay (frames)':>16}{'delay (ms)':>12}")
    for row in result["labels"]:
        if "delay_frames" in row:
            print(
                f"{row['serial']:<12}{row['K']:>5}{row['confirmed_while_capturing']:>16}"
                f"{row['delay_frames']:>16}{row['delay_ms']:>12}"
            )
        else:
            print(f"{row['serial']:<12}{row['K']:>5}{'not confirmed':>16}")
    print(
        f"GUI thread longest stall: {result['gui_longest_stall_ms']} ms "
        f"(p99 tick gap {result['gui_p99_gap_ms']} ms, median {result['median_gap_ms']} ms)"
    )
    print(
        f"CPU: {result['cpu_cores']} cores on average over {result['wall_s']} s "
        f"(capture + video decode + barcode decode + painting)"
    )
    print(
        f"GUI thread with nothing streaming (5 s): longest stall "
        f"{result['idle_longest_stall_ms']} ms (p99 tick gap {result['idle_p99_gap_ms']} ms)"
    )
    print(f"worst GUI tick gaps (ms, at s): {result['worst_gaps_ms_at_s']}")
    print(f"machine: {result['cpu_count']} CPUs, load average {result['load_average_1min']}")
    print(
        f"frames: captured {result['captured']}, decoded {result['decoded']}, "
        f"dropped {result['dropped']}, shown {result['shown']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
