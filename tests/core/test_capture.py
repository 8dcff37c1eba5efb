"""Frame sources: what a user typing a camera, a file, a folder or a URL gets."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanner_app.core.vision.capture import (
    CameraInfo,
    CameraSource,
    CaptureError,
    FrameSource,
    ImageFolderSource,
    StreamSource,
    VideoFileSource,
    _linux_cameras,
    list_cameras,
    open_source,
)
from scanner_app.core.vision.synthetic import SyntheticBenchSource


def write_video(path: Path, frames: int, size: tuple[int, int] = (160, 120)) -> Path:
    """A small MJPG video whose frame ``i`` is a flat grey of value ``i * 10``."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, size)
    assert writer.isOpened()
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), i * 10, np.uint8))
    writer.release()
    return path


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_video_file_gives_every_frame_in_order_then_ends(tmp_path: Path) -> None:
    source = VideoFileSource(write_video(tmp_path / "clip.avi", 6), realtime=False)
    source.open()
    levels = []
    while (frame := source.read()) is not None:
        levels.append(round(float(frame.mean()) / 10))
        assert frame.dtype == np.uint8 and frame.shape == (120, 160, 3)
    source.close()
    assert levels == [0, 1, 2, 3, 4, 5]
    assert source.frame_index == 5 and source.ended
    assert source.fps == pytest.approx(30.0)


def test_video_file_realtime_is_paced_at_the_file_fps(tmp_path: Path) -> None:
    clock = FakeClock()
    source = VideoFileSource(write_video(tmp_path / "clip.avi", 4), clock=clock, sleep=clock.sleep)
    source.open()
    for _ in range(4):
        assert source.read() is not None
    # The first frame is due at once; each next one 1/30 s later.
    assert clock.now - 100.0 == pytest.approx(3 / 30.0)


def test_video_file_loops_when_asked(tmp_path: Path) -> None:
    source = VideoFileSource(write_video(tmp_path / "clip.avi", 3), realtime=False, loop=True)
    source.open()
    levels = [round(float(source.read().mean()) / 10) for _ in range(7)]  # type: ignore[union-attr]
    assert levels == [0, 1, 2, 0, 1, 2, 0]


def test_missing_or_bad_video_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="not found") as missing:
        VideoFileSource(tmp_path / "nope.mp4").open()
    assert missing.value.kind == "file"
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"this is not a video")
    with pytest.raises(CaptureError, match="junk.mp4"):
        VideoFileSource(junk).open()


def test_image_folder_in_name_order_looping(tmp_path: Path) -> None:
    for name, level in [("b.png", 20), ("a.png", 10), ("c.jpg", 30)]:
        cv2.imwrite(str(tmp_path / name), np.full((40, 50, 3), level, np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    slept: list[float] = []
    source = ImageFolderSource(tmp_path, fps=4.0, sleep=slept.append)
    source.open()
    levels = [round(float(source.read().mean())) for _ in range(4)]  # type: ignore[union-attr]
    assert levels == [10, 20, 30, 10]
    assert slept == [0.25] * 4


def test_empty_image_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="No images"):
        ImageFolderSource(tmp_path).open()


def test_missing_camera_gives_a_human_message_fast() -> None:
    started = time.monotonic()
    with pytest.raises(CaptureError) as err:
        CameraSource(57).open()
    assert time.monotonic() - started < 2.0
    assert err.value.kind in {"missing", "busy"}
    assert "camera" in str(err.value).lower()


def test_stream_down_gives_a_human_message_fast() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    source = StreamSource(f"http://user:secret@127.0.0.1:{port}/video", timeout_s=1.0)
    with pytest.raises(CaptureError) as err:
        source.open()
    assert time.monotonic() - started < 5.0
    assert err.value.kind == "stream_down"
    assert "secret" not in str(err.value) and "secret" not in source.name


def test_open_source_understands_what_users_type(tmp_path: Path) -> None:
    video = write_video(tmp_path / "clip.avi", 2)
    assert isinstance(open_source("synthetic"), SyntheticBenchSource)
    assert isinstance(open_source(" 1 "), CameraSource)
    assert isinstance(open_source("rtsp://10.0.0.5:8554/cam"), StreamSource)
    assert isinstance(open_source("http://phone.local:8080/video"), StreamSource)
    assert isinstance(open_source(str(tmp_path)), ImageFolderSource)
    assert isinstance(open_source(str(video)), VideoFileSource)
    with pytest.raises(CaptureError, match="not a camera number"):
        open_source(str(tmp_path / "missing.mp4"))
    for spec in ["synthetic", "0", str(video), str(tmp_path)]:
        assert isinstance(open_source(spec), FrameSource)


def test_open_source_passes_labels_to_the_synthetic_scene() -> None:
    source = open_source("synthetic", [{"serial": "ABC123", "manufacturer": "HP"}])
    assert isinstance(source, SyntheticBenchSource)
    assert [label.serial for label in source.labels] == ["ABC123"]


def test_camera_list_uses_the_device_names(tmp_path: Path) -> None:
    for node, name, index in [
        ("video0", "Integrated Camera: Integrated C", "0"),
        ("video1", "Integrated Camera: Integrated C", "1"),  # metadata node of the same camera
        ("video2", "Logitech BRIO", "0"),
    ]:
        (tmp_path / node).mkdir()
        (tmp_path / node / "name").write_text(name + "\n")
        (tmp_path / node / "index").write_text(index + "\n")
    assert _linux_cameras(tmp_path) == [
        CameraInfo(0, "Integrated Camera: Integrated C"),
        CameraInfo(2, "Logitech BRIO"),
    ]


def test_no_camera_is_an_empty_list_quickly(tmp_path: Path) -> None:
    started = time.monotonic()
    assert _linux_cameras(tmp_path / "none") == []
    cams = list_cameras()  # this machine, whatever it has: never raises, answers fast
    assert all(isinstance(c, CameraInfo) and c.name for c in cams)
    assert time.monotonic() - started < 5.0
