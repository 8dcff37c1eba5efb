"""The engine interface: a new engine is its class and one entry in the ranked list.

The engines here are stand-ins registered in ``scanner_app.core.vision.engines.RANKED`` for one
test; ``core/vision/decoding.py`` knows none of them, so what they prove holds for any third
engine: it is asked by the Decoder's retries, its positions are put back in frame pixels,
candidates from any locating engine steer the retries, and an engine that cannot run is
reported, not used.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from scanner_app.core.models import SYMBOLOGIES, Quad, Symbol
from scanner_app.core.vision import engines
from scanner_app.core.vision.decoding import Decoder
from scanner_app.core.vision.engines.base import Candidate, Engine, Located, LocatingEngine, Mode
from scanner_app.core.vision.engines.zxing import ZxingEngine

FRAME = (600, 800)  # rows, columns: big enough for the decoder's half-size retries
BLANK = np.full(FRAME, 255, np.uint8)  # nothing a real engine reads


def whole(shape: tuple[int, ...]) -> Quad:
    h, w = float(shape[0]), float(shape[1])
    return ((0.0, 0.0), (w, 0.0), (w, h), (0.0, h))


class Third(Engine):
    """Reads one QR code covering whatever image it is given, and remembers each call."""

    name = "third"
    built: list[tuple[str, ...]] = []
    seen: list[tuple[int, ...]] = []

    def __init__(self, formats: Sequence[str] = SYMBOLOGIES) -> None:
        super().__init__(formats)
        Third.built.append(self.formats)

    def read(self, gray: np.ndarray, formats: Sequence[str] | None = None) -> list[Symbol]:
        Third.seen.append(gray.shape)
        return [Symbol("THIRD-1", "QRCode", whole(gray.shape), self.name)]


class Narrow(Third):
    """As Third, trusted with QR codes only when another engine reads first."""

    name = "narrow"
    second_opinion_formats = ("QRCode",)


class Moon(Third):
    name = "moon"

    @classmethod
    def unavailable(cls) -> str | None:
        return "moon cannot run: it needs the moon."


CODE = ((100.0, 100.0), (160.0, 100.0), (160.0, 160.0), (100.0, 160.0))
LOST = ((500.0, 300.0), (580.0, 300.0), (580.0, 380.0), (500.0, 380.0))


class Lead(LocatingEngine):
    """A locating engine: on the whole frame, one code read and one located but not read."""

    name = "lead"
    modes: list[Mode] = []

    def locate(
        self, gray: np.ndarray, formats: Sequence[str] | None = None, *, mode: Mode = Mode.FULL
    ) -> Located:
        Lead.modes.append(mode)
        if gray.shape != FRAME:
            return Located([], [])
        return Located([Symbol("LEAD-1", "QRCode", CODE, self.name)], [Candidate("QRCode", LOST)])


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    Third.built, Third.seen, Lead.modes = [], [], []
    yield


def register(monkeypatch: pytest.MonkeyPatch, *ranked: type[Engine]) -> None:
    monkeypatch.setattr(engines, "RANKED", ranked)


def centre(q: Quad) -> tuple[float, float]:
    return (sum(p[0] for p in q) / 4, sum(p[1] for p in q) / 4)


def test_a_third_engine_in_the_ranked_list_is_asked_and_placed_in_the_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register(monkeypatch, *engines.RANKED, Third)
    decoder = Decoder()
    assert decoder.engines[0] == "zxing-cpp" and decoder.engines[-1] == "third"
    (symbol,) = decoder.decode(BLANK)
    # zxing-cpp read nothing: the first whole-image retry asks the second opinions at half size,
    # and the Decoder puts what they read back in frame pixels.
    assert (symbol.text, symbol.engine) == ("THIRD-1", "third")
    assert Third.seen == [(300, 400)]
    assert symbol.position == whole(FRAME)


def test_candidates_from_any_locating_engine_steer_the_second_opinions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register(monkeypatch, Lead, Third)
    decoder = Decoder()
    assert decoder.engines == ("lead", "third")
    for read in (decoder.decode, decoder.decode_frame):
        Third.seen = []
        lead, third = read(BLANK)
        assert (lead.text, lead.position) == ("LEAD-1", CODE)
        # Asked on a small crop around the code the lead located but could not read, and placed
        # where that code is in the frame.
        assert third.text == "THIRD-1" and Third.seen and max(Third.seen[0]) < 400
        assert math.dist(centre(third.position), centre(LOST)) < 2
    assert Mode.QUICK in Lead.modes  # live frames ask the lead for its quick reads


def test_an_engine_alone_reads_first_with_every_format(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, ZxingEngine, Narrow)
    decoder = Decoder(engines=["narrow"])
    assert decoder.engines == ("narrow",)
    assert [s.position for s in decoder.decode(BLANK)] == [whole(FRAME)]  # the full image
    assert [s.text for s in decoder.decode_frame(BLANK)] == ["THIRD-1"]
    assert Third.built == [SYMBOLOGIES]


def test_a_second_opinion_reads_only_what_it_is_trusted_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register(monkeypatch, ZxingEngine, Narrow)
    assert Decoder().engines == ("zxing-cpp", "narrow")
    assert Third.built == [("QRCode",)]
    # Trusted with none of the formats asked for: left out.
    assert Decoder(formats=("DataMatrix",)).engines == ("zxing-cpp",)


def test_an_engine_that_cannot_run_is_reported_and_left_out(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    register(monkeypatch, ZxingEngine, Moon)
    assert engines.available_engines() == {
        "zxing-cpp": None,
        "moon": "moon cannot run: it needs the moon.",
    }
    with caplog.at_level(logging.WARNING):
        decoder = Decoder()
    assert decoder.engines == ("zxing-cpp",)
    assert Third.built == []
    assert "it needs the moon" in caplog.text


def test_an_unknown_engine_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, ZxingEngine, Third)
    with pytest.raises(ValueError, match="unknown decoder engine"):
        Decoder(engines=["zxing-cpp", "fourth"])
