"""The synthetic bench scene of demo mode: device labels held in front of a camera.

Labels slide in, tilt, blur while moving, catch glare and leave; now and then two are shown at
once, or an Autopilot pre-provisioning QR appears on a "monitor". Frame ``i`` depends only on the
seed and ``i`` (tests and the self-test replay it exactly), and a frame costs a few milliseconds:
label sprites are drawn once, each frame only warps them into their bounding box and composites.

``script=Script(hold_frames=N, gap_frames=M)`` replaces the random scene with a plain one: labels
one at a time, upright and still, each fully readable for ``N`` frames after ``M`` empty ones.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import zxingcpp

log = logging.getLogger(__name__)

_CARD_W, _CARD_H = 420, 260


@dataclass(frozen=True)
class Label:
    """What the synthetic scene prints on a device label (and shows on the monitor)."""

    serial: str
    qr_text: str | None = None
    manufacturer: str = ""
    model: str = ""

    @classmethod
    def coerce(cls, obj: Any) -> Label:
        """Accept a Label, a dict or any object with the same attributes (tenant_sim's)."""
        if isinstance(obj, Label):
            return obj
        get: Callable[[str], Any]
        if isinstance(obj, Mapping):
            get = obj.get
        else:

            def get(key: str) -> Any:
                return getattr(obj, key, None)

        return cls(
            serial=str(get("serial")),
            qr_text=get("qr_text") or None,
            manufacturer=str(get("manufacturer") or ""),
            model=str(get("model") or ""),
        )


@dataclass(frozen=True)
class Script:
    """One label at a time: ``gap_frames`` empty, then ``hold_frames`` still and readable."""

    hold_frames: int = 30
    gap_frames: int = 10

    def label_index(self, frame: int) -> int | None:
        """Which label (index into the list, before wrapping) is shown on ``frame``."""
        period = self.hold_frames + self.gap_frames
        slot, offset = divmod(frame, period)
        return slot if offset >= self.gap_frames else None

    def first_frame(self, slot: int) -> int:
        return slot * (self.hold_frames + self.gap_frames) + self.gap_frames


@dataclass(frozen=True)
class _Shot:
    """One presentation of a sprite: where and how it moves between ``start`` and ``end``."""

    start: int
    end: int
    sprite: int  # index into the sprite list
    x: float  # hold position (centre), in fractions of the frame
    y: float
    angle: float  # degrees while held
    scale: float
    tilt: float  # perspective (fraction of the height)
    from_left: bool
    glare: bool
    still: bool = False


def is_autopilot_qr(text: str | None) -> bool:
    """The pre-provisioning screen's payload (JSON BlockSequence), not a label's own QR."""
    return bool(text) and (text or "").lstrip().startswith("{")


def render_label(label: Label) -> np.ndarray:
    """The BGR sprite of a device label card: maker and model, Code 128 of the serial, the
    serial in text, and the label's QR (its ``qr_text``) unless that is an Autopilot payload."""
    code = _barcode(label.serial, zxingcpp.BarcodeFormat.Code128, 2, height=100)
    qr_text = None if is_autopilot_qr(label.qr_text) else label.qr_text
    qr = _barcode(qr_text, zxingcpp.BarcodeFormat.QRCode, 4) if qr_text else None
    qr_h, qr_w = qr.shape if qr is not None else (0, 0)
    w = max(_CARD_W, code.shape[1] + 24)
    h = max(_CARD_H, 166 + qr_h + 10)
    card = np.full((h, w, 3), 246, np.uint8)
    cv2.rectangle(card, (3, 3), (w - 4, h - 4), (60, 60, 60), 2)
    title = f"{label.manufacturer} {label.model}".strip() or "Notebook PC"
    cv2.putText(card, title[:30], (18, 36), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (20, 20, 20), 2)
    card[48 : 48 + code.shape[0], 12 : 12 + code.shape[1]] = code[..., None]
    if qr is not None:
        card[166 : 166 + qr_h, w - 12 - qr_w : w - 12] = qr[..., None]
    cv2.putText(card, f"S/N: {label.serial}", (20, 176), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                (20, 20, 20), 1, cv2.LINE_AA)  # fmt: skip
    cv2.putText(card, "Made in PRC", (20, h - 44), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                (70, 70, 70), 1, cv2.LINE_AA)  # fmt: skip
    cv2.putText(card, "Rating 20V 3.25A", (20, h - 20), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                (70, 70, 70), 1, cv2.LINE_AA)  # fmt: skip
    return card


def render_monitor(qr_text: str) -> np.ndarray:
    """A monitor showing the Autopilot pre-provisioning screen with its QR code."""
    qr = _barcode(qr_text, zxingcpp.BarcodeFormat.QRCode, 4)
    side = qr.shape[0]
    h, w = side + 110, max(480, side + 160)
    screen = np.zeros((h, w, 3), np.uint8)
    screen[:] = (30, 30, 30)
    screen[14 : h - 14, 14 : w - 14] = (120, 70, 0)  # the blue of Windows setup
    cv2.putText(screen, "Windows Autopilot", (30, 50), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                (255, 255, 255), 2, cv2.LINE_AA)  # fmt: skip
    y0, x0 = 75, (w - side) // 2
    screen[y0 : y0 + side, x0 : x0 + side] = qr[..., None]
    return screen


def _barcode(text: str, fmt: Any, scale: int, height: int = 0) -> np.ndarray:
    img = np.asarray(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, fmt), scale))
    if height and img.shape[0] != height:
        img = cv2.resize(img, (img.shape[1], height), interpolation=cv2.INTER_NEAREST)
    return np.ascontiguousarray(img)


