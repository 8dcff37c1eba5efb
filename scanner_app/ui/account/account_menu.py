"""The Account menu and the status bar's sign-in field: the sign-in state, always visible.

Why separate from ``menus.py``: everything that reacts to the ``AccountController`` lives
here, so the main window makes one call, ``install_account`` (or the pieces it is made of:
``build_account_menu``, ``connect_status``, ``follow_operator``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QWidget

from scanner_app.ui.account.account import (
    DEMO,
    ERROR,
    SIGNED_IN,
    SIGNED_OUT,
    SIGNING_IN,
    AccountController,
)
from scanner_app.ui.account.sign_in_dialog import (
    DeviceCodePresenter,
    SignInPanel,
    attach_device_code_dialog,
)
from scanner_app.ui.workers import TaskRunner

# The status bar's dot colours (status_bar.py), by sign-in state.
_DOT = {
    DEMO: "#107c10",
    SIGNED_IN: "#107c10",
    SIGNING_IN: "#c19c00",
    SIGNED_OUT: "#8a8886",
    ERROR: "#c50f1f",
}
_GUEST = "#c19c00"


def status_text(controller: AccountController) -> str:
    """The short status-bar form: ``● ada@contoso.example · contoso.example``."""
    state = controller.state
    account = controller.account
    colour = _DOT.get(state, "#8a8886")
    if state == SIGNED_IN and account is not None:
        who = account.username + (
            QCoreApplication.translate("AccountMenu", " (guest)") if account.is_guest else ""
        )
        colour = _GUEST if account.is_guest else colour
    elif state == DEMO:
        who = QCoreApplication.translate("AccountMenu", "demo operator")
    elif state == SIGNING_IN:
        who = QCoreApplication.translate("AccountMenu", "signing in…")
    elif state == ERROR:
        who = QCoreApplication.translate("AccountMenu", "sign-in failed")
    else:
        who = QCoreApplication.translate("AccountMenu", "not signed in")
    where = (
        QCoreApplication.translate("AccountMenu", "demo tenant")
        if state == DEMO
        else controller.tenant
    )
    dot = f"<span style='color:{colour}'>●</span>"
    return f"{dot} {who}" + (f" · {where}" if where else "")


def connect_status(controller: AccountController, status_bar: QWidget) -> None:
    """Keep ``status_bar.sign_in`` (a QLabel) in step with the controller; the full sentence
    goes in its tooltip."""
    label = getattr(status_bar, "sign_in", None)
    if not isinstance(label, QLabel):
        raise TypeError("status_bar has no 'sign_in' QLabel")

    def update(_state: str = "", text: str = "") -> None:
        if controller.state == DEMO:
            return  # the status bar already names the demo operator and tenant
        label.setText(status_text(controller))
        label.setToolTip(text or controller.text)

    controller.state_changed.connect(update)
    update()


def show_sign_in_panel(controller: AccountController, parent: QWidget | None = None) -> SignInPanel:
    """Open the sign-in choice (non-blocking); it closes itself once signed in."""
    panel = SignInPanel(controller, parent)
    panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    panel.open()
    return panel


@dataclass(frozen=True)
class AccountMenu:
    """The menu and its actions, so the window (and tests) can reach them by name."""

    menu: QMenu
    who: QAction
    sign_in: QAction
    sign_in_code: QAction
    switch: QAction
    cancel: QAction
    sign_out: QAction
    device_codes: DeviceCodePresenter


def build_account_menu(window: QMainWindow, controller: AccountController) -> AccountMenu:
    """Add the "&Account" menu to ``window`` and the device-code dialog to ``controller``."""
    presenter = attach_device_code_dialog(controller, window)
    menu = window.menuBar().addMenu(QCoreApplication.translate("AccountMenu", "&Account"))
    who = menu.addAction("")
    who.setEnabled(False)
    menu.addSeparator()
    sign_in = menu.addAction(QCoreApplication.translate("AccountMenu", "&Sign in…"))
    sign_in.triggered.connect(lambda: show_sign_in_panel(controller, window))
    code = menu.addAction(QCoreApplication.translate("AccountMenu", "Sign in with a &code…"))
    code.triggered.connect(controller.sign_in_device_code)
    switch = menu.addAction(QCoreApplication.translate("AccountMenu", "S&witch account…"))
    switch.triggered.connect(lambda: controller.sign_in_browser(switch_account=True))
    cancel = menu.addAction(QCoreApplication.translate("AccountMenu", "&Cancel sign-in"))
    cancel.triggered.connect(controller.cancel)
    menu.addSeparator()
    sign_out = menu.addAction(QCoreApplication.translate("AccountMenu", "Sign &out"))
    sign_out.triggered.connect(controller.sign_out)

    def update(state: str = "", text: str = "") -> None:
        state = state or controller.state
        account = controller.account
        if state == DEMO:
            who.setText(QCoreApplication.translate("AccountMenu", "Demo tenant: no sign-in needed"))
        elif state == SIGNED_IN and account is not None:
            who.setText(
                QCoreApplication.translate("AccountMenu", "Signed in as %1").replace(
                    "%1", account.username
                )
            )
        elif state == SIGNING_IN:
            who.setText(QCoreApplication.translate("AccountMenu", "Signing in…"))
        else:
            who.setText(QCoreApplication.translate("AccountMenu", "Not signed in"))
        real, busy = state != DEMO, state == SIGNING_IN
        sign_in.setEnabled(real and not busy)
        code.setEnabled(real and not busy)
        switch.setEnabled(real and not busy and account is not None)
        cancel.setVisible(busy)
        sign_out.setEnabled(real and not busy and account is not None)

    controller.state_changed.connect(update)
    update()
    return AccountMenu(menu, who, sign_in, code, switch, cancel, sign_out, presenter)


def follow_operator(controller: AccountController, services: Any) -> None:
    """Keep ``services.operator`` and the outbox's operator (written into the journal with
    every change) equal to whoever is signed in now, not whoever was at start-up."""

    def update(state: str, _text: str) -> None:
        if state == DEMO:
            return
        name = controller.account.username if controller.account is not None else ""
        services.operator = name
        outbox = getattr(services, "outbox", None)
        if outbox is not None and hasattr(outbox, "operator"):
            outbox.operator = name

    controller.state_changed.connect(update)


def install_account(
    window: QMainWindow,
    services: Any,
    *,
    tasks: TaskRunner | None = None,
    show_message: Callable[[str], None] | None = None,
    ask_at_start: bool = True,
) -> AccountController:
    """All the sign-in wiring of a main window in one call: the controller over
    ``services.auth`` (None in demo), the Account menu, the status bar's sign-in field, the
    operator name, messages (errors and warnings) to ``show_message``, and - for a real tenant
    that is signed out - the sign-in panel once the cached state is known.

    Leave ``tasks`` None: the controller then has its own small pool, so a device-code poll
    (up to 15 minutes) never takes a thread the look-ups need."""
    controller = AccountController(services.auth, tasks, tenant=services.tenant_name, parent=window)
    build_account_menu(window, controller)
    status_bar = window.statusBar()
    if isinstance(getattr(status_bar, "sign_in", None), QLabel):
        connect_status(controller, status_bar)
    follow_operator(controller, services)
    if show_message is not None:
        controller.error.connect(show_message)
        controller.warning.connect(show_message)
    if ask_at_start and services.auth is not None:
        asked: list[bool] = []

        def first_state(state: str, _text: str) -> None:
            if asked:
                return
            asked.append(True)
            if state == SIGNED_OUT:
                show_sign_in_panel(controller, window)

        controller.state_changed.connect(first_state)
    controller.refresh()
    return controller
