"""Decoder: read every label the camera can see, spending effort only where it pays.

Measured on ../shared/datasets/qr-photos (benchmarks/decode.py): zxing-cpp alone reads most codes
and is fast, but misses glare, bright spots, blur and damage that a rescaled, re-binarised or
contrast-equalised image, or zbar, still reads. Those retries cost 5-50 ms each, so:

- ``decode`` (a still image): one full pass of the lead engine (the first locating engine in
  ``engines/``: zxing-cpp); when it read nothing, whole-image retries in order of reads per
  millisecond until something is read; when it located symbols it could not decode, retries on
  crops around them only. The other engines (zbar) are second opinions in those retries, each
  on the formats it is trusted with (zbar: QR and Code 128; its Code 39 misreads full ASCII).
- ``decode_frame`` (live video): a cheap pass on a downscaled frame every frame, plus one slice of
  a rotating schedule (a full-resolution half of the frame, or 1D codes turned upright), plus
  full-effort reads of small regions around unread candidates and around codes seen in the last
  frames. A small code is thus read at full resolution within a few frames at a fraction of the
  cost of a full-frame pass on every frame.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import numpy as np

from scanner_app.core.models import SYMBOLOGIES, Quad, Symbol
from scanner_app.core.vision import preprocess as pp
from scanner_app.core.vision.engines import usable_engines
from scanner_app.core.vision.engines.base import (
    Candidate,
    Engine,
    Located,
    LocatingEngine,
    Mode,
    placed,
)

log = logging.getLogger(__name__)

__all__ = ["Decoder", "merge_symbols"]

#: Frames with a longer side than this get their cheap live pass at half resolution.
LIVE_SIDE = 960
#: Only 1D codes need the (costly) 90-degree retry; QR and Data Matrix read at any angle.
ONE_D = ("Code128", "Code39")
#: Regions read at full effort per live frame (unread candidates first, then recent codes).
LIVE_ROIS = 2
#: Frames a code's last position stays worth a look.
RECENT_FRAMES = 6
#: Unread candidates a still image retries around (false DataMatrix candidates abound).
STILL_REGIONS = 6
#: Pixels above which a still image gets zbar's threshold retry at half size only.
HUGE = 4_000_000


def _diag(q: Quad) -> float:
    return math.dist(q[0], q[2])


def _centre(q: Quad) -> tuple[float, float]:
    return (sum(p[0] for p in q) / 4.0, sum(p[1] for p in q) / 4.0)


def _near(a: Quad, b: Quad) -> bool:
    """Two quads that mark the same symbol (centres closer than half the larger size)."""
    return math.dist(_centre(a), _centre(b)) < max(_diag(a), _diag(b), 8.0) / 2.0


def merge_symbols(found: list[Symbol], new: Iterable[Symbol]) -> list[Symbol]:
    """Append ``new`` symbols to ``found`` unless the same text is already there, same place."""
    for s in new:
        if not any(
            e.text == s.text and e.format == s.format and _near(e.position, s.position)
            for e in found
        ):
            found.append(s)
    return found


def _unread(cands: Iterable[Candidate], found: Sequence[Symbol]) -> list[Candidate]:
    """Candidates no decoded symbol accounts for (where escalation still has work to do)."""
    out: list[Candidate] = []
    for c in cands:
        if any(_near(c.position, s.position) for s in found):
            continue
        if any(_near(c.position, o.position) for o in out):
            continue
        out.append(c)
    return out


def _moved(
    s: Symbol, dx: float, dy: float, shape: tuple[int, ...], crop: tuple[int, ...]
) -> Symbol:
    """A symbol read on a rescaled crop (of shape ``shape``), put back in frame coordinates."""
    sx, sy = crop[1] / shape[1], crop[0] / shape[0]
    a, b, c, d = ((x * sx + dx, y * sy + dy) for x, y in s.position)
    return replace(s, position=(a, b, c, d))


def _effort(cand: Candidate) -> int:
    """How hard to retry around a candidate: textures fake Data Matrix finders in most photos
    (and zbar reads no Data Matrix), so those get the cheap retries only."""
    return 0 if cand.format == "DataMatrix" else 2


Step = Callable[[np.ndarray], list[Symbol]]


class Decoder:
    """Engines behind one interface: ``decode`` for still images, ``decode_frame`` for video.

    ``engines`` names the engines to use ("zxing-cpp", "pyzbar"; default: every one that can run
    here, ranked in ``engines/``); ``formats`` the symbologies, as zxing-cpp names them. The
    first locating engine reads first and steers (``_lead``); without one, the first engine
    reads first. Every engine but the lead is a second opinion in the retries, in rank order,
    reading the formats it is trusted with beside the engine that read first. Not thread-safe:
    one Decoder per camera loop (``decode_frame`` keeps per-stream state).
    """

    def __init__(
        self, engines: Sequence[str] | None = None, formats: Sequence[str] = SYMBOLOGIES
    ) -> None:
        self.formats = tuple(formats)
        ranked = usable_engines(engines)
        locating = [c for c in ranked if issubclass(c, LocatingEngine)]
        first = (locating or ranked or [None])[0]
        built: list[Engine] = []
        for cls in ranked:
            trusted = cls.second_opinion_formats
            if cls is first or trusted is None:
                built.append(cls(self.formats))
            elif fmts := tuple(f for f in self.formats if f in trusted):
                built.append(cls(fmts))
        self._lead = next((e for e in built if isinstance(e, LocatingEngine)), None)
        self._first: Engine | None = self._lead or (built[0] if built else None)
        self._seconds = tuple(e for e in built if e is not self._lead)
        self.engines = tuple(e.name for e in built)
        self._frame_no = 0
        self._recent: list[tuple[int, Quad]] = []

    # ---- still images -------------------------------------------------------------------
    def decode(self, image: np.ndarray) -> list[Symbol]:
        """Every symbol in a still image (full effort; BGR or gray input)."""
        gray = pp.to_gray(image)
        found: list[Symbol] = []
        cands: list[Candidate] = []
        if self._lead is not None:
            located = self._lead.locate(gray)
            merge_symbols(found, located.symbols)
            cands = located.candidates
        elif self._first is not None:
            merge_symbols(found, self._first.read(gray))
        pending = _unread(cands, found)
        if not found:  # nothing read: the whole image deserves every retry
            for step in self._still_steps(gray):
                merge_symbols(found, step(gray))
                pending = _unread(pending, found)
                if found and not pending:
                    return found
        for cand in pending[:STILL_REGIONS]:  # located but unread: retry around it only
            if not any(_near(cand.position, s.position) for s in found):
                merge_symbols(found, self._read_region(gray, cand.position, _effort(cand)))
        left = [c for c in _unread(pending, found) if c.format != "DataMatrix"]
        if left and self._lead is not None and min(gray.shape[:2]) >= 400:
            # Still unread (glare, bright spots): contrast-equalised at half size reads some.
            # Data Matrix candidates do not count: textures fake them in most photos.
            small = pp.rescale(gray, 0.5)
            merge_symbols(found, placed(self._lead.read(pp.equalise(small)), 2.0))
        return found

    def _still_steps(self, gray: np.ndarray) -> list[Step]:
        """Whole-image escalations, best reads per millisecond first (benchmarks/decode.py):
        the lead's and the second opinions' in one measured order."""
        steps: list[Step] = []
        lead, seconds = self._lead, self._seconds
        big = min(gray.shape[:2]) >= 400
        if lead is not None and big:
            steps.append(_scaled(lead, 0.5))
        steps.extend(_scaled(e, 0.5) if big else e.read for e in seconds)
        if lead is not None and big:
            steps.append(lambda g: placed(lead.read(pp.equalise(pp.rescale(g, 0.5))), 2.0))
        if lead is not None:
            steps.append(_global_threshold(lead))
            steps.append(lambda g: lead.read(pp.equalise(g)))
        # A second at full size on a 12 MP photo, for no read measured: half size there.
        steps.extend(_thresholded(e, half=gray.size > HUGE) for e in seconds)
        if lead is not None and max(gray.shape[:2]) <= 2000:
            steps.append(_scaled(lead, 1.5))
        # Last, so they cost only images every step above failed on. Measured on the BoofCV
        # photos: 410 -> 418 of 461 codes (coarse CLAHE +4 under bright spots and glare; zbar
        # on a finer threshold, 15 px block, offset 3, half size on large photos, +5 glare and
        # pathological; one overlap); no new wrong read on the zxing folders, median unchanged.
        if lead is not None and big:
            steps.append(lambda g: placed(lead.read(pp.equalise_hard(pp.rescale(g, 0.5))), 2.0))
        steps.extend(_fine_threshold(e, 0.5 if big else 1.0) for e in seconds)
        return steps

    # ---- live video ---------------------------------------------------------------------
    def decode_frame(self, image: np.ndarray) -> list[Symbol]:
        """Symbols in one live frame, at a fraction of a full pass (effort spread over frames)."""
        gray = pp.to_gray(image)
        k = self._frame_no
        self._frame_no += 1
        lead = self._lead
        if lead is None:  # no candidates to steer by: the first engine reads the frame
            return self._first.read(gray) if self._first is not None else []
        h, w = gray.shape[:2]
        f = 1.0 if max(h, w) <= LIVE_SIDE else 0.5
        small = pp.rescale(gray, f) if f < 1.0 else gray
        located = lead.locate(small, mode=Mode.QUICK).placed(1.0 / f)
        found = located.symbols
        phase = k % 3
        if f < 1.0 and phase < 2:  # full resolution, one half of the frame per frame
            x0, y0, x1, y1 = pp.strips(w, h, 2)[phase]
            more = lead.locate(gray[y0:y1, x0:x1], mode=Mode.QUICK).placed(dx=x0, dy=y0)
        else:  # 1D codes held upright (rotated by 90 degrees)
            one_d = [x for x in lead.formats if x in ONE_D]
            more = (
                lead.locate(small, one_d, mode=Mode.QUICK_ROTATED).placed(1.0 / f)
                if one_d
                else Located([], [])
            )
        merge_symbols(found, more.symbols)
        self._read_regions(gray, found, [*located.candidates, *more.candidates])
        self._recent = [(n, q) for n, q in self._recent if k - n < RECENT_FRAMES]
        self._recent.extend((k, s.position) for s in found)
        return found

    def _read_regions(self, gray: np.ndarray, found: list[Symbol], cands: list[Candidate]) -> None:
        """Retries on small regions: unread candidates, then codes seen in the last frames."""
        regions = [(c.position, _effort(c)) for c in _unread(cands, found)]
        for _, q in reversed(self._recent):
            if not any(_near(q, s.position) for s in found) and not any(
                _near(q, r) for r, _ in regions
            ):
                regions.append((q, 1))
        for quad, effort in regions[:LIVE_ROIS]:
            merge_symbols(found, self._read_region(gray, quad, min(effort, 1)))

    def _read_region(self, gray: np.ndarray, quad: Quad, effort: int) -> list[Symbol]:
        """Retries on a crop around ``quad`` (cheap, the crop is small), up to ``effort``:
        0 the lead on the crop and its equalised copy; 1 also the second opinions on the
        thresholded crop; 2 also other binarizers and scales."""
        x0, y0, x1, y1 = pp.box_around([quad], gray.shape)
        crop = gray[y0:y1, x0:x1]
        if crop.size == 0:
            return []
        f = 2.0 if max(crop.shape) < 240 else 1.0
        img = pp.rescale(crop, f) if f != 1.0 else crop
        lead, seconds = self._lead, self._seconds
        tries: list[Step] = []
        if lead is not None:
            tries.append(lead.read)
            tries.append(lambda g: lead.read(pp.equalise(g)))
        if effort >= 1:
            tries.extend(_thresholded(e) for e in seconds)
        if lead is not None and effort >= 2:
            tries.append(_global_threshold(lead))
            tries.append(_scaled(lead, 0.5))
        if effort >= 2:
            for e in seconds:
                tries.extend((e.read, _scaled(e, 0.5)))
        for attempt in tries:
            syms = attempt(img)
            if syms:
                return [_moved(s, x0, y0, img.shape, crop.shape) for s in syms]
        return []

    def reset(self) -> None:
        """Forget per-stream state (a new camera or file)."""
        self._frame_no = 0
        self._recent = []


def _scaled(engine: Engine, f: float) -> Step:
    """``engine`` on the image rescaled by ``f``, positions in the image's pixels."""
    return lambda g: placed(engine.read(pp.rescale(g, f)), 1.0 / f)


def _global_threshold(engine: LocatingEngine) -> Step:
    return lambda g: engine.locate(g, mode=Mode.GLOBAL_THRESHOLD).symbols


def _thresholded(engine: Engine, half: bool = False) -> Step:
    """``engine`` on the image binarised by an adaptive threshold (then halved if ``half``)."""
    if half:
        return lambda g: placed(engine.read(pp.rescale(pp.threshold(g), 0.5)), 2.0)
    return lambda g: engine.read(pp.threshold(g))


def _fine_threshold(engine: Engine, f: float) -> Step:
    """A fine adaptive threshold (15 px block, offset 3) of the image rescaled by ``f``: keeps
    faint modules that the 31 px one merges (zbar reads some glare and damage this way)."""

    def step(gray: np.ndarray) -> list[Symbol]:
        small = pp.rescale(gray, f) if f != 1.0 else gray
        return placed(engine.read(pp.threshold(small, 15, 3)), 1.0 / f)

    return step
