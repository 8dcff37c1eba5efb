"""Frame sources: camera by index, video file, network stream, image folder (and, in
``synthetic.py``, the demo bench scene), all behind one small ``FrameSource`` protocol.

The capture thread only knows the protocol, so a pulled cable, a phone stream that drops or a
test double that fails on purpose all look the same to it: ``read()`` raises ``CaptureError``
with a sentence an operator can act on, and the thread reconnects by building a new source.

This module holds the live sources, a camera and a network stream, which can vanish at any
moment (a run of failed reads means they did), and ``open_source``, which picks a source from
what the user typed. It is the one place the rest of the app imports capture names from: the
protocol and the error are ``frame_source.py``'s, the video file and image folder sources
``file_sources.py``'s, and which cameras a machine has, and their names, is ``cameras.py``'s
job; ``CameraInfo``, ``list_cameras`` and ``camera_backends`` are re-exported here too.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

# Camera listing lives in cameras.py; these names stay importable from here.
from scanner_app.core.vision.cameras import CameraInfo as CameraInfo
from scanner_app.core.vision.cameras import _linux_cameras as _linux_cameras
from scanner_app.core.vision.cameras import _quiet_opencv
from scanner_app.core.vision.cameras import camera_backends as camera_backends
from scanner_app.core.vision.cameras import list_cameras as list_cameras
from scanner_app.core.vision.file_sources import ImageFolderSource, VideoFileSource
from scanner_app.core.vision.frame_source import CaptureError, FaultKind, FrameSource

log = logging.getLogger(__name__)

__all__ = [
    "CameraInfo",
    "CameraSource",
    "CaptureError",
    "FaultKind",
    "FrameSource",
    "ImageFolderSource",
    "StreamSource",
    "VideoFileSource",
    "camera_backends",
    "list_cameras",
    "open_source",
]

#: Consecutive failed reads after which a camera is considered gone.
_MAX_FAILED_READS = 3


class CameraSource:
    """A local camera by index, asking for resolution, fps and MJPG (USB 2 cannot carry raw
    1080p30), with autofocus and auto exposure switched on where the backend exposes them."""

    def __init__(
        self,
        index: int,
        *,
        width: int = 1920,
        height: int = 1080,
        fps: float = 30.0,
        mjpg: bool = True,
        backends: Sequence[int] | None = None,
    ) -> None:
        self.index = index
        self.width, self.height, self.fps = width, height, fps
        self.mjpg = mjpg
        self.backends = list(backends) if backends is not None else camera_backends()
        self.name = f"camera {index}"
        self._cap: Any = None
        self._failed_reads = 0

    def open(self) -> None:
        self.close()
        if sys.platform.startswith("linux") and not Path(f"/dev/video{self.index}").exists():
            raise _camera_open_error(self.index)  # without OpenCV's warning on every retry
        with _quiet_opencv():
            for backend in self.backends:
                cap = cv2.VideoCapture(self.index, backend)
                if cap.isOpened():
                    self._cap = cap
                    break
                cap.release()
        if self._cap is None:
            raise _camera_open_error(self.index)
        cap = self._cap
        if self.mjpg:
            cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc("M", "J", "P", "G"))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # keep latency low where supported
        cap.set(cv2.CAP_PROP_AUTOFOCUS, 1)
        cap.set(cv2.CAP_PROP_AUTO_EXPOSURE, 3 if sys.platform.startswith("linux") else 0.75)
        got = cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(got) if got and got > 0 else self.fps
        self._failed_reads = 0
        ok, _ = cap.read()
        if not ok:
            self.close()
            raise CaptureError(
                f"Camera {self.index} opened but sends no picture: it may be in use by another "
                "app (Teams, Zoom, the Camera app), or camera access is not allowed.",
                "busy",
            )
        log.info(
            "Opened camera %d (%dx%d @ %.0f fps)",
            self.index,
            int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            self.fps,
        )

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise CaptureError(f"Camera {self.index} is not open.", "failed")
        return _read_live(
            self,
            CaptureError(
                f"Camera {self.index} stopped sending pictures: was it unplugged?", "unplugged"
            ),
        )

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def _camera_open_error(index: int) -> CaptureError:
    if sys.platform.startswith("linux"):
        node = Path(f"/dev/video{index}")
        if not node.exists():
            return CaptureError(f"No camera found (no {node}).", "missing")
        if not os.access(node, os.R_OK | os.W_OK):
            return CaptureError(
                f"No permission to use {node}: add your user to the 'video' group.", "busy"
            )
        return CaptureError(f"Camera {index} is busy: another app is using it.", "busy")
    return CaptureError(
        f"Camera {index} could not be opened: it is missing, unplugged, or in use by another app.",
        "missing",
    )


class StreamSource:
    """A network stream: RTSP, or HTTP MJPEG as phone camera apps serve it."""

    def __init__(self, url: str, *, timeout_s: float = 3.0) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self.name = re.sub(r"//[^@/]*@", "//", url)  # never show a password in the UI or logs
        self.fps = 30.0
        self._cap: Any = None
        self._failed_reads = 0

    def open(self) -> None:
        self.close()
        ms = int(self.timeout_s * 1000)
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, ms]
        cap = cv2.VideoCapture(self.url, cv2.CAP_FFMPEG, params)
        if not cap.isOpened():
            cap.release()
            raise CaptureError(
                f"Stream {self.name} does not answer: is the phone app running on the same "
                "network?",
                "stream_down",
            )
        self._cap = cap
        got = cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(got) if got and 0 < got <= 120 else 30.0
        self._failed_reads = 0

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise CaptureError(f"Stream {self.name} is not open.", "stream_down")
        return _read_live(self, CaptureError(f"Stream {self.name} stopped.", "stream_down"))

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def _read_live(source: Any, stopped: CaptureError) -> np.ndarray | None:
    """One read from a live device or stream: a missed frame is normal, a run of them means the
    camera was unplugged or the stream went down (``stopped`` is raised then)."""
    ok, frame = source._cap.read()
    if ok and frame is not None:
        source._failed_reads = 0
        return np.asarray(frame)
    source._failed_reads += 1
    if source._failed_reads >= _MAX_FAILED_READS:
        raise stopped
    return None


def open_source(spec: str, labels: Iterable[Any] = (), *, realtime: bool = True) -> FrameSource:
    """Build (not open) a source from what the user typed: ``synthetic``, a camera index, a
    stream URL, an image folder or a video file."""
    spec = spec.strip()
    if spec.lower() in {"synthetic", "demo"}:
        from scanner_app.core.vision.synthetic import SyntheticBenchSource

        return SyntheticBenchSource(list(labels), realtime=realtime)
    if spec.isdigit():
        return CameraSource(int(spec))
    if re.match(r"^(rtsp|rtsps|http|https|udp|tcp)://", spec, re.IGNORECASE):
        return StreamSource(spec)
    path = Path(spec).expanduser()
    if path.is_dir():
        return ImageFolderSource(path, realtime=realtime)
    if path.is_file():
        return VideoFileSource(path, realtime=realtime, loop=realtime)
    raise CaptureError(
        f"'{spec}' is not a camera number, a stream URL, a folder or a video file.", "missing"
    )
