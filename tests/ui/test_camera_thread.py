"""The capture loop: newest frame only, a video label confirmed within 3 frames while the
decoder rests with nothing in view, faults shown within a second, reconnect within two seconds
of recovery, and no thread left behind."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2
import numpy as np
from PySide6.QtGui import QImage

from scanner_app.core.models import Symbol
from scanner_app.core.vision.capture import CaptureError, VideoFileSource
from scanner_app.core.vision.decoding import Decoder
from scanner_app.core.vision.synthetic import Script, SyntheticBenchSource
from scanner_app.core.vision.tracker import Tracker
from scanner_app.ui.camera.camera_thread import CameraThread

LABEL = {"serial": "5CG1234XYZ", "qr_text": "5CG1234XYZ", "manufacturer": "HP", "model": "840"}


def numbered(index: int) -> np.ndarray:
    """A tiny frame carrying its index in two grey pixels (grey survives BGR→gray exactly)."""
    frame = np.zeros((24, 32, 3), np.uint8)
    frame[0, 0] = index % 256
    frame[0, 1] = (index // 256) % 256
    return frame


def index_of(gray: np.ndarray) -> int:
    return int(gray[0, 0]) + 256 * int(gray[0, 1])


class Lockstep:
    """A source and a slow decoder in lockstep, so the test knows exactly which frames exist
    while the decoder is busy: the decoder, busy on frame ``a``, finishes only once the source
    has produced ``a + 4``; the source may not run further ahead than that."""

    STEP = 4

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.produced = -1
        self.decoded: list[int] = []
        self.released = False
        self.name, self.fps = "lockstep", 30.0

    def _limit(self) -> int:
        return self.decoded[-1] + self.STEP if self.decoded else 0

    # FrameSource
    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def read(self) -> np.ndarray | None:
        with self.cond:
            while not self.released and self.produced + 1 > self._limit():
                self.cond.wait(0.05)
            self.produced += 1
            self.cond.notify_all()
            return numbered(self.produced)

    # Decoder
    def decode_frame(self, gray: np.ndarray) -> list[Symbol]:
        with self.cond:
            self.decoded.append(index_of(gray))
            self.cond.notify_all()
            target = self.decoded[-1] + self.STEP
            while not self.released and self.produced < target:
                self.cond.wait(0.05)
        return []

    def release(self) -> None:
        with self.cond:
            self.released = True
            self.cond.notify_all()


def test_decoder_always_gets_the_newest_frame(qtbot) -> None:  # type: ignore[no-untyped-def]
    lock = Lockstep()
    # No motion gate: these frames differ in two pixels only, and every one is to be decoded.
    camera = CameraThread(lambda: lock, lock, Tracker(), gate=False)
    camera.start()
    try:
        qtbot.wait_until(lambda: len(lock.decoded) >= 6, timeout=5000)
    finally:
        lock.release()
        assert camera.stop()
    # While the decoder was busy on a, frames a+1..a+4 arrived: only a+4 (the newest) was
    # decoded; the three older ones were dropped.
    assert lock.decoded[:6] == [0, 4, 8, 12, 16, 20]
    assert camera.stats_now.dropped >= 3 * 5
    assert not camera.is_running()


def make_video(path: Path, first_label_frame: int, frames: int) -> Path:
    """A 1080p30 video: an empty desk, then a label held still from ``first_label_frame``."""
    scene = SyntheticBenchSource(
        [LABEL],
        seed=3,
        size=(1920, 1080),
        script=Script(hold_frames=frames, gap_frames=first_label_frame),
    )
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, (1920, 1080))
    for i in range(frames):
        writer.write(scene.render(i))
    writer.release()
    return path


class CountingDecoder(Decoder):
    calls = 0

    def decode_frame(self, image: np.ndarray) -> list[Symbol]:
        self.calls += 1
        return super().decode_frame(image)


def test_label_in_a_1080p30_video_is_confirmed_within_three_frames(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    k = 45
    video = make_video(tmp_path / "bench.avi", k, k + 20)
    source = VideoFileSource(video, realtime=True)
    decoder = CountingDecoder()
    camera = CameraThread(lambda: source, decoder, Tracker())
    shown: list[tuple[QImage, list[Symbol]]] = []
    camera.frame_ready.connect(lambda image, symbols: shown.append((image, symbols)))
    try:
        with qtbot.wait_signal(camera.symbols_confirmed, timeout=5000) as confirmed:
            camera.start()
        frame_on_screen = source.frame_index  # the newest frame captured when the event arrived
        calls_to_confirm = decoder.calls
        qtbot.wait_until(lambda: any(symbols for _, symbols in shown), timeout=3000)
    finally:
        assert camera.stop()
    assert {s.text for s in confirmed.args[0]} == {LABEL["serial"]}
    # The read that confirmed came from one of frames K..K+3 (the decoder works on the newest
    # frame and keeps up with 30 fps) ...
    assert k <= camera.stats_now.last_confirmed_index <= k + 3
    # With the empty desk in view for K frames, the decoder was given the first and its settle
    # frames, then one in a heartbeat; then at most 4 frames with the label.
    gate = camera.gate
    assert gate is not None
    assert calls_to_confirm <= 1 + gate.settle + k // gate.heartbeat + 4 < k
    # ... and reached the GUI thread soon after. On a quiet machine that is by frame K+3 (see
    # benchmarks/capture.py); this shared test machine's scheduling can add a few frames.
    assert frame_on_screen <= k + 6, f"confirmed when frame {frame_on_screen} was captured"
    # The view gets at most 1280 px wide pictures (1080p: halved), with the outline in the
    # picture's coordinates: around the label in the middle of the picture.
    image, symbols = next((i, s) for i, s in shown if s)
    assert (image.width(), image.height()) == (960, 540)
    for s in symbols:
        assert all(200 <= x <= 760 and 100 <= y <= 440 for x, y in s.position)


class World:
    """A camera that can be unplugged and plugged back in by the test."""

    def __init__(self) -> None:
        self.plugged = threading.Event()
        self.plugged.set()
        self.opens = 0
        self.failed_opens = 0

    def factory(self) -> FlakyCamera:
        return FlakyCamera(self)


class FlakyCamera:
    def __init__(self, world: World) -> None:
        self.world, self.name, self.fps = world, "flaky camera", 30.0
        self.n = 0
        self._tick = threading.Event()  # never set: waiting on it paces the reads

    def open(self) -> None:
        if not self.world.plugged.is_set():
            self.world.failed_opens += 1
            raise CaptureError("No camera found (no /dev/video0).", "missing")
        self.world.opens += 1

    def read(self) -> np.ndarray | None:
        if not self.world.plugged.is_set():
            raise CaptureError("Camera 0 stopped sending pictures: was it unplugged?", "unplugged")
        self._tick.wait(1 / 30)  # paced like a 30 fps camera (in the capture thread)
        self.n += 1
        return numbered(self.n)

    def close(self) -> None:
        pass


def test_unplugged_camera_shows_within_1s_and_comes_back_within_2s(qtbot) -> None:  # type: ignore[no-untyped-def]
    world = World()
    camera = CameraThread(world.factory, Decoder(), Tracker())
    states: list[str] = []
    camera.status_changed.connect(lambda state, message: states.append(state))
    try:
        with qtbot.wait_signal(camera.frame_ready, timeout=3000):
            camera.start()
        world.plugged.clear()
        with qtbot.wait_signal(
            camera.status_changed, timeout=1000, check_params_cb=lambda s, m: s == "reconnecting"
        ) as fault:
            pass
        assert "unplugged" in fault.args[1]
        # Out long enough for the retry backoff to grow to its maximum (0.25, 0.5, 1, 1.5 s).
        qtbot.wait_until(lambda: world.failed_opens >= 4, timeout=3000)
        plugged_back = time.monotonic()
        world.plugged.set()
        with qtbot.wait_signal(
            camera.status_changed, timeout=2000, check_params_cb=lambda s, m: s == "live"
        ):
            pass
        assert time.monotonic() - plugged_back < 2.0
        with qtbot.wait_signal(camera.frame_ready, timeout=2000):
            pass
    finally:
        assert camera.stop()
    assert world.opens == 2
    assert not camera.is_running()
    assert states[-1] == "stopped"


def test_no_camera_at_start_says_so_and_keeps_trying(qtbot) -> None:  # type: ignore[no-untyped-def]
    world = World()
    world.plugged.clear()
    camera = CameraThread(world.factory, Decoder(), Tracker())
    try:
        with qtbot.wait_signal(
            camera.status_changed, timeout=1000, check_params_cb=lambda s, m: s == "failed"
        ) as failed:
            camera.start()
        assert failed.args[1] == "No camera found (no /dev/video0)."
        world.plugged.set()
        with qtbot.wait_signal(camera.frame_ready, timeout=2500):
            pass
    finally:
        assert camera.stop()


class HangingCamera(FlakyCamera):
    """A driver that blocks inside read() when the cable is pulled (as MSMF can)."""

    def read(self) -> np.ndarray | None:
        if not self.world.plugged.is_set():
            self.world.plugged.wait(5)  # blocks until plugged back (or the test ends)
        return super().read()


def test_a_read_that_hangs_is_reported_within_1s(qtbot) -> None:  # type: ignore[no-untyped-def]
    world = World()
    camera = CameraThread(lambda: HangingCamera(world), Decoder(), Tracker())
    try:
        with qtbot.wait_signal(camera.frame_ready, timeout=3000):
            camera.start()
        world.plugged.clear()
        started = time.monotonic()
        with qtbot.wait_signal(
            camera.status_changed, timeout=1600, check_params_cb=lambda s, m: s == "reconnecting"
        ):
            pass
        assert time.monotonic() - started < 1.6  # stall_timeout 1 s + one watchdog tick
        world.plugged.set()
        with qtbot.wait_signal(
            camera.status_changed, timeout=2000, check_params_cb=lambda s, m: s == "live"
        ):
            pass
    finally:
        world.plugged.set()
        assert camera.stop()


def test_pause_stops_reading_and_resume_restarts(qtbot) -> None:  # type: ignore[no-untyped-def]
    world = World()
    camera = CameraThread(world.factory, Decoder(), Tracker())
    try:
        with qtbot.wait_signal(camera.frame_ready, timeout=3000):
            camera.start()
        with qtbot.wait_signal(
            camera.status_changed, timeout=1000, check_params_cb=lambda s, m: s == "paused"
        ):
            camera.set_paused(True)
        captured = camera.stats_now.captured
        qtbot.assert_not_emitted(camera.frame_ready, wait=300)
        assert camera.stats_now.captured == captured
        with qtbot.wait_signal(camera.frame_ready, timeout=2000):
            camera.set_paused(False)
        assert camera.status[0] == "live"
    finally:
        assert camera.stop()


def test_rearm_lets_the_same_label_be_confirmed_again(qtbot) -> None:  # type: ignore[no-untyped-def]
    scene = SyntheticBenchSource([LABEL], seed=1, script=Script(hold_frames=10_000, gap_frames=0),
                                 realtime=True)  # fmt: skip
    camera = CameraThread(lambda: scene, Decoder(), Tracker())
    try:
        with qtbot.wait_signal(camera.symbols_confirmed, timeout=5000):
            camera.start()
        with qtbot.wait_signal(camera.symbols_confirmed, timeout=3000) as again:
            camera.rearm()
        assert LABEL["serial"] in {s.text for s in again.args[0]}
    finally:
        assert camera.stop()


def test_a_broken_factory_is_a_status_not_a_crash(qtbot) -> None:  # type: ignore[no-untyped-def]
    def factory() -> VideoFileSource:
        raise CaptureError(
            "'/nope' is not a camera number, a stream URL, a folder or a video file."
        )

    camera = CameraThread(factory, Decoder(), Tracker())
    try:
        with qtbot.wait_signal(camera.status_changed, timeout=1000,
                               check_params_cb=lambda s, m: s == "failed") as failed:  # fmt: skip
            camera.start()
        assert "/nope" in failed.args[1]
    finally:
        assert camera.stop()
    assert camera.status == ("stopped", "Camera off")


def test_camera_can_be_stopped_and_started_again(qtbot) -> None:  # type: ignore[no-untyped-def]
    world = World()
    camera = CameraThread(world.factory, Decoder(), Tracker())
    try:
        for _ in range(2):
            with qtbot.wait_signal(camera.frame_ready, timeout=3000):
                camera.start()
            assert camera.stop()
            assert not camera.is_running()
            assert camera.status[0] == "stopped"
    finally:
        camera.stop()
    assert world.opens == 2


def test_streaming_1080p_with_decoding_leaves_the_gui_thread_free(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Decoding runs off the GUI thread, whose event loop keeps ticking while 1080p30 streams.
    (The 50 ms figure is measured by benchmarks/capture.py; this shared test machine's load
    makes a tight bound here flaky, so this is a guard against gross regressions.)"""
    from PySide6.QtCore import QTimer

    from scanner_app.ui.camera.camera_view import CameraView

    class RecordingDecoder(Decoder):
        threads: set[int] = set()

        def decode_frame(self, image: np.ndarray) -> list[Symbol]:
            self.threads.add(threading.get_ident())
            return super().decode_frame(image)

    scene = SyntheticBenchSource(
        [LABEL], size=(1920, 1080), script=Script(hold_frames=20, gap_frames=10), realtime=True
    )
    decoder = RecordingDecoder()
    camera = CameraThread(lambda: scene, decoder, Tracker())
    view = CameraView()
    qtbot.add_widget(view)
    view.resize(960, 540)
    view.show()
    camera.frame_ready.connect(view.set_frame)
    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer(interval=5)
    ticker.timeout.connect(tick)
    ticker.start()
    try:
        camera.start()
        qtbot.wait_until(lambda: camera.stats_now.shown >= 30, timeout=10_000)
    finally:
        ticker.stop()
        assert camera.stop()
    assert camera.stats_now.decoded >= 10
    assert decoder.threads and threading.get_ident() not in decoder.threads
    ticks = sorted(gaps[3:])
    assert ticks[len(ticks) // 2] < 0.010, "the GUI thread's 5 ms timer keeps its pace"
    assert ticks[-1] < 0.5, f"GUI thread stalled {ticks[-1] * 1000:.0f} ms"
