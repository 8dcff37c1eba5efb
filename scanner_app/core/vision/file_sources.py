"""Recorded frame sources: a video file and a folder of still images.

Unlike a camera they cannot be unplugged, but they run out: a video ends (or loops), a folder is
shown image by image. They are paced at their frame rate when ``realtime`` is on, so the GUI
sees them like a live camera, and read as fast as possible when it is off, for tests and
benchmarks. ``capture.py`` re-exports both classes and picks them in ``open_source``.
Both hold to ``image_limits``: a named pipe or a device is refused before it is opened (it would
block or never end), a video whose frames exceed the photo ceiling before a frame is decoded,
and an image over the ceilings in a folder is skipped with a warning.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from scanner_app.core.vision import image_limits
from scanner_app.core.vision.frame_source import CaptureError

log = logging.getLogger(__name__)

__all__ = ["ImageFolderSource", "VideoFileSource", "files_in"]


def files_in(folder: Path, suffixes: Iterable[str]) -> list[Path]:
    """The regular files in ``folder`` (not its subfolders) whose names end in one of
    ``suffixes``, by name. Hidden files (``.x``, macOS's ``._photo.jpg``) and anything that is
    not a regular file (a named pipe, a link that loops) are left out."""
    wanted = {suffix.lower() for suffix in suffixes}
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in wanted and not p.name.startswith(".") and p.is_file()
    )


class VideoFileSource:
    """A video file. ``realtime`` paces reads at the file's fps (the GUI); off for tests and
    benchmarks, which want frames as fast as they can be decoded. ``frame_index`` is the index
    in the file of the frame last returned."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        realtime: bool = True,
        loop: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = Path(path)
        self.realtime, self.loop = realtime, loop
        self.name = self.path.name
        self.fps = 30.0
        self.frame_index = -1
        self.ended = False
        self._cap: Any = None
        self._clock, self._sleep = clock, sleep
        self._next_due = 0.0

    def open(self) -> None:
        self.close()
        if not self.path.exists() and not self.path.is_symlink():
            raise CaptureError(f"Video file not found: {self.path}", "file")
        try:
            image_limits.check_path(self.path)  # a named pipe would block OpenCV for ever
        except image_limits.InputRefused as exc:
            raise CaptureError(str(exc), "file") from None
        cap = cv2.VideoCapture(str(self.path))
        if not cap.isOpened():
            cap.release()
            raise CaptureError(f"Cannot read {self.path.name}: not a video OpenCV knows.", "file")
        try:  # the frame size from the container, before a frame is decoded
            width = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))
            image_limits.check_frame(width, int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)), self.name)
        except image_limits.InputRefused as exc:
            cap.release()
            raise CaptureError(str(exc), "file") from None
        self._cap = cap
        got = cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(got) if got and got > 0 else 30.0
        self.frame_index, self.ended = -1, False
        self._next_due = self._clock()

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise CaptureError(f"{self.name} is not open.", "file")
        if self.realtime:
            wait = self._next_due - self._clock()
            if wait > 0:
                self._sleep(wait)
            self._next_due = max(self._next_due + 1.0 / self.fps, self._clock() - 1.0)
        ok, frame = self._cap.read()
        if not ok and self.loop and self.frame_index >= 0:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            self.frame_index = -1
            ok, frame = self._cap.read()
        if not ok:
            self.ended = True
            return None
        try:  # the container's size was checked; a stream can change size on the way
            image_limits.check_frame(frame.shape[1], frame.shape[0], self.name)
        except image_limits.InputRefused as exc:
            raise CaptureError(str(exc), "file") from None
        self.frame_index += 1
        return np.asarray(frame)

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class ImageFolderSource:
    """Still images from a folder, in name order, each shown for ``1/fps`` seconds; loops."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        fps: float = 2.0,
        realtime: bool = True,
        loop: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = Path(path)
        self.fps, self.realtime, self.loop = fps, realtime, loop
        self.name = self.path.name or str(self.path)
        self.files: list[Path] = []
        self._pos = 0
        self._sleep = sleep

    def open(self) -> None:
        if not self.path.is_dir():
            raise CaptureError(f"Image folder not found: {self.path}", "file")
        self.files = files_in(self.path, image_limits.IMAGE_SUFFIXES)
        if not self.files:
            raise CaptureError(f"No images in {self.path}.", "file")
        self._pos = 0

    def read(self) -> np.ndarray | None:
        if not self.files:
            raise CaptureError(f"{self.name} is not open.", "file")
        if self._pos >= len(self.files):
            if not self.loop:
                return None
            self._pos = 0
        if self.realtime:
            self._sleep(1.0 / self.fps)
        path = self.files[self._pos]
        self._pos += 1
        try:
            image_limits.check_image_file(path)
            data = np.fromfile(str(path), dtype=np.uint8)  # imread fails on non-ASCII (Windows)
        except (image_limits.InputRefused, OSError) as exc:
            log.warning("Skipping %s", exc)
            return None
        frame = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
        if frame is None:
            log.warning("Skipping unreadable image %s", path.name)
        return None if frame is None else np.asarray(frame)

    def close(self) -> None:
        self.files = []
