"""Starts the GUI: QApplication, Qt messages into the log, an excepthook with a dialog,
services (demo or real tenant), the camera loop and the main window.

When Qt cannot start at all (no usable platform plugin: a Linux PC missing Qt's X11 libraries,
no display), Qt ends the process from inside ``QApplication()`` with a fatal message. The window
never opens and the log file is not where an operator looks, so that message goes to the
terminal too, with Qt's plugin messages before it, the library the plugin could not load, and
the README's install line; the process then exits with :data:`EXIT_NO_GUI` (Qt would abort).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections import deque
from types import TracebackType
from typing import Any

from PySide6.QtCore import QLibraryInfo, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from scanner_app import APP_ID, APP_NAME, __version__
from scanner_app.core.config import Settings, SettingsError
from scanner_app.logs import log_file

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


#: Messages that state a limit of the platform plugin (offscreen, some Wayland compositors),
#: not a fault of the app: logged at DEBUG so they do not alarm an operator or a smoke test.
_BENIGN = ("This plugin does not support",)
#: Exit status when the window cannot open because Qt cannot start (instead of Qt's abort).
EXIT_NO_GUI = 1
#: The README's Troubleshooting line for Linux (keep the two the same).
LINUX_QT_LIBRARIES = (
    "sudo apt install libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
    "libxcb-shape0 libegl1"
)
_plugin_messages: deque[str] = deque(maxlen=8)  # Qt's last platform-plugin messages


def _qt_message(mode: QtMsgType, context: Any, message: str) -> None:
    level = _QT_LEVELS.get(mode, logging.INFO)
    if level <= logging.WARNING and message.startswith(_BENIGN):
        level = logging.DEBUG
    qt_log.log(level, "%s", message)
    if str(getattr(context, "category", "") or "").startswith("qt.qpa"):
        _plugin_messages.append(message)
    if mode == QtMsgType.QtFatalMsg:
        _fatal_qt(message)


def _fatal_qt(message: str) -> None:
    """Qt is about to abort the process: say why on stderr first. When it could not start a
    platform plugin, add what to do and exit with EXIT_NO_GUI instead of Qt's abort."""
    no_platform = "platform plugin" in message
    lines = [*(m for m in _plugin_messages if m.strip() != message.strip()), message.strip()]
    lead = "the window cannot open: Qt cannot start" if no_platform else "Qt stopped the app"
    if no_platform:
        lines += _startup_hints()
    print(f"scanner-app: {lead}.\n" + "\n".join(lines), file=sys.stderr)
    sys.stderr.flush()
    if no_platform:
        logging.shutdown()  # the log file keeps the same lines
        os._exit(EXIT_NO_GUI)


def _startup_hints() -> list[str]:
    """What to do when no platform plugin starts: the library the xcb plugin could not load
    (found by loading it as Qt did, only now that Qt has failed), and the README's line."""
    if not sys.platform.startswith("linux"):
        return [f"Reinstalling the app may fix it. Details are in the log file: {log_file()}"]
    hints = []
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not platform or platform.startswith("xcb"):
        hints += _xcb_load_error()
    hints.append(f"Linux: Qt needs its X11 libraries: {LINUX_QT_LIBRARIES}")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        hints.append(
            "There is no display here (DISPLAY is not set): start the app from a desktop "
            "session, or try it headless with QT_QPA_PLATFORM=offscreen."
        )
    else:
        hints.append("A machine without a display can run it with QT_QPA_PLATFORM=offscreen.")
    return hints


def _xcb_load_error() -> list[str]:
    import ctypes

    plugins = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    try:
        ctypes.CDLL(os.path.join(plugins, "platforms", "libqxcb.so"))
    except OSError as exc:
        return [f"The xcb plugin cannot be loaded: {exc}"]
    return []


def install_excepthook() -> None:
    """Log any uncaught exception and tell the operator, instead of dying silently."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught exception", exc_info=(kind, exc, tb))
        app = QApplication.instance()
        if app is not None and not app.property("self_test"):
            box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"Something went wrong: {exc}")
            box.setInformativeText(f"Details are in the log file:\n{log_file()}")
            box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
            box.exec()
        else:
            sys.__excepthook__(kind, exc, tb)

    sys.excepthook = hook


def make_camera(settings: Settings, spec: str, labels: list[Any]) -> tuple[Any, Any]:
    """The capture loop and the view, or (None, None) when capture cannot start at all."""
    from scanner_app.core.vision.capture import open_source
    from scanner_app.core.vision.decoding import Decoder
    from scanner_app.core.vision.tracker import Tracker
    from scanner_app.ui.camera.camera_thread import CameraThread
    from scanner_app.ui.camera.camera_view import CameraView

    def factory() -> Any:
        return open_source(spec, labels)

    camera = CameraThread(factory, Decoder(), Tracker())
    view = CameraView()
    camera.frame_ready.connect(view.set_frame)
    camera.status_changed.connect(view.set_status)
    camera.symbols_confirmed.connect(view.mark_confirmed)
    view.display_size_changed.connect(camera.set_display_size)
    return camera, view


def run_gui(args: argparse.Namespace) -> int:
    from scanner_app.core.services import open_services, settings_from_args
    from scanner_app.ui.i18n import install_translator
    from scanner_app.ui.theme import configure_high_dpi

    qInstallMessageHandler(_qt_message)
    if QApplication.instance() is None:
        configure_high_dpi()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setProperty("self_test", bool(args.self_test))
    install_excepthook()
    try:
        settings = settings_from_args(args)
        if args.self_test and not settings.demo:
            return _fatal(args, "--self-test runs on the simulated tenant: add --demo.")
        install_translator(app, settings.language)
        services = open_services(settings)
    except SettingsError as exc:
        return _fatal(args, f"The settings cannot be used: {exc}")

    from scanner_app.ui.main_window import MainWindow

    labels: list[Any] = []
    if services.simulator is not None:
        from scanner_app.core.tenant_sim.seed import demo_labels

        labels = list(demo_labels())
    spec = args.camera or ("synthetic" if settings.demo else settings.camera)
    camera, view = make_camera(settings, spec, labels)
    window = MainWindow(services, camera=camera, view=view)
    window.show()
    if services.journal_notice:  # recovered from damage, or why nothing can be applied
        _journal_notice(args, window, services.journal_notice)
    camera.start()
    result: dict[str, int] = {}
    if args.self_test:
        from scanner_app.ui.self_test import SelfTest

        test = SelfTest(window, services)
        test.finished.connect(lambda code: result.setdefault("code", code))
        test.finished.connect(lambda _code: window.close())
        test.start()
    try:
        code = app.exec()
    finally:
        camera.stop()
        services.close()
    return result.get("code", code)


def _journal_notice(args: argparse.Namespace, window: Any, text: str) -> None:
    """Say what happened to the journal at start: on the terminal (the self-test's output), in
    the status bar, and in a box the operator closes (not modal: look-ups go on behind it)."""
    print(f"scanner-app: {text}", file=sys.stderr, flush=True)
    window.show_info(text)
    if not args.self_test:
        QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text, parent=window).open()


def _fatal(args: argparse.Namespace, message: str) -> int:
    log.error("%s", message)
    print(f"scanner-app: {message}", file=sys.stderr)
    if not args.self_test and QApplication.instance() is not None:
        QMessageBox.critical(None, APP_NAME, message)
    return 2
