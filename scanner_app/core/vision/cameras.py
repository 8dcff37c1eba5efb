"""Which cameras this machine has, by name, and how OpenCV should open them.

The settings dialog and ``doctor`` list cameras with human names ("Logitech BRIO", not "camera
2"), which takes per-OS work: sysfs on Linux, PnP on Windows, ``system_profiler`` on macOS, and
optionally probing each camera for the resolutions it accepts. That work has nothing to do with
reading frames, so it lives here; ``capture.py`` keeps the frame sources and re-exports these
names, and uses ``camera_backends`` and ``_quiet_opencv`` from here to open a camera.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraInfo:
    """A camera as the settings list shows it: a human name, not just an index."""

    index: int
    name: str
    resolutions: tuple[tuple[int, int], ...] = ()


if sys.platform == "win32":
    # Media Foundation otherwise spends seconds opening a camera with hardware transforms on.
    os.environ.setdefault("OPENCV_VIDEOIO_MSMF_ENABLE_HW_TRANSFORMS", "0")


def camera_backends() -> list[int]:
    """OpenCV backends to try, best first, for this OS."""
    if sys.platform == "win32":
        return [cv2.CAP_MSMF, cv2.CAP_DSHOW]  # MSMF: MJPG at 1080p30; DSHOW: older drivers
    if sys.platform == "darwin":
        return [cv2.CAP_AVFOUNDATION]
    return [cv2.CAP_V4L2]


@contextmanager
def _quiet_opencv() -> Iterator[None]:
    """OpenCV prints a warning to stderr for every index it cannot open: we report it instead."""
    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(level)


def list_cameras(
    *, probe: bool = False, max_index: int = 4, sysfs: Path = Path("/sys/class/video4linux")
) -> list[CameraInfo]:
    """Cameras on this machine with human names. ``probe`` opens each one to learn which common
    resolutions it accepts (slow: for ``doctor`` and the settings dialog, not for start-up)."""
    if sys.platform.startswith("linux"):
        found = _linux_cameras(sysfs)
    else:
        found = _probe_indexes(max_index, _os_camera_names())
    if probe:
        found = [CameraInfo(c.index, c.name, _probe_resolutions(c.index)) for c in found]
    return found


def _linux_cameras(root: Path) -> list[CameraInfo]:
    if not root.is_dir():
        return []
    cams: list[CameraInfo] = []
    for dev in sorted(root.glob("video*"), key=lambda p: int(p.name[5:] or 0)):
        # A UVC camera shows two nodes; index 0 is the one that carries pictures.
        if _read_text(dev / "index", "0") != "0":
            continue
        name = _read_text(dev / "name", dev.name)
        cams.append(CameraInfo(int(dev.name[5:]), name))
    return cams


def _read_text(path: Path, default: str) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or default
    except OSError:
        return default


def _os_camera_names() -> list[str]:
    """Best-effort names in enumeration order (Windows PnP, macOS system_profiler)."""
    import json
    import subprocess

    try:
        if sys.platform == "win32":
            cmd = [
                "powershell",
                "-NoProfile",
                "-Command",
                "Get-CimInstance Win32_PnPEntity | Where-Object {$_.PNPClass -in "
                "'Camera','Image'} | Select-Object -ExpandProperty Name",
            ]
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=3).stdout
            return [line.strip() for line in out.splitlines() if line.strip()]
        if sys.platform == "darwin":
            cmd = ["system_profiler", "SPCameraDataType", "-json"]
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=3).stdout
            return [c.get("_name", "") for c in json.loads(out).get("SPCameraDataType", [])]
    except (OSError, subprocess.SubprocessError, ValueError):
        log.debug("Camera names not available", exc_info=True)
    return []


def _probe_indexes(max_index: int, names: list[str]) -> list[CameraInfo]:
    cams: list[CameraInfo] = []
    for index in range(max_index):
        with _quiet_opencv():
            cap = cv2.VideoCapture(index, camera_backends()[0])
            ok = cap.isOpened()
            cap.release()
        if ok:
            name = names[len(cams)] if len(cams) < len(names) else f"Camera {index}"
            cams.append(CameraInfo(index, name))
    return cams


def _probe_resolutions(index: int) -> tuple[tuple[int, int], ...]:
    sizes = [(640, 480), (1280, 720), (1920, 1080), (2560, 1440), (3840, 2160)]
    cap = cv2.VideoCapture(index, camera_backends()[0])
    got: list[tuple[int, int]] = []
    try:
        if not cap.isOpened():
            return ()
        for w, h in sizes:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, w)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, h)
            real = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
            if real == (w, h):
                got.append(real)
    finally:
        cap.release()
    return tuple(got)
