"""Tracker: turn per-frame reads into one event per presentation of a label.

The camera reads the same label 30 times a second; the operator wants one beep. A read is
*confirmed* on its first sighting when the symbology carries its own check (QR, Micro QR and
Data Matrix have Reed-Solomon codes, Code 128 a mandatory checksum), and only when it repeats for
Code 39, whose check digit is optional, so a misread bar cannot trigger a lookup. Each distinct
symbol is reported once while it stays in view, even if some frames miss it, and again only
after it has been out of view for ``forget_after`` frames or after :meth:`Tracker.rearm`.
Different symbols are tracked independently, so two serials in view are both reported.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from scanner_app.core.models import Symbol

log = logging.getLogger(__name__)

#: Symbologies whose own check makes a single read trustworthy.
SELF_CHECKED = frozenset({"QRCode", "MicroQRCode", "DataMatrix", "Code128"})


@dataclass
class _Track:
    hits: int
    first_frame: int
    last_frame: int
    confirmed: bool = False


class Tracker:
    """Confirms reads and reports each presentation once.

    ``confirm_reads``: reads needed (within ``confirm_window`` frames) for a symbology without
    its own check; ``forget_after``: frames a symbol must be missing before it counts as gone
    (about half a second at 30 fps: a label held still is not re-announced when one frame blurs).
    """

    def __init__(
        self, confirm_reads: int = 2, confirm_window: int = 10, forget_after: int = 15
    ) -> None:
        self.confirm_reads = confirm_reads
        self.confirm_window = confirm_window
        self.forget_after = forget_after
        self._frame = 0
        self._tracks: dict[tuple[str, str], _Track] = {}

    def update(self, symbols: Iterable[Symbol]) -> list[Symbol]:
        """Feed one frame's reads; return the symbols confirmed in this very frame."""
        self._frame += 1
        now = self._frame
        confirmed: list[Symbol] = []
        seen: set[tuple[str, str]] = set()
        for s in symbols:
            key = (s.format, s.text)
            if key in seen:  # the same symbol twice in one frame counts once
                continue
            seen.add(key)
            track = self._tracks.get(key)
            if track is None or now - track.last_frame > self.forget_after:
                track = _Track(hits=0, first_frame=now, last_frame=now)
                self._tracks[key] = track
            if not track.confirmed and now - track.first_frame >= self.confirm_window:
                track.hits, track.first_frame = 0, now  # too slow to count as a repeat
            track.hits += 1
            track.last_frame = now
            if not track.confirmed and self._trusted(s, track):
                track.confirmed = True
                confirmed.append(s)
                log.debug("confirmed %s after %d read(s)", s.format, track.hits)
        self._tracks = {
            k: t for k, t in self._tracks.items() if now - t.last_frame <= self.forget_after
        }
        return confirmed

    def _trusted(self, s: Symbol, track: _Track) -> bool:
        return s.format in SELF_CHECKED or track.hits >= self.confirm_reads

    def rearm(self) -> None:
        """Forget every symbol: the next read of anything is reported again."""
        self._tracks.clear()

    @property
    def in_view(self) -> list[tuple[str, str]]:
        """(format, text) of the symbols read recently (for a status line)."""
        return [k for k, t in self._tracks.items() if self._frame - t.last_frame <= 1]
