"""Who is signed in, and the sign-in actions, for the GUI: a Qt face on ``core.graph.auth``.

Why a controller: every sign-in call blocks (a browser round trip, device-code polling, even the
cache read takes a file lock), so each runs on a ``TaskRunner`` pool thread and reports back by
signal; the status bar, the Account menu and the sign-in dialogs only listen. One object holds
the state so all three always agree. Messages come from ``describe_error`` (the core turns
AADSTS codes into sentences) and ``explain_graph_error`` (Graph refusals after sign-in).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from scanner_app.core.graph.auth import (
    Account,
    Authenticator,
    DeviceCodePrompt,
    SignInCancelled,
    SignInError,
    SignInRequired,
)
from scanner_app.core.graph.errors import AuthenticationError, GraphError, PermissionDenied
from scanner_app.ui.workers import TaskRunner

log = logging.getLogger(__name__)

DEMO, SIGNED_OUT, SIGNING_IN, SIGNED_IN, ERROR = (
    "demo",
    "signed-out",
    "signing-in",
    "signed-in",
    "error",
)


# Texts here are written as literal ``translate("AccountController", "…")`` calls: lupdate
# extracts only literals, and this module's functions and controller share one context.
translate = QCoreApplication.translate


def sign_in_hint() -> str:
    """Where the operator signs in, in the menu's own words (and language)."""
    return translate("AccountController", "Account ▸ Sign in…")


def explain_graph_error(exc: BaseException, account: Account | None = None) -> str:
    """A sentence for a failed look-up or apply that says what the operator can do about it.

    A 403 means the token was fine but the *person* (or the app's consent) lacks the Intune
    right: only an admin can fix that, so say who to ask and for what. A missing or expired
    sign-in points at the Account menu.
    """
    if isinstance(exc, PermissionDenied):
        text = translate(
            "AccountController",
            "Your account lacks the Intune permission to read or change Autopilot devices. "
            "Ask an admin to grant you an Intune role that can manage enrollment programs "
            "(for example Intune Administrator or Policy and Profile Manager), and to grant the "
            "app admin consent for DeviceManagementServiceConfig.ReadWrite.All.",
        )
        if account is not None and account.is_guest:
            text += " " + translate(
                "AccountController",
                "You are signed in as a guest account, which usually cannot manage another "
                "organisation's devices: sign in with a work account of this tenant.",
            )
        if exc.request_id:
            text += " " + translate("AccountController", "(request id %1)").replace(
                "%1", exc.request_id
            )
        return text
    if isinstance(exc, SignInRequired):
        return (
            translate("AccountController", "Sign in first (%1). %2")
            .replace("%1", sign_in_hint())
            .replace("%2", str(exc))
        )
    if isinstance(exc, AuthenticationError):
        return translate(
            "AccountController", "Your sign-in is no longer accepted. Sign in again (%1)."
        ).replace("%1", sign_in_hint())
    if isinstance(exc, (SignInError, GraphError)):
        return str(exc)  # both already carry a sentence for the operator
    return translate("AccountController", "Unexpected error: %1").replace(
        "%1", str(exc) or type(exc).__name__
    )


def describe_account(account: Account) -> str:
    """``Ada Operator (ada@contoso.example)``, or just the user name when there is no name."""
    if account.name and account.name != account.username:
        return f"{account.name} ({account.username})"
    return account.username


