"""Take PNG screenshots of the main window's states for the README and docs/screenshots/.

Run on a real X server or Xvfb so the platform style is drawn as an operator sees it:

    xvfb-run -a -s "-screen 0 1400x900x24" uv run python scripts/screenshots.py

Every state is taken twice, on a fresh demo tenant each time: with the window at 1400x900
(``found.png``) and at 800x600, the smallest screen the app supports (``found-800x600.png``).
After the history, the states met when something is off: ``refused`` (a web link typed),
``lookup-failed`` (Graph answers 500 to the look-up), ``two-labels`` (a photo of two labels),
``offline`` (the simulated tenant stopped: a device seen earlier comes from the offline copy)
and ``queued`` (its change applied while Graph is unreachable).
Besides the states: ``big-text.png`` (Tools ▸ Big text on a found card) and the history window
after the queue run with one change undone (``history.png``, and ``history-800x600.png`` sized to
the small window).

It drives the window exactly as the tests do: the demo tenant, the synthetic camera, keystrokes.
Every shot is deterministic: the camera runs a script (one upright label, shown by this script,
never by the clock) and is paused once the keyboard drives (from "found" on), so each picture
shows the same label, the same rows and the same states on every run; only the clock times in
the session table differ. ``sign-in.png`` is made elsewhere and left alone.

The card's Profile row is shown in its states: "Kiosk — assigned" when the device is found,
"Staff laptop — pending" right after its group tag became Sales (``verified.png``), and
"Staff laptop — assigned" once the simulated Intune assigned the profile (``profile-assigned.png``,
a few seconds later: the demo tenant's assignment delay).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
sys.path.insert(0, str(REPO))


def wait_until(predicate: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"state not reached: {what or predicate}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


SIZES = ((1400, 900, ""), (800, 600, "-800x600"))


def shot(window: QWidget, name: str, *, with_popups: bool = False) -> None:
    """Save the window as ``name`` (+ the run's size suffix). ``with_popups``: from the screen,
    so an open popup (the user suggestions) shows too: ``grab()`` draws the window alone."""
    settle()
    path = OUT / f"{name}{getattr(window, 'shot_suffix', '')}.png"
    if with_popups and window.screen() is not None:
        frame = window.frameGeometry()
        picture = window.screen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        picture.save(str(path))
    else:
        window.grab().save(str(path))
    print(f"wrote {path.relative_to(REPO)}")


def plain_unique(sim: Any) -> list[dict[str, Any]]:
    """Devices with one record per serial, serials as printed, short enough for one label."""
    from scanner_app.core import payload
    from scanner_app.core.payload import normalise_serial

    counts = Counter(normalise_serial(d["serialNumber"]) for d in sim.devices.values())
    return [
        d
        for d in sim.devices.values()
        if counts[normalise_serial(d["serialNumber"])] == 1
        and d["serialNumber"] == d["serialNumber"].strip().upper()
        and len(d["serialNumber"]) <= 12
        and payload.parse(d["serialNumber"]).kind == "serial"
    ]


def main() -> int:
    home = Path(os.environ.get("SCANNER_APP_HOME") or tempfile.mkdtemp(prefix="scanner-shots-"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Autopilot Bench Scanner")
    OUT.mkdir(parents=True, exist_ok=True)
    for width, height, suffix in SIZES:
        # A fresh journal per size, so each history shows that run's changes alone.
        os.environ["SCANNER_APP_HOME"] = str(home / f"{width}x{height}")
        take_states(width, height, suffix)
    overlay_shot()
    return 0


def overlay_shot() -> None:
    """``autopilot-qr.png``: the live view over an Autopilot pre-provisioning QR code, decoded
    for real; the overlay names it ("Autopilot QR") instead of drawing its JSON."""
    import json

    import numpy as np
    import zxingcpp

    from scanner_app.core.vision.decoding import Decoder
    from scanner_app.core.vision.label_art import _barcode, desk_background
    from scanner_app.ui.camera.camera_view import CameraView
    from scanner_app.ui.camera.display_scaling import to_display_image

    block = {"Id": "6c5e1f2a-0000-4000-8000-000000000003", "PKID": "", "HardwareId": "",
             "ZtdId": "0f8f2d1c-5b7e-4c1a-9d3e-2a6b4c8d0e1f", "SerialNumber": "",
             "SequenceBlockNumber": 1, "TotalBlocks": 1}  # fmt: skip
    qr = _barcode(json.dumps({"BlockSequence": block}), zxingcpp.BarcodeFormat.QRCode, 5)
    frame = desk_background((960, 540), np.random.default_rng(7))
    y, x = (540 - qr.shape[0]) // 2, (960 - qr.shape[1]) // 2
    frame[y : y + qr.shape[0], x : x + qr.shape[1]] = qr[..., None]
    symbols = Decoder().decode(frame)
    image, _scale = to_display_image(frame, 960, None)
    view = CameraView()
    view.resize(960, 540)
    view.show()
    view.set_frame(image, symbols)
    view.mark_confirmed(symbols)
    settle()
    path = OUT / "autopilot-qr.png"
    view.grab().save(str(path))
    print(f"wrote {path.relative_to(REPO)} ({len(symbols)} code read)")
    view.close()


def take_states(width: int, height: int, suffix: str) -> None:
    """Every state once, with the window at ``width`` x ``height``, on a fresh demo tenant."""
    from scanner_app.core.config import Settings
    from scanner_app.core.payload import normalise_serial
    from scanner_app.core.services import open_services
    from scanner_app.core.vision.decoding import Decoder
    from scanner_app.core.vision.synthetic import HandHeldSource, Label
    from scanner_app.core.vision.tracker import Tracker
    from scanner_app.ui.camera.camera_thread import CameraThread
    from scanner_app.ui.camera.camera_view import CameraView
    from scanner_app.ui.main_window import MainWindow

    settings = Settings.from_mapping(
        {"demo": True, "group_tags": ["Sales", "Kiosk"], "sounds": False}
    )
    services = open_services(settings)
    sim = services.simulator
    sim.faults.latency(600, method="POST")  # slow enough to catch "applying" on screen
    devices = plain_unique(sim)[:6]
    # Code 128 only: with a QR of the same text, the tracker may confirm the two codes on
    # different frames and the window looks the label up twice (one row stuck "looking up").
    labels = [Label(d["serialNumber"], None, d["manufacturer"], d["model"]) for d in devices]
    source = HandHeldSource(labels)
    camera = CameraThread(lambda: source, Decoder(), Tracker())
    view = CameraView()
    camera.frame_ready.connect(view.set_frame)
    camera.status_changed.connect(view.set_status)
    camera.symbols_confirmed.connect(view.mark_confirmed)
    window = MainWindow(services, camera=camera, view=view)
    window.shot_suffix = suffix  # type: ignore[attr-defined]
    window.resize(width, height)
    window.show()
    window.activateWindow()  # no window manager under Xvfb: focus must be given explicitly
    frames: list[list[Any]] = []
    camera.frame_ready.connect(lambda _image, symbols: frames.append(list(symbols)))

    def type_scan(text: str) -> None:
        window.scan_input.setFocus()
        QTest.keyClicks(window.scan_input, text)
        QTest.keyClick(window.scan_input, Qt.Key.Key_Return)

    def profile_row_reads(text: str) -> None:
        wait_until(lambda: window.card.text_of("profile") == text, 40, f"profile: {text}")

    def press_enter() -> None:
        """Enter in the scan field until the change is on its way (a card that has only just
        appeared may refuse Enter for a moment: the operator presses again)."""
        for _ in range(10):
            window.scan_input.setFocus()
            QTest.keyClick(window.scan_input, Qt.Key.Key_Return)
            try:
                wait_until(lambda: window.state in {"applying", "verified", "failed"}, 2)
                return
            except TimeoutError:
                continue
        raise TimeoutError("Enter applied nothing")

    def press_enter_until_verified() -> None:
        press_enter()
        wait_until(lambda: window.state in {"verified", "failed"}, 40, "verified")

    camera.start()
    try:
        source.show(None)
        wait_until(lambda: window.state == "idle" and bool(frames) and not view.status_text())
        shot(window, "idle")

        source.show(0)
        wait_until(lambda: window.state == "found", 40, "found")
        camera.set_paused(True)  # from here on, the keyboard drives the window
        profile_row_reads("Kiosk — assigned")
        shot(window, "found")
        if not suffix:
            big_text = next(
                a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+Shift+B"
            )
            big_text.setChecked(True)
            shot(window, "big-text")
            big_text.setChecked(False)

        window.group_tag.setCurrentText("Sales")  # its dynamic group gets "Staff laptop"
        picker = window.user_picker
        picker.setFocus()
        QTest.keyClicks(picker, "ad")
        popup = picker.completer().popup()
        assert popup is not None
        wait_until(popup.isVisible, what="user suggestions")
        shot(window, "user-search", with_popups=True)
        first = popup.model().index(0, 0)
        QTest.mouseClick(
            popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(first).center()
        )
        press_enter()
        wait_until(lambda: window.state == "applying", what="applying")
        shot(window, "applying")
        wait_until(lambda: window.state in {"verified", "failed"}, 40, "verified")
        profile_row_reads("Staff laptop — pending")
        shot(window, "verified")
        profile_row_reads("Staff laptop — assigned")
        shot(window, "profile-assigned")
        # The label goes away before the next shots: a paused picture of it beside another
        # device's card would look like a wrong match. Taken away before resuming, so the
        # re-armed tracker never sees it again.
        source.show(None)
        frames.clear()
        camera.set_paused(False)
        wait_until(lambda: bool(frames) and not frames[-1], 30, "empty desk in view")
        camera.set_paused(True)

        window.skip()
        type_scan("NOSUCH42")
        wait_until(lambda: window.state == "not-found", what="not found")
        shot(window, "error")

        counts = Counter(normalise_serial(d["serialNumber"]) for d in sim.devices.values())
        twice = next(s for s, n in counts.items() if n == 2)
        window.skip()
        type_scan(twice)
        wait_until(lambda: window.state == "several", what="several matches")
        shot(window, "several-matches")

        # Queue mode: the sticky group tag and user stay; label after label (typed here, as a
        # wedge scanner would), one of them a second time (flagged as a duplicate).
        window.skip()
        for slot in (1, 2, 3, 1, 4):
            type_scan(labels[slot].serial)
            wait_until(lambda: window.state == "found", 30, f"found: label {slot}")
            if window.queue.session.rows[-1].is_duplicate:
                window.skip()  # already done: Esc, next device
            else:
                press_enter_until_verified()
        profile_row_reads("Staff laptop — assigned")  # the last device: settled, every run
        window.resizeDocks([window.bench_dock], [300 * height // 900], Qt.Orientation.Vertical)
        window.queue.table.scrollToBottom()
        shot(window, "queue-mode")
        history_shot(window, width, height, suffix)

        # The states an operator meets when something is off, after the queue run (so the
        # history above shows its changes alone). A code that is not a serial: refused.
        window.skip()
        type_scan("https://example.com")
        wait_until(lambda: window.state == "rejected", what="refused")
        shot(window, "refused")

        # Graph answers 500 to the look-up: it failed (not "not found").
        sim.faults.error(status=500, count=None, path="*windowsAutopilotDeviceIdentities*")
        window.skip()
        type_scan(labels[5].serial)
        wait_until(lambda: window.state == "lookup-failed", 30, "lookup failed")
        shot(window, "lookup-failed")
        sim.faults.clear()

        # A photo with two devices' labels: neither is chosen (shown in the paused live view).
        window.skip()
        desk = two_labels_photo(window, view, labels[1].serial, labels[2].serial)
        wait_until(lambda: window.state == "two-labels", what="two labels")
        shot(window, "two-labels")
        view.set_frame(desk, [])  # the photo goes: the next cards are not about its labels

        # Graph unreachable (the simulated tenant stopped): a device looked up in the queue run
        # comes from the offline copy, and its change is queued for later.
        sim.stop()
        window.skip()
        window.group_tag.setCurrentText("Kiosk")  # a change to make: it is Sales already
        type_scan(labels[3].serial)
        wait_until(lambda: window.state == "offline", 30, "offline copy")
        shot(window, "offline")
        for _ in range(10):
            window.scan_input.setFocus()
            QTest.keyClick(window.scan_input, Qt.Key.Key_Return)
            try:
                wait_until(lambda: window.state in {"queued", "failed"}, 5)
                break
            except TimeoutError:
                continue
        wait_until(lambda: window.state == "queued", 30, "queued")
        shot(window, "queued")
    finally:
        window.close()
        camera.stop()
        services.close()


def two_labels_photo(window: Any, view: Any, first: str, second: str) -> Any:
    """A photo of two Code 128 labels side by side, decoded for real and handed to the window
    as a photo is; the live view (paused) shows it, so the picture shows the two codes.
    Returns the same desk without the labels, to put back in the view afterwards."""
    import numpy as np
    import zxingcpp

    from scanner_app.core.vision.decoding import Decoder
    from scanner_app.core.vision.label_art import _barcode, desk_background
    from scanner_app.ui.camera.display_scaling import to_display_image

    frame = desk_background((1280, 720), np.random.default_rng(11))
    empty, _scale = to_display_image(frame.copy(), 1280, None)
    for text, x in ((first, 120), (second, 700)):
        code = _barcode(text, zxingcpp.BarcodeFormat.Code128, 3, 120)
        h, w = code.shape[:2]
        y = (720 - h) // 2
        frame[y - 30 : y + h + 30, x - 30 : x + w + 30] = 255  # the label's white card
        frame[y : y + h, x : x + w] = code[..., None]
    symbols = Decoder().decode(frame)
    assert len(symbols) == 2, f"{len(symbols)} codes read from the two-label photo"
    image, _scale = to_display_image(frame, 1280, None)
    view.set_frame(image, symbols)
    window._photo_symbols(symbols)
    return empty


def history_shot(window: Any, width: int, height: int, suffix: str) -> None:
    """The history after the queue run, the first change undone (Undo now greyed out for it)."""
    from scanner_app.ui.history_dialog import HistoryDialog

    outbox = window.services.outbox
    ours = [e for e in outbox.journal.entries(limit=50) if outbox.owns(e)]
    first = min(e.id for e in ours if e.state == "verified")
    outbox.undo(first)
    dialog = HistoryDialog(outbox, window, runner=window.outbox_runner)
    if suffix:
        dialog.resize(width, height)
    dialog.show()
    dialog.select_entry(first)
    settle()
    path = OUT / f"history{suffix}.png"
    dialog.grab().save(str(path))
    print(f"wrote {path.relative_to(REPO)}")
    dialog.close()


if __name__ == "__main__":
    sys.exit(main())
