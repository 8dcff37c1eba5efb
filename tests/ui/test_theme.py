"""Dark mode and the big-text bench layout change what the operator sees, and change back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from scanner_app.ui.theme import Theme


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[Theme]:
    style, palette, font = qapp.style().name(), QPalette(qapp.palette()), qapp.font()
    t = Theme(qapp, mode="light")
    yield t
    qapp.styleHints().colorSchemeChanged.disconnect(t._os_scheme_changed)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def window_lightness(app: QApplication) -> int:
    return app.palette().color(QPalette.ColorRole.Window).lightness()


def test_dark_mode_darkens_the_palette_and_light_restores_it(
    qtbot: Any, qapp: QApplication, theme: Theme
) -> None:
    light = window_lightness(qapp)
    with qtbot.wait_signal(theme.dark_changed) as switched:
        theme.set_mode("dark")
    assert switched.args == [True]
    assert window_lightness(qapp) < 60 < light
    assert qapp.style().name().lower() == "fusion"
    theme.set_mode("light")
    assert window_lightness(qapp) == light


def test_auto_follows_the_os_scheme(qapp: QApplication, theme: Theme) -> None:
    theme.set_mode("auto")
    assert theme.dark == theme.os_prefers_dark()
    with pytest.raises(ValueError, match="auto, light, dark"):
        theme.set_mode("sepia")


def test_bench_layout_makes_text_bigger_and_back(qtbot: Any, theme: Theme) -> None:
    label = QLabel("5CG1234XYZ")
    qtbot.add_widget(label)
    normal = label.sizeHint().height()
    with qtbot.wait_signal(theme.bench_changed):
        theme.set_bench_layout(True)
    big = 1.3 * theme._base_font.pointSizeF()
    qtbot.wait_until(lambda: label.font().pointSizeF() >= big)  # Qt posts the font change
    assert label.sizeHint().height() > normal
    theme.set_bench_layout(False)
    qtbot.wait_until(lambda: label.sizeHint().height() == normal)
