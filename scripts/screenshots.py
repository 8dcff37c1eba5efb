"""Take PNG screenshots of the main window's states for the README and docs/screenshots/.

Run on a real X server or Xvfb so the platform style is drawn as an operator sees it:

    xvfb-run -a -s "-screen 0 1400x900x24" uv run python scripts/screenshots.py

It drives the window exactly as the tests do: the demo tenant, the synthetic camera, keystrokes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"


def wait_until(predicate, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("state not reached")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shot(window, name: str) -> None:  # type: ignore[no-untyped-def]
    settle()
    path = OUT / f"{name}.png"
    window.grab().save(str(path))
    print(f"wrote {path.relative_to(REPO)}")


def main() -> int:
    import os

    os.environ.setdefault("SCANNER_APP_HOME", tempfile.mkdtemp(prefix="scanner-shots-"))
    from scanner_app.core.config import Settings
    from scanner_app.core.payload import normalise_serial
    from scanner_app.core.services import open_services
    from scanner_app.core.tenant_sim.seed import demo_labels
    from scanner_app.ui.app import make_camera
    from scanner_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Autopilot Bench Scanner")
    OUT.mkdir(parents=True, exist_ok=True)
    settings = Settings.from_mapping({"demo": True, "group_tags": ["Bench-Kiosk", "Bench-Staff"]})
    services = open_services(settings)
    sim = services.simulator
    sim.faults.latency(600, method="POST")  # slow enough to catch "applying" on screen
    camera, view = make_camera(settings, "synthetic", list(demo_labels()))
    window = MainWindow(services, camera=camera, view=view)
    window.resize(1280, 760)
    window.show()
    window.activateWindow()  # no window manager under Xvfb: focus must be given explicitly
    camera.start()
    try:
        wait_until(lambda: window.state == "idle" and not view.status_text())
        shot(window, "idle")
        wait_until(lambda: window.state == "found", 40)
        shot(window, "found")
        camera.set_paused(True)  # from here on, the keyboard drives the window
        window.group_tag.setCurrentText("Bench-Kiosk")
        picker = window.user_picker
        picker.setFocus()
        QTest.keyClicks(picker, "ad")
        wait_until(lambda: picker.completer().popup().isVisible())
        shot(window, "user-search")
        QTest.keyClick(picker.completer().popup(), Qt.Key.Key_Down)
        QTest.keyClick(picker.completer().popup(), Qt.Key.Key_Return)
        window.scan_input.setFocus()
        QTest.keyClick(window.scan_input, Qt.Key.Key_Return)
        wait_until(lambda: window.state == "applying")
        shot(window, "applying")
        wait_until(lambda: window.state in {"verified", "failed"}, 40)
        shot(window, "verified")
        window.skip()
        QTest.keyClicks(window.scan_input, "NOSUCH42")
        QTest.keyClick(window.scan_input, Qt.Key.Key_Return)
        wait_until(lambda: window.state == "not-found")
        shot(window, "error")
        counts = Counter(normalise_serial(d["serialNumber"]) for d in sim.devices.values())
        twice = next(s for s, n in counts.items() if n == 2)
        window.skip()
        QTest.keyClicks(window.scan_input, twice)
        QTest.keyClick(window.scan_input, Qt.Key.Key_Return)
        wait_until(lambda: window.state == "several")
        shot(window, "several-matches")
    finally:
        window.close()
        camera.stop()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
