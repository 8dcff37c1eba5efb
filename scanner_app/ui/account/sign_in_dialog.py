"""The sign-in dialogs: the device code to type elsewhere, and the choice of how to sign in.

Why: on a locked-down bench PC the operator signs in on a phone, so the code must be big,
unambiguous (monospace), copyable and paired with a link that opens; and when the app starts
signed out the two ways in should be one click away, not hidden in a menu. Both dialogs only
listen to the ``AccountController``; they never call the authenticator themselves.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scanner_app.core.graph.auth import DeviceCodePrompt
from scanner_app.ui.account.account import DEMO, ERROR, SIGNED_IN, SIGNING_IN, AccountController

log = logging.getLogger(__name__)

_STATE_STYLE = {ERROR: "color:#a4262c;", SIGNED_IN: "color:#107c10;"}


class DeviceCodeDialog(QDialog):
    """Shows a device code and its link; Cancel stops the sign-in; closes itself on success.

    ``opener(QUrl) -> bool`` opens the link (default ``QDesktopServices.openUrl``; tests pass
    a recorder so no browser starts).
    """

    def __init__(
        self,
        prompt: DeviceCodePrompt,
        controller: AccountController,
        parent: QWidget | None = None,
        *,
        opener: Callable[[QUrl], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.prompt = prompt
        self.controller = controller
        self._opener = opener or QDesktopServices.openUrl
        self.setWindowTitle(self.tr("Sign in with a code"))
        self.setModal(True)
        self.setMinimumWidth(460)

        step1 = QLabel(self.tr("1. On your phone or any computer, open this page:"))
        uri = html.escape(prompt.verification_uri, quote=True)
        self.link = QLabel(f"<a href='{uri}'>{uri}</a>")
        self.link.setObjectName("verificationLink")
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link.setOpenExternalLinks(False)  # through our opener, so tests can see it
        self.link.linkActivated.connect(self.open_link)
        step2 = QLabel(self.tr("2. Enter this code:"))
        self.code = QLabel(prompt.user_code)
        self.code.setObjectName("userCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(max(mono.pointSize(), 10) * 2 + 4)
        mono.setWeight(QFont.Weight.Bold)
        mono.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3)
        self.code.setFont(mono)
        self.code.setStyleSheet(
            "padding:10px 16px; border:1px solid #8a8886; border-radius:6px; background:#faf9f8;"
        )
        self.code.setAccessibleDescription(prompt.message)
        step3 = QLabel(self.tr("3. Sign in with your work account. This window closes by itself."))
        minutes = max(1, round(prompt.expires_in / 60))
        self.expiry = QLabel(
            self.tr("The code is valid for %1 minutes.").replace("%1", str(minutes))
        )
        self.expiry.setStyleSheet("color:#605e5c;")
        self.status = QLabel(self.tr("Waiting for you to finish signing in…"))
        self.status.setWordWrap(True)

        self.copy_button = QPushButton(self.tr("&Copy code"))
        self.copy_button.clicked.connect(self.copy_code)
        self.open_button = QPushButton(self.tr("&Open page"))
        self.open_button.clicked.connect(lambda: self.open_link(prompt.verification_uri))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        self.copy_button.setDefault(True)

        heading = QLabel(self.tr("Sign in on another device"))
        heading.setStyleSheet("font-size:13pt; font-weight:600;")
        self.link.setContentsMargins(18, 0, 0, 6)
        step3.setContentsMargins(0, 6, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(heading)
        layout.addSpacing(4)
        for widget in (step1, self.link, step2, self.code, step3, self.expiry, self.status):
            layout.addWidget(widget)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        controller.state_changed.connect(self._state_changed)

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.prompt.user_code)
        self.status.setText(self.tr("Code copied. Paste it on the sign-in page."))

    def open_link(self, url: str) -> None:
        if not self._opener(QUrl(url)):
            self.status.setText(
                self.tr("No browser could be opened here: open %1 on another device.").replace(
                    "%1", url
                )
            )

    def reject(self) -> None:
        """Cancel (button, Esc or the close box) stops the polling too."""
        self.controller.cancel()
        super().reject()

    def _state_changed(self, state: str, _text: str) -> None:
        if state == SIGNED_IN:
            self.accept()
        elif state != SIGNING_IN and self.isVisible():
            super().reject()  # cancelled or failed: the message goes to the sign-in panel/banner


class DeviceCodePresenter(QObject):
    """Receives ``device_code`` (emitted on a pool thread) as a QObject living on the GUI
    thread, so the queued slot, not the pool thread, builds the dialog."""

    def __init__(
        self,
        controller: AccountController,
        parent: QWidget | None,
        opener: Callable[[QUrl], bool] | None,
    ) -> None:
        super().__init__(controller)
        self.controller, self.parent_widget, self.opener = controller, parent, opener
        self.dialog: DeviceCodeDialog | None = None
        controller.device_code.connect(self.show)

    def show(self, prompt: object) -> None:
        if not isinstance(prompt, DeviceCodePrompt):
            return
        dialog = DeviceCodeDialog(prompt, self.controller, self.parent_widget, opener=self.opener)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._forget)
        self.dialog = dialog
        dialog.open()

    def _forget(self) -> None:
        self.dialog = None


def attach_device_code_dialog(
    controller: AccountController,
    parent: QWidget | None = None,
    *,
    opener: Callable[[QUrl], bool] | None = None,
) -> DeviceCodePresenter:
    """Open a ``DeviceCodeDialog`` whenever ``controller`` has a code to show. Call once per
    controller; the returned presenter's ``dialog`` is the one open now (or None)."""
    return DeviceCodePresenter(controller, parent, opener)