def _desk(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A wood-grain-ish desk: low-frequency noise stretched along x, warm tint, vignette."""
    w, h = size
    grain = cv2.resize(rng.random((h // 8, 12), np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    fine = cv2.resize(rng.random((h // 2, w // 16), np.float32), (w, h))
    lum: np.ndarray = 0.55 + 0.25 * grain + 0.1 * fine
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    vignette = 1.0 - 0.35 * (((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2)
    lum *= vignette
    tint = np.array([0.55, 0.75, 0.95], np.float32)  # BGR: brown
    return np.clip(lum[..., None] * tint * 230, 0, 255).astype(np.uint8)


def _glare_sprite(size: int = 160) -> np.ndarray:
    g: np.ndarray = np.zeros((size, size), np.float32)
    cv2.ellipse(g, (size // 2, size // 2), (size // 2 - 8, size // 5), 30, 0, 360, 1.0, -1)
    blurred = np.asarray(cv2.GaussianBlur(g, (0, 0), size / 10))
    return np.asarray(cv2.cvtColor((blurred * 170).astype(np.uint8), cv2.COLOR_GRAY2BGR))


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
        self._background = _desk(size, rng)
        self._noise = [rng.integers(0, 10, (size[1], size[0], 3), np.uint8) for _ in range(4)]
        self._glare = _glare_sprite()
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
        self._rng = np.random.default_rng(seed + 1)
        self._shots: list[_Shot] = []
        self._planned_to = 0
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
            if held_only and not (shot.still or shot.start + 15 <= frame < shot.end - 15):
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

    def _shots_on(self, frame: int) -> list[_Shot]:
        if self.script is not None:
            slot = self.script.label_index(frame)
            if slot is None:
                return []
            start = self.script.first_frame(slot)
            end = start + self.script.hold_frames
            idx = slot % len(self.labels)
            return [_Shot(start, end, idx, 0.5, 0.5, 0.0, 1.1, 0.0, True, False, still=True)]
        while self._planned_to <= frame:
            self._plan_more()
        return [s for s in self._shots if s.start <= frame < s.end]

    def _plan_more(self) -> None:
        """Append the next presentation (sometimes two) to the deterministic timeline."""
        r = self._rng
        start = self._planned_to + int(r.integers(10, 30))
        length = int(r.integers(70, 120))
        idx = int(r.integers(0, len(self.labels)))
        roll = float(r.random())
        monitors = sorted(self._monitor_of.values())
        if roll < 0.15 and monitors:
            sprite = monitors[int(r.integers(0, len(monitors)))]
            self._shots.append(self._shot(start, length, sprite, 0.5, 0.45))
        elif roll < 0.35 and len(self.labels) > 1:
            other = (idx + 1 + int(r.integers(0, len(self.labels) - 1))) % len(self.labels)
            self._shots.append(self._shot(start, length, idx, 0.3, 0.35))
            self._shots.append(self._shot(start + 5, length, other, 0.7, 0.65))
        else:
            self._shots.append(self._shot(start, length, idx, 0.5, 0.5))
        self._planned_to = start + length + 5

    def _shot(self, start: int, length: int, sprite: int, x: float, y: float) -> _Shot:
        r = self._rng
        return _Shot(
            start, start + length, sprite,
            x + float(r.uniform(-0.08, 0.08)), y + float(r.uniform(-0.08, 0.08)),
            float(r.uniform(-12, 12)), float(r.uniform(0.9, 1.25)), float(r.uniform(-0.12, 0.12)),
            bool(r.random() < 0.5), bool(r.random() < 0.4),
        )  # fmt: skip

    def _draw(self, out: np.ndarray, shot: _Shot, frame: int) -> None:
        sprite = self._sprites[shot.sprite]
        w, h = self.size
        sh, sw = sprite.shape[:2]
        # Motion: ease in over 15 frames, hold with a little hand shake, ease out over 15.
        t_in = min(1.0, (frame - shot.start) / 15.0)
        t_out = min(1.0, (shot.end - 1 - frame) / 15.0)
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
            _add_clipped(patch, self._glare, gx - 80, int(cy - y0) - 80)
        roi[:] = patch


def _add_clipped(dst: np.ndarray, src: np.ndarray, x: int, y: int) -> None:
    h, w = dst.shape[:2]
    sh, sw = src.shape[:2]
    ax0, ay0, ax1, ay1 = max(x, 0), max(y, 0), min(x + sw, w), min(y + sh, h)
    if ax1 <= ax0 or ay1 <= ay0:
        return
    region = dst[ay0:ay1, ax0:ax1]
    region[:] = cv2.add(region, src[ay0 - y : ay1 - y, ax0 - x : ax1 - x])


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
