"""The live view: picture fitted with its aspect, outlines where the codes are, a green tick
once confirmed, and a plain message when there is no picture."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QImage, QPalette

from scanner_app.core.models import Symbol
from scanner_app.ui.camera.camera_view import CONFIRMED_FOR_S, CameraView

SYMBOL = Symbol(
    "5CG1234XYZ", "Code128", ((100.0, 50.0), (300.0, 50.0), (300.0, 150.0), (100.0, 150.0))
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_view(qtbot, clock: Clock | None = None) -> CameraView:  # type: ignore[no-untyped-def]
    view = CameraView(clock=clock or Clock())
    qtbot.add_widget(view)
    view.resize(800, 600)
    return view


def grey_image(w: int = 400, h: int = 200) -> QImage:
    image = QImage(w, h, QImage.Format.Format_RGB888)
    image.fill(QColor(128, 128, 128))
    return image


def test_no_picture_shows_the_camera_status_and_what_to_do(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_status("failed", "No camera found")
    assert view.status_text() == "No camera found — type the serial below"
    view.set_status("live", "camera 0")
    assert view.status_text() == "Waiting for a picture from camera 0…"
    view.set_frame(grey_image(), [])
    assert view.status_text() == ""
    view.set_status("reconnecting", "Camera 0 stopped sending pictures: was it unplugged?")
    assert "unplugged" in view.status_text()  # the old picture is gone: it would look live
    assert not view.grab().isNull()


def test_picture_keeps_its_aspect_and_outlines_map_onto_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_frame(grey_image(400, 200), [SYMBOL])
    # 400x200 into 800x600: scale 2, letterboxed 100 px top and bottom.
    rect = view.image_rect()
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == (0, 100, 800, 400)
    quad = view.map_quad(SYMBOL)
    assert [(quad.at(i).x(), quad.at(i).y()) for i in range(quad.size())] == [
        (200, 200),
        (600, 200),
        (600, 400),
        (200, 400),
    ]


def pixel_on_outline(view: CameraView) -> QColor:
    image = view.grab().toImage()
    return image.pixelColor(400, 200)  # on the top edge of the mapped quad


def test_confirmed_symbol_turns_green_for_a_while(qtbot) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    view = make_view(qtbot, clock)
    view.set_frame(grey_image(), [SYMBOL])
    read = pixel_on_outline(view)
    assert read.red() > 200 and read.green() > 150 and read.blue() < 80  # amber: read
    assert not view.is_confirmed(SYMBOL)
    view.mark_confirmed([SYMBOL])
    assert view.is_confirmed(SYMBOL)
    confirmed = pixel_on_outline(view)
    assert confirmed.green() > 150 and confirmed.red() < 120  # green: confirmed
    clock.now += CONFIRMED_FOR_S + 0.1
    assert not view.is_confirmed(SYMBOL)
    again = pixel_on_outline(view)
    assert again.red() > 200 and again.blue() < 80


def test_background_follows_the_palette(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_status("failed", "No camera found")
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.WindowText, QColor(230, 230, 230))
    view.setPalette(dark)
    corner = view.grab().toImage().pixelColor(2, 2)
    assert corner.lightness() < 60


def test_an_autopilot_qr_is_labelled_never_drawn_as_json(qtbot) -> None:  # type: ignore[no-untyped-def]
    import json

    view = make_view(qtbot)
    block = {
        "Id": "1",
        "ZtdId": "1b2c3d4e-0000-4000-8000-000000000001",
        "PKID": "",
        "SerialNumber": "",
        "HardwareId": "",
        "SequenceBlockNumber": 1,
        "TotalBlocks": 1,
    }
    assert view.overlay_text(json.dumps({"BlockSequence": block})) == "Autopilot QR"
    block["SerialNumber"] = "5CG3810DNA"
    assert view.overlay_text(json.dumps({"BlockSequence": block})) == "Autopilot QR · 5CG3810DNA"
    long_text = "https://example.com/" + "x" * 200
    assert len(view.overlay_text(long_text)) <= 40 and view.overlay_text(long_text).endswith("…")
    assert view.overlay_text("5CG1234XYZ") == "5CG1234XYZ"
    quad = ((100.0, 50.0), (300.0, 50.0), (300.0, 150.0), (100.0, 150.0))
    view.set_frame(grey_image(), [Symbol(json.dumps({"BlockSequence": block}), "QRCode", quad)])
    assert not view.grab().isNull()  # drawn with the label
