"""The window's Tools menu: settings, big text, the bench-session table and About.

Shortcuts are spelled out (Ctrl+, for Settings): ``QKeySequence.StandardKey.Preferences`` is empty
on Linux and Windows. The dialogs opened from here (and any other modal dialog of the window)
pause the camera while they are open (``modal_pause``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from scanner_app.ui.main_window import MainWindow


def build_tools_menu(window: MainWindow) -> None:
    from scanner_app.ui.camera.modal_pause import ModalPause
    from scanner_app.ui.theme import Theme

    ModalPause(window, window.camera)  # owned by the window

    app = QApplication.instance()
    theme = Theme(app, parent=window) if isinstance(app, QApplication) else None
    menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Tools"))
    settings = menu.addAction(QCoreApplication.translate("MainWindow", "&Settings…"))
    settings.setShortcut(QKeySequence("Ctrl+,"))
    settings.triggered.connect(lambda: edit_settings(window))
    big = menu.addAction(QCoreApplication.translate("MainWindow", "&Big text"))
    big.setCheckable(True)
    big.setShortcut(QKeySequence("Ctrl+Shift+B"))
    if theme is not None:
        big.toggled.connect(theme.set_bench_layout)
    menu.addAction(window.bench_dock.toggleViewAction())
    history = menu.addAction(QCoreApplication.translate("MainWindow", "&History…"))
    history.setShortcut(QKeySequence("Ctrl+H"))
    history.triggered.connect(lambda: show_history(window))
    menu.addSeparator()
    menu.addAction(QCoreApplication.translate("MainWindow", "&About")).triggered.connect(
        lambda: show_about(window)
    )


def show_history(window: MainWindow) -> None:
    from scanner_app.ui.history_dialog import HistoryDialog

    HistoryDialog(window.services.outbox, window, runner=window.outbox_runner).exec()
    window.status.refresh_outbox()


def show_about(window: MainWindow) -> None:
    from scanner_app.ui.about_dialog import AboutDialog

    AboutDialog(window).exec()


def edit_settings(window: MainWindow) -> None:
    from scanner_app.ui.settings_dialog import edit_settings as run_dialog

    new = run_dialog(window.settings, window)
    if new is not None:
        window.settings = new
        window.feedback.set_sounds(new.sounds)
        window.queue.session.name_template = new.name_template
        window.show_info(
            QCoreApplication.translate(
                "MainWindow", "Settings saved. Camera and tenant changes apply at the next start."
            )
        )
