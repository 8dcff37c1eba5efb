"""The synthetic bench scene of demo mode: device labels held in front of a camera.

Labels slide in, tilt, blur while moving, catch glare and leave; now and then two are shown at
once, or an Autopilot pre-provisioning QR appears on a "monitor". Frame ``i`` depends only on the
seed and ``i`` (tests and the self-test replay it exactly), and a frame costs a few milliseconds:
label sprites are drawn once, each frame only warps them into their bounding box and composites.

``script=Script(hold_frames=N, gap_frames=M)`` replaces the random scene with a plain one: labels
one at a time, upright and still, each fully readable for ``N`` frames after ``M`` empty ones.

This module is the camera: pacing, compositing a frame from its shots, and ``HandHeldSource``.
What labels, the monitor, the desk and glare look like is ``label_art.py``; when and where each
label is shown is ``scene_timeline.py``. ``Label``, ``Script`` and the renderers are re-exported
here, where the app, tests and scripts import them from.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import cv2
import numpy as np

from scanner_app.core.vision.label_art import (
    Label,
    add_clipped,
    desk_background,
    glare_sprite,
    is_autopilot_qr,
    render_label,
    render_monitor,
)
from scanner_app.core.vision.scene_timeline import EASE_FRAMES, Script, Shot, Timeline

log = logging.getLogger(__name__)

__all__ = [
    "HandHeldSource",
    "Label",
    "Script",
    "SyntheticBenchSource",
    "is_autopilot_qr",
    "render_label",
    "render_monitor",
]


class SyntheticBenchSource:
    """A ``FrameSource`` that renders the bench scene (see the module docstring)."""

    def __init__(
        self,
        labels: Iterable[Any],
        seed: int = 0,
        size: tuple[int, int] = (1280, 720),
        fps: float = 30.0,
        *,
        script: Script | None = None,
        realtime: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.labels = [Label.coerce(x) for x in labels]
        if not self.labels:
            self.labels = [Label("5CG0000DEMO", None, "Contoso", "Laptop 7")]
        self.seed, self.size, self.fps = seed, size, fps
        self.script, self.realtime = script, realtime
        self.name = "synthetic bench"
        self.frame_index = -1
        self._sleep, self._clock = sleep, clock
        rng = np.random.default_rng(seed)
        self._background = desk_background(size, rng)
        self._noise = [rng.integers(0, 10, (size[1], size[0], 3), np.uint8) for _ in range(4)]
        self._glare = glare_sprite()
        self._sprites = [render_label(lb) for lb in self.labels]
        self._monitor_of = {}  # label index -> sprite index of its monitor
        for i, lb in enumerate(self.labels):
            if lb.qr_text and is_autopilot_qr(lb.qr_text):
                self._monitor_of[i] = len(self._sprites)
                self._sprites.append(render_monitor(lb.qr_text))
        self._grays: list[np.ndarray | None] = [
            np.maximum(cv2.cvtColor(sp, cv2.COLOR_BGR2GRAY), 1) if i < len(self.labels) else None
            for i, sp in enumerate(self._sprites)
        ]
        self._timeline = Timeline(
            len(self.labels), list(self._monitor_of.values()), np.random.default_rng(seed + 1)
        )
        self._next_due = 0.0

    # FrameSource -----------------------------------------------------------------------------
    def open(self) -> None:
        self.frame_index = -1
        self._next_due = self._clock()

    def read(self) -> np.ndarray | None:
        if self.realtime:
            wait = self._next_due - self._clock()
            if wait > 0:
                self._sleep(wait)
            # Like a live camera: frames missed while nobody read (a pause) are gone, not
            # delivered later in a burst.
            self._next_due = max(self._next_due + 1.0 / self.fps, self._clock())
        self.frame_index += 1
        return self.render(self.frame_index)

    def close(self) -> None:
        pass

    # The scene -------------------------------------------------------------------------------
    def labels_on(self, frame: int, *, held_only: bool = False) -> list[Label]:
        """The labels (cards or monitors) in view on ``frame``; with ``held_only``, only those
        held still (not sliding in or out) on that frame."""
        out = []
        for shot in self._shots_on(frame):
            if held_only and not shot.held_on(frame):
                continue
            idx = shot.sprite
            if idx >= len(self.labels):
                idx = next(k for k, v in self._monitor_of.items() if v == shot.sprite)
            out.append(self.labels[idx])
        return out

    def render(self, frame: int) -> np.ndarray:
        out = cv2.add(self._background, self._noise[(frame * 7 + self.seed) % 4])
        for shot in self._shots_on(frame):
            self._draw(out, shot, frame)
        return out

    def _shots_on(self, frame: int) -> list[Shot]:
        if self.script is not None:
            return self.script.shots_on(frame, len(self.labels))
        return self._timeline.shots_on(frame)

    def _draw(self, out: np.ndarray, shot: Shot, frame: int) -> None:
        sprite = self._sprites[shot.sprite]
        w, h = self.size
        sh, sw = sprite.shape[:2]
        # Motion: ease in, hold with a little hand shake, ease out (EASE_FRAMES each).
        t_in = min(1.0, (frame - shot.start) / EASE_FRAMES)
        t_out = min(1.0, (shot.end - 1 - frame) / EASE_FRAMES)
        t = 1.0 if shot.still else min(t_in, t_out)
        ease = 1 - (1 - t) ** 3
        side = -1.0 if shot.from_left else 1.0
        cx = (shot.x + side * (1 - ease) * 0.8) * w
        cy = shot.y * h
        angle = shot.angle * (0.3 + 0.7 * ease)
        if not shot.still:
            cx += 3 * math.sin(frame * 0.7 + shot.start)
            cy += 2 * math.cos(frame * 0.5 + shot.start)
            angle += 1.5 * math.sin(frame * 0.2)
        half = np.array([[-sw, -sh], [sw, -sh], [sw, sh], [-sw, sh]], np.float32) / 2
        half[:, 1] *= 1 + np.array([1, -1, -1, 1], np.float32) * shot.tilt * ease
        a = math.radians(angle)
        rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
        dst = (half @ rot.T) * shot.scale + np.array([cx, cy], np.float32)
        x0, y0 = np.floor(dst.min(axis=0)).astype(int)
        x1, y1 = np.ceil(dst.max(axis=0)).astype(int)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
        if x1 - x0 < 2 or y1 - y0 < 2:
            return
        src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
        m = cv2.getPerspectiveTransform(src, dst - np.array([x0, y0], np.float32))
        roi = out[y0:y1, x0:x1]
        patch = roi.copy()
        size = (x1 - x0, y1 - y0)
        gray = self._grays[shot.sprite]
        if gray is not None:
            # Cards are grey: warp one channel (a third of the work); 0 marks "not the card".
            warped = cv2.warpPerspective(gray, m, size, flags=cv2.INTER_LINEAR)
            cv2.copyTo(cv2.cvtColor(warped, cv2.COLOR_GRAY2BGR), warped, patch)
        else:  # colour sprite (the monitor): write only where it lands
            cv2.warpPerspective(sprite, m, size, patch, cv2.INTER_LINEAR,
                                cv2.BORDER_TRANSPARENT)  # fmt: skip
        moving = not shot.still and t < 1.0
        if moving:
            k = 3 + 2 * int(3 * (1 - t))
            patch = cv2.blur(patch, (k, 1))
        if shot.glare and not shot.still and (frame // 20) % 2 == 0:
            gx = int(cx - x0 + 0.25 * sw * shot.scale * math.sin(frame * 0.1))
            add_clipped(patch, self._glare, gx - 80, int(cy - y0) - 80)
        roi[:] = patch


class HandHeldSource:
    """The scripted scene driven like a hand: ``show(i)`` holds label ``i`` up, still and upright
    (frames of the script's hold for that label), ``show(None)`` takes it away (an empty desk).

    For demos, tests and screenshots that must not depend on how fast a machine decodes: the
    caller decides when a label is in view. Paced at the scene's frame rate; thread-safe ``show``.
    """

    def __init__(
        self,
        labels: list[Any],
        size: tuple[int, int] = (1280, 720),
        script: Script | None = None,
        name: str = "synthetic bench",
    ) -> None:
        self.script = script or Script(hold_frames=8, gap_frames=4)
        self.scene = SyntheticBenchSource(labels, size=size, script=self.script, realtime=True)
        self.name, self.fps = name, self.scene.fps
        self._slot: int | None = None
        self._lock = threading.Lock()
        self._n = 0

    def show(self, slot: int | None) -> None:
        with self._lock:
            self._slot = slot

    def open(self) -> None:
        self.scene.open()

    def read(self) -> np.ndarray | None:
        with self._lock:
            slot = self._slot
        self._n += 1
        script = self.script
        if slot is None:
            frame = self._n % script.gap_frames  # an empty-desk frame of the script
        else:
            frame = script.first_frame(slot) + self._n % script.hold_frames
        self.scene.frame_index = frame - 1  # read() paces, then renders frame_index + 1
        return self.scene.read()

    def close(self) -> None:
        pass
