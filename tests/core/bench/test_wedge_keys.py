"""R6: a keyboard-wedge scanner's burst is a scan whatever keys it needs, and a person's typing
reaches the field with focus untouched.

The sessions mix people typing (at human speed, Shift for capitals, Enter to apply) with
scanners typing random serials (Shift for capitals, AltGr for ``@``/``\\``…, keypad digits,
Windows Alt codes; a few milliseconds per key, a pause before Enter). A timer that calls
``expire()`` at ``deadline`` stands in for the GUI's QTimer.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner_app.core.bench import BurstRecogniser, Key

ALTGR = "@\\|~{}[]€"
SERIAL_CHARS = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-" + ALTGR
HUMAN_CHARS = string.ascii_letters + string.digits + " .@-"


@dataclass(frozen=True)
class Typed:
    """Who typed a key: "human" or "scanner" (the tag the recogniser hands back)."""

    who: str


HUMAN, SCANNER = Typed("human"), Typed("scanner")


def modifier(at: float, who: Typed) -> Key:
    return Key(at, is_modifier=True, tag=who)


@st.composite
def scanner_burst(draw: st.DrawFn, start: float) -> tuple[str, list[Key]]:
    """A random serial as a scanner types it, from ``start`` (seconds)."""
    serial = draw(st.text(SERIAL_CHARS, min_size=6, max_size=20))
    alt_codes = draw(st.booleans())  # "keyboard independent" mode: every character as an Alt code
    # A scanner's rhythm: a few gaps (0–8 ms) repeated, whatever key comes next.
    gaps = itertools.cycle(draw(st.lists(st.integers(0, 8), min_size=1, max_size=8)))
    keys: list[Key] = []
    t = start

    def press(**fields: object) -> None:
        nonlocal t
        t += next(gaps) / 1000.0
        keys.append(Key(t, tag=SCANNER, **fields))  # type: ignore[arg-type]

    for ch in serial:
        if alt_codes:
            press(is_modifier=True)  # Alt down
            for _digit in range(draw(st.integers(3, 4))):
                press(is_modifier=True)  # a keypad digit while Alt composes the code
        elif ch.isupper():
            press(is_modifier=True)  # Shift
        elif ch in ALTGR:
            press(is_modifier=True)  # AltGr (Windows reports Ctrl and Alt: two presses)
            if draw(st.booleans()):
                press(is_modifier=True)
        press(text=ch)
    t += draw(st.integers(0, 80)) / 1000.0  # many scanners pause before their Enter suffix
    keys.append(Key(t, is_enter=True, tag=SCANNER))
    return serial, keys


@st.composite
def human_typing(draw: st.DrawFn, start: float) -> list[Key]:
    """A person typing a name or a tag, with Shift for capitals, maybe ending with Enter."""
    text = draw(st.text(HUMAN_CHARS, min_size=1, max_size=12))
    keys, t = [], start
    for ch in text:
        t += draw(st.integers(45, 400)) / 1000.0
        if ch.isupper():
            keys.append(modifier(t, HUMAN))
            t += draw(st.integers(5, 150)) / 1000.0
        keys.append(Key(t, text=ch, tag=HUMAN))
    if draw(st.booleans()):
        keys.append(Key(t + draw(st.integers(45, 400)) / 1000.0, is_enter=True, tag=HUMAN))
    return keys


@st.composite
def sessions(draw: st.DrawFn) -> tuple[list[str], list[Key]]:
    """People and scanners taking turns (a pause between turns), and the serials scanned."""
    serials: list[str] = []
    keys: list[Key] = []
    t = 100.0
    for _turn in range(draw(st.integers(1, 6))):
        t += draw(st.integers(150, 2000)) / 1000.0
        if draw(st.booleans()):
            serial, burst = draw(scanner_burst(t))
            serials.append(serial)
            keys += burst
        else:
            keys += draw(human_typing(t))
        t = keys[-1].at
    return serials, keys


def feed(recogniser: BurstRecogniser, keys: list[Key]) -> tuple[list[str], list[Key]]:
    """Play ``keys``; return the scans and every key delivered to the focused widget, in order."""
    scans: list[str] = []
    delivered: list[Key] = []
    for key in keys:
        deadline = recogniser.deadline
        if deadline is not None and deadline < key.at:
            delivered += recogniser.expire()  # the GUI's timer fired before this key came
        decision = recogniser.key(key)
        delivered += decision.replay
        if not decision.swallow:
            delivered.append(key)
        if decision.scanned is not None:
            scans.append(decision.scanned)
    delivered += recogniser.expire()
    return scans, delivered


def typed(keys: list[Key]) -> list[tuple[str, bool]]:
    """What a field makes of keys: the characters and Enters, in order (modifiers type nothing)."""
    return [(k.text, k.is_enter) for k in keys if not k.is_modifier]


@settings(max_examples=600, deadline=None)
@given(sessions())
def test_r6_every_scan_is_recognised_and_every_typed_key_reaches_the_field(
    session: tuple[list[str], list[Key]],
) -> None:
    serials, keys = session
    scans, delivered = feed(BurstRecogniser(), keys)
    assert scans == serials
    assert all(k.tag is HUMAN or k.is_modifier for k in delivered), "a scanned key leaked"
    assert typed(delivered) == typed([k for k in keys if k.tag is HUMAN])


def burst(
    text: str, *, gap_ms: float = 4, enter_gap_ms: float = 6, shift: bool = True
) -> list[Key]:
    keys, t = [], 0.0
    for ch in text:
        if shift and ch.isupper():
            t += gap_ms / 1000
            keys.append(modifier(t, SCANNER))
        t += gap_ms / 1000
        keys.append(Key(t, text=ch, tag=SCANNER))
    return [*keys, Key(t + enter_gap_ms / 1000, is_enter=True, tag=SCANNER)]


def test_upper_case_serials_sent_with_shift_are_scans() -> None:
    for serial in ("5CG3810DNA", "8Q6YF1L", "PFRH6CT6"):  # issue 14: 0 of 3 before
        scans, delivered = feed(BurstRecogniser(), burst(serial))
        assert scans == [serial] and typed(delivered) == []


def test_a_scanner_that_pauses_before_its_enter_is_still_a_scan() -> None:
    scans, delivered = feed(BurstRecogniser(), burst("5CG3810DNA", enter_gap_ms=70))
    assert scans == ["5CG3810DNA"] and typed(delivered) == []


def test_a_short_fast_run_and_its_enter_reach_the_field_in_order() -> None:
    scans, delivered = feed(BurstRecogniser(), burst("Kiosk"))  # 5 characters: not a scan
    assert scans == [] and typed(delivered) == [(c, False) for c in "Kiosk"] + [("", True)]


def test_an_editing_key_gives_back_what_is_held_first() -> None:
    recogniser = BurstRecogniser()
    assert recogniser.key(Key(0.0, text="a")).swallow and recogniser.holding == 1
    backspace = recogniser.key(Key(0.005, text="\b"))
    assert not backspace.swallow and [k.text for k in backspace.replay] == ["a"]
    repeat = recogniser.key(Key(0.010, text="x", auto_repeat=True))
    assert not repeat.swallow and recogniser.deadline is None