class SignInPanel(QDialog):
    """Shown when the app starts signed out: the two ways to sign in and what is happening.

    Stays open while signing in (the state line shows progress and any error in words) and
    closes itself once signed in. "Not now" leaves the app usable for scanning and the queue.
    """

    def __init__(self, controller: AccountController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Sign in"))
        self.setMinimumWidth(440)
        intro = QLabel(
            self.tr(
                "Sign in with your own work account to look devices up in Intune and change "
                "them. You stay signed in for the shift."
            )
        )
        intro.setWordWrap(True)
        tenant = QLabel(self.tr("Tenant: <b>%1</b>").replace("%1", html.escape(controller.tenant)))
        tenant.setVisible(bool(controller.tenant))
        self.browser_button = QPushButton(self.tr("Sign in with the &browser"))
        self.browser_button.clicked.connect(lambda: controller.sign_in_browser())
        self.code_button = QPushButton(self.tr("Sign in with a &code (for locked-down PCs)"))
        self.code_button.clicked.connect(controller.sign_in_device_code)
        self.state_label = QLabel()
        self.state_label.setObjectName("signInState")
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.later_button = QPushButton(self.tr("Not now"))
        self.later_button.clicked.connect(self._later)
        self.browser_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(intro)
        layout.addWidget(tenant)
        layout.addSpacing(8)
        layout.addWidget(self.browser_button)
        layout.addWidget(self.code_button)
        layout.addWidget(self.state_label)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.later_button)
        layout.addLayout(bottom)
        controller.state_changed.connect(self._state_changed)
        self._state_changed(controller.state, controller.text)

    def reject(self) -> None:
        """Esc or the close box: stop any sign-in in progress, then go."""
        self.controller.cancel()
        super().reject()

    def _later(self) -> None:
        if self.controller.state == SIGNING_IN:
            self.controller.cancel()  # stay open: the other way in may work better
        else:
            self.reject()

    def _state_changed(self, state: str, text: str) -> None:
        busy = state == SIGNING_IN
        self.browser_button.setEnabled(not busy and state != DEMO)
        self.code_button.setEnabled(not busy and state != DEMO)
        self.later_button.setText(self.tr("Cancel") if busy else self.tr("Not now"))
        self.state_label.setText(text)
        self.state_label.setStyleSheet(_STATE_STYLE.get(state, ""))
        if state == SIGNED_IN:
            self.accept()
