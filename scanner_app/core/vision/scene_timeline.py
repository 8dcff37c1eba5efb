"""When and where the synthetic bench scene shows each label: its timeline of shots.

A shot is one presentation of a sprite (a label card or the Autopilot monitor): the frames it
is in view, where it is held, how it is tilted and scaled, the side it slides in from, whether
it catches glare. ``Timeline`` plans shots forward from a seeded generator, as far as the
frame asked for, and keeps them, so frame ``i`` depends only on the seed and ``i``, whatever
order frames are asked in. ``Script`` is the plain alternative: one label at a time, upright
and still. Neither draws anything; ``synthetic.py`` turns a shot on a frame into pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Script", "Shot", "Timeline"]

#: Frames a shot takes to slide fully into view (and, at its end, out of it).
EASE_FRAMES = 15


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

    def shots_on(self, frame: int, n_labels: int) -> list[Shot]:
        """The shot on ``frame`` (none in a gap): the slot's label, centred, upright, still."""
        slot = self.label_index(frame)
        if slot is None:
            return []
        start = self.first_frame(slot)
        end = start + self.hold_frames
        idx = slot % n_labels
        return [Shot(start, end, idx, 0.5, 0.5, 0.0, 1.1, 0.0, True, False, still=True)]


@dataclass(frozen=True)
class Shot:
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

    def held_on(self, frame: int) -> bool:
        """Held still on ``frame``: not sliding in or out."""
        return self.still or self.start + EASE_FRAMES <= frame < self.end - EASE_FRAMES


class Timeline:
    """The random scene: labels one or two at a time, sometimes a monitor, never repeating.

    ``n_labels`` label sprites come first in the sprite list; ``monitors`` are the indices of
    monitor sprites. ``rng`` is consumed in frame order as the plan grows, so it must be this
    timeline's own generator.
    """

    def __init__(self, n_labels: int, monitors: Sequence[int], rng: np.random.Generator) -> None:
        self.n_labels = n_labels
        self._monitors = sorted(monitors)
        self._rng = rng
        self._shots: list[Shot] = []
        self._planned_to = 0

    def shots_on(self, frame: int) -> list[Shot]:
        """The shots in view on ``frame``, planning further ahead first if needed."""
        while self._planned_to <= frame:
            self._plan_more()
        return [s for s in self._shots if s.start <= frame < s.end]

    def _plan_more(self) -> None:
        """Append the next presentation (sometimes two) to the deterministic timeline."""
        r = self._rng
        start = self._planned_to + int(r.integers(10, 30))
        length = int(r.integers(70, 120))
        idx = int(r.integers(0, self.n_labels))
        roll = float(r.random())
        monitors = self._monitors
        if roll < 0.15 and monitors:
            sprite = monitors[int(r.integers(0, len(monitors)))]
            self._shots.append(self._shot(start, length, sprite, 0.5, 0.45))
        elif roll < 0.35 and self.n_labels > 1:
            other = (idx + 1 + int(r.integers(0, self.n_labels - 1))) % self.n_labels
            self._shots.append(self._shot(start, length, idx, 0.3, 0.35))
            self._shots.append(self._shot(start + 5, length, other, 0.7, 0.65))
        else:
            self._shots.append(self._shot(start, length, idx, 0.5, 0.5))
        self._planned_to = start + length + 5

    def _shot(self, start: int, length: int, sprite: int, x: float, y: float) -> Shot:
        r = self._rng
        return Shot(
            start, start + length, sprite,
            x + float(r.uniform(-0.08, 0.08)), y + float(r.uniform(-0.08, 0.08)),
            float(r.uniform(-12, 12)), float(r.uniform(0.9, 1.25)), float(r.uniform(-0.12, 0.12)),
            bool(r.random() < 0.5), bool(r.random() < 0.4),
        )  # fmt: skip
