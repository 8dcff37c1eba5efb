"""Read / success / error feedback: a sound unless switched off, and a coloured flash."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from scanner_app.ui.feedback import COLOURS, Feedback, default_sound_files


def test_bundled_sounds_are_found() -> None:
    files = default_sound_files()
    assert set(files) == {"read", "success", "error"}
    assert all(path.read_bytes()[:4] == b"RIFF" for path in files.values())


def test_each_event_sounds_and_flashes_its_colour(qtbot: Any) -> None:
    banner = QLabel("Ready")
    qtbot.add_widget(banner)
    banner.resize(300, 60)
    feedback = Feedback(banner, flash_ms=50)
    feedback.attach(banner)
    given: list[str] = []
    feedback.given.connect(given.append)
    for kind, give in (("read", feedback.read), ("success", feedback.success),
                       ("error", feedback.error)):  # fmt: skip
        with qtbot.wait_signals([feedback.given, feedback.sound_played]):
            give()
        assert given[-1] == kind
        frame = feedback._frames[0]
        assert frame.colour.name() == COLOURS[kind]
        assert frame.geometry() == banner.rect()
        assert feedback.flashing
    qtbot.wait_until(lambda: not feedback.flashing, timeout=2000)
    assert banner.text() == "Ready" and banner.styleSheet() == ""  # the widget's style untouched


def test_sounds_switched_off_still_flash(qtbot: Any) -> None:
    banner = QLabel()
    qtbot.add_widget(banner)
    feedback = Feedback(banner, sounds=False)
    feedback.attach(banner)
    with qtbot.assert_not_emitted(feedback.sound_played), qtbot.wait_signal(feedback.given):
        feedback.success()
    assert feedback.flashing
    feedback.set_sounds(True)
    with qtbot.wait_signal(feedback.sound_played):
        feedback.error()


def test_unknown_kind_is_refused(qtbot: Any) -> None:
    feedback = Feedback(sound_files={})
    with pytest.raises(ValueError, match="unknown feedback"):
        feedback.give("party")
