"""The Tracker beeps once per presentation of a label, and never picks between two labels."""

from __future__ import annotations

from scanner_app.core.models import Quad, Symbol
from scanner_app.core.vision.tracker import Tracker

HERE: Quad = ((10.0, 10.0), (60.0, 10.0), (60.0, 60.0), (10.0, 60.0))
THERE: Quad = ((400.0, 10.0), (460.0, 10.0), (460.0, 60.0), (400.0, 60.0))
QR = Symbol("SN 5CG1234XYZ", "QRCode", HERE)
QR_B = Symbol("SN 5CG9999ABC", "QRCode", THERE)
C39 = Symbol("PF3ABCD1", "Code39", HERE)


def feed(tracker: Tracker, frames: list[list[Symbol]]) -> list[list[str]]:
    return [[s.text for s in tracker.update(f)] for f in frames]


def test_a_checked_symbology_is_confirmed_on_its_first_read_and_only_once() -> None:
    t = Tracker()
    assert feed(t, [[QR]] * 30) == [[QR.text]] + [[]] * 29


def test_a_label_held_still_is_not_reannounced_when_some_frames_miss_it() -> None:
    t = Tracker(forget_after=15)
    frames = [[QR], [], [], [QR], *([[]] * 14), [QR]]
    assert [x for x in feed(t, frames) if x] == [[QR.text]]


def test_a_label_that_left_and_came_back_is_reported_again() -> None:
    t = Tracker(forget_after=15)
    frames = [[QR], *([[]] * 16), [QR]]
    assert [x for x in feed(t, frames) if x] == [[QR.text], [QR.text]]


def test_code39_needs_a_second_read_before_it_counts() -> None:
    t = Tracker()
    assert feed(t, [[C39], [], [C39], [C39]]) == [[], [], [C39.text], []]


def test_code39_reads_too_far_apart_do_not_confirm_each_other() -> None:
    t = Tracker(confirm_window=5, forget_after=15)
    assert feed(t, [[C39], *([[]] * 6), [C39]]) == [[]] * 8


def test_one_misread_code39_never_fires() -> None:
    t = Tracker()
    assert all(x == [] for x in feed(t, [[C39], *([[]] * 40)]))


def test_two_labels_in_view_are_both_reported() -> None:
    t = Tracker()
    assert feed(t, [[QR, QR_B], [QR, QR_B]]) == [[QR.text, QR_B.text], []]


def test_a_second_label_arriving_later_is_reported_without_repeating_the_first() -> None:
    t = Tracker()
    assert feed(t, [[QR], [QR], [QR, QR_B], [QR_B, QR]]) == [[QR.text], [], [QR_B.text], []]


def test_the_same_symbol_twice_in_one_frame_counts_once() -> None:
    t = Tracker()
    twice = Symbol(C39.text, C39.format, THERE, engine="pyzbar")
    assert feed(t, [[C39, twice]]) == [[]]  # two engines on one frame are not a repeat
    t2 = Tracker()
    assert feed(t2, [[QR, Symbol(QR.text, QR.format, THERE)]]) == [[QR.text]]


def test_rearm_reports_a_label_still_in_view_again() -> None:
    t = Tracker()
    assert feed(t, [[QR], [QR]]) == [[QR.text], []]
    t.rearm()
    assert feed(t, [[QR]]) == [[QR.text]]
    assert t.in_view == [(QR.format, QR.text)]
