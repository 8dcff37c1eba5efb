"""The motion gate: with nothing in view the full decode rests, and a label entering view is
still confirmed within 3 frames. Decoder calls are counted (never timed); the CPU figures are
printed by benchmarks/capture.py."""

from __future__ import annotations

import numpy as np

from scanner_app.core.models import Symbol
from scanner_app.core.vision.decoding import Decoder
from scanner_app.core.vision.motion_gate import GatedReader, MotionGate, thumbnail
from scanner_app.core.vision.synthetic import Script, SyntheticBenchSource
from scanner_app.core.vision.tracker import Tracker

LABELS: list[dict[str, str | None]] = [
    {"serial": "5CG1234XYZ", "qr_text": "5CG1234XYZ", "manufacturer": "HP", "model": "840 G9"},
    {"serial": "PF3ABCDE", "qr_text": None, "manufacturer": "LENOVO", "model": "T14 Gen 4"},
    {"serial": "SZNY6CL", "qr_text": "SZNY6CL", "manufacturer": "Dell Inc.", "model": "7010"},
]
QUAD = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))


class CountingDecoder(Decoder):
    """The real decoder, counting the frames it is given."""

    calls = 0

    def decode_frame(self, image: np.ndarray) -> list[Symbol]:
        self.calls += 1
        return super().decode_frame(image)


def desk(seed: int = 0, size: tuple[int, int] = (1920, 1080)) -> np.ndarray:
    """An empty 1080p desk with sensor noise (BGR)."""
    w, h = size
    rng = np.random.default_rng(seed)
    base = np.full((h, w, 3), 110, np.int16)
    base[h // 5 : h * 4 // 5, w // 8 : w * 5 // 8] = 60  # a laptop lid
    noise = rng.normal(0, 4, (h, w, 1)).astype(np.int16)  # grey noise: one plane, three times
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def test_nothing_in_view_skips_the_full_decode_and_a_label_entering_is_confirmed_in_3_frames() -> (
    None
):
    gap, hold = 60, 20
    script = Script(hold_frames=hold, gap_frames=gap)
    scene = SyntheticBenchSource(LABELS, seed=3, size=(1920, 1080), script=script)
    decoder = CountingDecoder()
    gate = MotionGate()
    reader = GatedReader(decoder, Tracker(), gate)
    calls_in_gap: list[int] = []
    confirmed_on: dict[str, int] = {}
    for slot in range(len(LABELS)):
        k = script.first_frame(slot)
        before = decoder.calls
        for i in range(k - gap, k):  # the empty desk (the label before it has left)
            assert reader.step(scene.render(i)).confirmed == []
        calls_in_gap.append(decoder.calls - before)
        for i in range(k, k + hold):
            for s in reader.step(scene.render(i)).confirmed:
                confirmed_on.setdefault(s.text, i - k)
    # Each label is confirmed on its first, second or third frame in view (0, 1 or 2; the
    # Lenovo label has its Code 128 only, which needs no second read: it carries a checksum) ...
    assert set(confirmed_on) == {lb["serial"] for lb in LABELS}
    assert all(frame <= 2 for frame in confirmed_on.values()), confirmed_on
    # ... while of the 60 frames of empty desk before it, the decoder was given the stream's
    # first frames (the first and ``settle`` more) or those while the last label's code stayed
    # in mind (``hold`` frames after its last read), then one frame in ``heartbeat``: not 60.
    assert calls_in_gap[0] <= 1 + gate.settle + gap // gate.heartbeat
    for calls in calls_in_gap[1:]:
        assert calls <= gate.hold + 1 + gap // gate.heartbeat
    assert gate.skipped >= len(LABELS) * gap * 2 // 3


def test_the_gate_changes_no_confirmation_of_the_demo_scene() -> None:
    """The random demo scene (labels sliding in blurred, tilted, glare, two at once): the gated
    loop confirms the same codes as the loop that decodes every frame, each within 2 frames of
    it, on fewer decoder calls."""
    scene = SyntheticBenchSource(LABELS, seed=1, size=(1280, 720))
    every, gated = CountingDecoder(), CountingDecoder()
    readers = (GatedReader(every, Tracker()), GatedReader(gated, Tracker(), MotionGate()))
    events: tuple[list[tuple[int, str]], ...] = ([], [])
    for i in range(260):
        frame = scene.render(i)
        for reader, out in zip(readers, events, strict=True):
            out.extend((i, s.text) for s in reader.step(frame).confirmed)
    assert [t for _, t in events[1]] == [t for _, t in events[0]] and len(events[0]) >= 6
    assert all(abs(a - b) <= 2 for (a, _), (b, _) in zip(*events, strict=True)), events
    assert gated.calls < every.calls == 260


def test_noise_and_exposure_are_not_motion_but_a_small_label_is() -> None:
    gate = MotionGate(settle=0, heartbeat=1000)
    assert gate.wants(desk(0))  # the first frame: nothing to compare with
    assert not gate.wants(desk(1))  # other sensor noise
    darker = (desk(2).astype(np.int16) - 25).clip(0, 255).astype(np.uint8)
    assert not gate.wants(darker)  # auto-exposure: the whole picture darker
    label = desk(3)
    label[500:560, 1400:1460] = 245  # a 60 px label
    label[510:550, 1410:1450:4] = 20
    assert gate.wants(label)


def test_an_unchanged_picture_is_decoded_once_a_heartbeat_and_reads_keep_the_gate_open() -> None:
    gate = MotionGate(settle=2, hold=5, heartbeat=6)
    frame = desk(0)
    let_through = [gate.wants(frame) for _ in range(15)]
    # the first frame (a new picture), its 2 settle frames, then one in 6
    assert [i for i, ok in enumerate(let_through) if ok] == [0, 1, 2, 8, 14]
    gate.saw([Symbol("5CG1234XYZ", "QRCode", QUAD)])  # frame 14 read a code
    assert all(gate.wants(frame) for _ in range(5))  # the code's hold: still read each frame
    assert not gate.wants(frame)
    assert gate.decoded == 10 and gate.skipped == 11


def test_thumbnails_of_any_frame_shape() -> None:
    assert thumbnail(desk(0)).shape == (67, 120)
    assert thumbnail(np.zeros((720, 1280), np.uint8)).shape == (72, 128)
    assert thumbnail(np.zeros((24, 32, 4), np.uint8)).shape == (24, 32)
    assert thumbnail(np.zeros((24, 32, 1), np.uint8)).shape == (24, 32)