class AccountController(QObject):
    """The sign-in state of the app, and the sign-in actions run off the GUI thread.

    Signals: ``state_changed(str state, str text)`` with state one of ``demo``, ``signed-out``,
    ``signing-in``, ``signed-in``, ``error`` and a sentence for the operator;
    ``device_code(object)`` with the ``DeviceCodePrompt`` to show; ``error(str)`` when a
    sign-in failed (the same sentence as the ``error`` state); ``warning(str)`` for things the
    operator should know but that do not stop work: a guest account, a token cache that is not
    encrypted by the OS (said once).
    """

    state_changed = Signal(str, str)
    device_code = Signal(object)
    error = Signal(str)
    warning = Signal(str)

    def __init__(
        self,
        auth: Authenticator | None,
        tasks: TaskRunner | None = None,
        *,
        tenant: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.auth = auth
        self.tasks = tasks or TaskRunner(self, max_threads=2)
        self.tenant = tenant or (auth.tenant if auth is not None else "")
        self.account: Account | None = None
        self.state = DEMO if auth is None else SIGNED_OUT
        self.text = ""
        self._cache_warned = False
        self._guest_warned = ""

    @property
    def demo(self) -> bool:
        return self.auth is None

    # ---- actions -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read who is signed in from the token cache (no network) and announce the state."""
        if self.auth is None:
            self._set(
                DEMO, translate("AccountController", "Demo tenant (simulated): no sign-in needed.")
            )
            return
        self.tasks.submit(
            self.auth.current_account, on_result=self._account_read, on_error=self._failed
        )
        self._warn_about_cache()

    def sign_in_browser(self, *, switch_account: bool = False) -> None:
        """Sign in in the system browser (or the Windows broker when enabled)."""
        if not self._can_start():
            return
        assert self.auth is not None
        self._set(
            SIGNING_IN, translate("AccountController", "Finish signing in in your web browser…")
        )
        self.tasks.submit(
            self.auth.sign_in_interactive,
            switch_account=switch_account,
            on_result=self._signed_in,
            on_error=self._failed,
        )

    def sign_in_device_code(self) -> None:
        """Sign in with a code typed on another device (locked-down PCs): ``device_code``
        carries the code to show, then the pool thread polls until done or ``cancel()``."""
        if not self._can_start():
            return
        assert self.auth is not None
        self._set(SIGNING_IN, translate("AccountController", "Getting a sign-in code…"))
        self.tasks.submit(
            self.auth.sign_in_with_device_code,
            on_code=self._code_ready,
            on_result=self._signed_in,
            on_error=self._failed,
        )

    def cancel(self) -> None:
        """Stop a sign-in in progress. Only sets a flag the pool thread checks: safe here."""
        if self.auth is not None and self.state == SIGNING_IN:
            self.auth.cancel()

    def sign_out(self) -> None:
        """Forget the cached sign-in (cache only, works offline)."""
        if self.auth is None or self.state == SIGNING_IN:
            return
        self.tasks.submit(
            self.auth.sign_out,
            on_result=self._signed_out,
            on_error=self._failed,
        )

    # ---- results (GUI thread) ----------------------------------------------------------------
    def _can_start(self) -> bool:
        return self.auth is not None and self.state != SIGNING_IN

    def _code_ready(self, prompt: DeviceCodePrompt) -> None:
        # Called on the pool thread: the signal is queued to the GUI thread's slots.
        self.device_code.emit(prompt)

    def _signed_out(self, _none: object = None) -> None:
        self._account_read(None)

    def _account_read(self, account: Account | None) -> None:
        if account is None:
            self.account = None
            self._set(
                SIGNED_OUT,
                translate(
                    "AccountController", "Not signed in. Sign in to look devices up (%1)."
                ).replace("%1", sign_in_hint()),
            )
        else:
            self._signed_in(account)

    def _signed_in(self, account: Account) -> None:
        self.account = account
        text = translate("AccountController", "Signed in as %1").replace(
            "%1", describe_account(account)
        )
        if self.tenant:
            text += translate("AccountController", " to %1").replace("%1", self.tenant)
        if account.is_guest:
            text += translate("AccountController", " (guest account)")
        self._set(SIGNED_IN, text + ".")
        if account.is_guest and self._guest_warned != account.username:
            self._guest_warned = account.username
            self.warning.emit(
                translate(
                    "AccountController",
                    "%1 is a guest account in this tenant. Guests usually cannot manage the "
                    "tenant's Autopilot devices: if look-ups are refused, sign out and sign in "
                    "with a work account of this organisation.",
                ).replace("%1", account.username)
            )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, SignInCancelled):
            self.account = None
            self._set(SIGNED_OUT, translate("AccountController", "Sign-in cancelled."))
            return
        message = str(exc) if isinstance(exc, SignInError) else explain_graph_error(exc)
        if not isinstance(exc, SignInError):
            log.warning("sign-in failed unexpectedly: %r", exc)
        self.account = None
        self._set(ERROR, message)
        self.error.emit(message)

    def _warn_about_cache(self) -> None:
        status: Any = getattr(self.auth, "cache_status", None)
        warning = str(getattr(status, "warning", "") or "")
        if warning and not self._cache_warned:
            self._cache_warned = True
            self.warning.emit(warning)

    def _set(self, state: str, text: str) -> None:
        self.state, self.text = state, text
        log.debug("sign-in state: %s", state)
        self.state_changed.emit(state, text)
