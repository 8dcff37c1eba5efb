"""A photo dropped or pasted on the window is decoded off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from scanner_app.core.vision import image_io
from scanner_app.ui.camera.photo_drop import PhotoDrop, qimage_to_gray
from scanner_app.ui.main_window import MainWindow
from tests.core.bombs import png_bomb
from tests.ui.helpers import drop_file

SERIAL = "PF3XK9Q2"


def label_image(text: str = SERIAL) -> np.ndarray:
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    code = np.asarray(zxingcpp.write_barcode_to_image(barcode, 3))
    return cv2.copyMakeBorder(code, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255)


@pytest.fixture
def photo_file(tmp_path: Path) -> Path:
    folder = tmp_path / "Fotos von Jürgen"  # non-ASCII: imread fails there on Windows
    folder.mkdir()
    path = folder / "étiquette.png"
    ok, encoded = cv2.imencode(".png", label_image())
    assert ok
    path.write_bytes(encoded.tobytes())
    return path


@pytest.fixture
def setup(qtbot: Any) -> Iterator[tuple[QWidget, QLineEdit, PhotoDrop]]:
    window = QWidget()
    field = QLineEdit(window)
    QVBoxLayout(window).addWidget(field)
    qtbot.add_widget(window)  # not shown: key and drop events reach it all the same
    drop = PhotoDrop(window)
    yield window, field, drop
    drop.shutdown()
    QApplication.instance().removeEventFilter(drop)


def test_decode_image_file_reads_non_ascii_paths(photo_file: Path) -> None:
    symbols = image_io.decode_image_file(photo_file)
    assert [s.text for s in symbols] == [SERIAL]


def test_a_file_that_is_not_an_image_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    with pytest.raises(image_io.ImageReadError, match="notes.png"):
        image_io.read_gray(bad)
    with pytest.raises(image_io.ImageReadError, match="missing.png: no such file"):
        image_io.read_gray(tmp_path / "missing.png")


def test_dropping_a_photo_file_finds_its_code(qtbot: Any, setup: Any, photo_file: Path) -> None:
    window, _field, drop = setup
    with qtbot.wait_signal(drop.symbols_found, timeout=10_000) as found:
        event = drop_file(window, photo_file)
    assert event.isAccepted()
    assert [s.text for s in found.args[0]] == [SERIAL]


def test_pasting_an_image_decodes_it_and_keeps_it_out_of_the_text_field(
    qtbot: Any, setup: Any
) -> None:
    window, field, drop = setup
    gray = label_image()
    image = QImage(gray.data, gray.shape[1], gray.shape[0], gray.strides[0],
                   QImage.Format.Format_Grayscale8).copy()  # fmt: skip
    QGuiApplication.clipboard().setImage(image)
    field.setFocus()
    with qtbot.wait_signal(drop.symbols_found, timeout=10_000) as found:
        QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [s.text for s in found.args[0]] == [SERIAL]
    assert field.text() == ""


def test_pasting_text_still_pastes_text(qtbot: Any, setup: Any) -> None:
    _window, field, drop = setup
    QGuiApplication.clipboard().setText("SN-TYPED")
    field.setFocus()
    with qtbot.assert_not_emitted(drop.decoding):
        QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "SN-TYPED"


def test_a_broken_file_dropped_gives_a_sentence(qtbot: Any, setup: Any, tmp_path: Path) -> None:
    _window, _field, drop = setup
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8 nope")
    with qtbot.wait_signal(drop.failed, timeout=10_000) as failed:
        drop.decode_file(bad)
    assert "broken.jpg" in failed.args[0]


def test_qimage_to_gray_drops_row_padding() -> None:
    image = QImage(13, 7, QImage.Format.Format_RGB32)  # 13 px: grey rows get padded to 16
    image.fill(Qt.GlobalColor.white)
    gray = qimage_to_gray(image)
    assert gray.shape == (7, 13) and int(gray.min()) == 255


LIMIT = "over the 50 MP limit for a photo: crop it to the label or save it smaller"


def test_a_dropped_image_bomb_is_refused_from_its_header(
    qtbot: Any, setup: Any, tmp_path: Path
) -> None:
    window, _field, drop = setup
    bomb = png_bomb(tmp_path / "scan.png", 8000, 8000)  # 60 KB on disk, 64 MB decoded
    with (
        qtbot.assert_not_emitted(drop.symbols_found),
        qtbot.wait_signal(drop.failed, timeout=10_000) as failed,
    ):
        drop_file(window, bomb)
    assert failed.args[0] == f"scan.png: 8000x8000 pixels (64 MP), {LIMIT}"


def test_a_bomb_dropped_on_the_window_shows_the_limit_in_the_banner(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    bomb = png_bomb(tmp_path / "scan.png", 8000, 8000)
    with qtbot.wait_signal(
        window.state_changed, timeout=10_000, check_params_cb=lambda s: s == "rejected"
    ):
        drop_file(window, bomb)
    assert f"scan.png: 8000x8000 pixels (64 MP), {LIMIT}" in window.banner.text()
    assert window.device is None


def test_a_pasted_image_over_the_ceiling_is_refused(qtbot: Any, setup: Any) -> None:
    _window, _field, drop = setup
    image = QImage(8000, 6400, QImage.Format.Format_Grayscale8)  # 51.2 MP
    image.fill(Qt.GlobalColor.white)
    with (
        qtbot.assert_not_emitted(drop.decoding),
        qtbot.wait_signal(drop.failed, timeout=10_000) as failed,
    ):
        drop.decode_image(image)
    assert failed.args[0] == f"pasted image: 8000x6400 pixels (51.2 MP), {LIMIT}"
