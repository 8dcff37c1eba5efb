"""Starts the GUI: QApplication, Qt messages into the log, an excepthook with a dialog,
services (demo or real tenant), the camera loop and the main window."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
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


def _qt_message(mode: QtMsgType, context: Any, message: str) -> None:
    level = _QT_LEVELS.get(mode, logging.INFO)
    if level <= logging.WARNING and message.startswith(_BENIGN):
        level = logging.DEBUG
    qt_log.log(level, "%s", message)


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
    from scanner_app.core.capture import open_source
    from scanner_app.core.decoding import Decoder
    from scanner_app.core.tracker import Tracker
    from scanner_app.ui.camera_thread import CameraThread
    from scanner_app.ui.camera_view import CameraView

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


def _fatal(args: argparse.Namespace, message: str) -> int:
    log.error("%s", message)
    print(f"scanner-app: {message}", file=sys.stderr)
    if not args.self_test and QApplication.instance() is not None:
        QMessageBox.critical(None, APP_NAME, message)
    return 2
