"""How the operator signs in: the browser (loopback redirect), the Windows broker, device code.

Why this lives apart from ``auth.py``: ``Authenticator`` is about tokens and the cache; this is
the interaction. ``SignInFlows`` is its mixin: ``sign_in_interactive`` opens the sign-in page
through an injectable opener and waits on our own loopback listener (so the GUI can cancel a
sign-in the operator abandoned), ``sign_in_with_device_code`` polls through an injectable,
cancellable wait, and a finished sign-in signs every other account out (one operator per bench
per shift). All of it blocks: call it off the GUI thread.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scanner_app.core.graph.loopback import LoopbackListener
from scanner_app.core.graph.sign_in_errors import SignInCancelled, SignInError
from scanner_app.core.graph.token_cache import Account

log = logging.getLogger(__name__)


# ---- what device-code sign-in shows -------------------------------------------------------------
@dataclass(frozen=True)
class DeviceCodePrompt:
    """What the operator needs for device-code sign-in: open ``verification_uri``, type the code."""

    user_code: str
    verification_uri: str
    message: str
    expires_in: int


class SignInFlows:
    """Mixin of ``Authenticator``: the sign-in methods and ``cancel``. The attributes and the
    three methods below are the ``Authenticator``'s."""

    scopes: list[str]
    tenant: str
    interactive_timeout: float
    broker_in_use: bool
    _cancel: threading.Event
    _listener: LoopbackListener | None
    _open_browser: Callable[[str], bool]
    _on_device_code: Callable[[DeviceCodePrompt], None] | None
    _wait: Callable[[float], object]

    def _app(self) -> Any:
        raise NotImplementedError

    def _describe(self, result: dict[str, Any]) -> SignInError:
        raise NotImplementedError

    def current_account(self) -> Account | None:
        raise NotImplementedError

    # ---- sign-in -----------------------------------------------------------------------------
    def sign_in_interactive(
        self,
        *,
        switch_account: bool = False,
        login_hint: str | None = None,
        parent_window_handle: int | None = None,
    ) -> Account:
        """Sign in in the browser (or the Windows broker). ``switch_account`` lets the operator
        pick another account and signs the previous one out."""
        app = self._app()
        self._cancel.clear()
        prompt = "select_account" if switch_account else None
        if self.broker_in_use:
            handle = parent_window_handle or app.CONSOLE_WINDOW_HANDLE
            result = app.acquire_token_interactive(
                self.scopes, prompt=prompt, login_hint=login_hint, parent_window_handle=handle
            )
        else:
            result = self._browser_flow(app, prompt, login_hint)
        return self._finish(app, result)

    def sign_in_with_device_code(
        self, on_code: Callable[[DeviceCodePrompt], None] | None = None
    ) -> Account:
        """Sign in by typing a code on another device's browser; polls until done."""
        app = self._app()
        self._cancel.clear()
        flow = app.initiate_device_flow(scopes=self.scopes)
        if "user_code" not in flow:
            raise self._describe(flow)
        prompt = DeviceCodePrompt(
            user_code=str(flow["user_code"]),
            verification_uri=str(flow.get("verification_uri", "")),
            message=str(flow.get("message", "")),
            expires_in=int(flow.get("expires_in", 900)),
        )
        (on_code or self._on_device_code or _print_prompt)(prompt)
        while True:
            result = app.acquire_token_by_device_flow(flow, exit_condition=lambda _flow: True)
            if result.get("error") not in {"authorization_pending", "slow_down"}:
                break
            interval = max(1, int(flow.get("interval", 5)))  # MSAL adds 5 s on slow_down
            if self._wait(interval) is True or self._cancel.is_set():
                raise SignInCancelled("Sign-in cancelled.")
        return self._finish(app, result)

    def cancel(self) -> None:
        """Stop a sign-in in progress (from any thread); it raises ``SignInCancelled``."""
        self._cancel.set()
        listener = self._listener
        if listener is not None:
            listener.cancel()

    # ---- internals ---------------------------------------------------------------------------
    def _browser_flow(self, app: Any, prompt: str | None, login_hint: str | None) -> Any:
        with LoopbackListener() as listener:
            self._listener = listener
            try:
                flow = app.initiate_auth_code_flow(
                    self.scopes,
                    redirect_uri=listener.redirect_uri,
                    prompt=prompt,
                    login_hint=login_hint,
                    response_mode="form_post",
                )
                if self._cancel.is_set():
                    raise SignInCancelled("Sign-in cancelled.")
                if not self._open_browser(flow["auth_uri"]):
                    raise SignInError(
                        "No web browser could be opened on this computer. "
                        "Use device-code sign-in instead."
                    )
                response = listener.wait(self.interactive_timeout)
            finally:
                self._listener = None
        if self._cancel.is_set():
            raise SignInCancelled("Sign-in cancelled.")
        if response is None:
            minutes = max(1, round(self.interactive_timeout / 60))
            raise SignInError(
                f"The browser sign-in did not finish within {minutes} min. Try again, or use "
                "device-code sign-in."
            )
        if "error" in response:
            raise self._describe(response)
        try:
            return app.acquire_token_by_auth_code_flow(flow, response)
        except ValueError:
            raise SignInError(
                "The browser's answer did not belong to this sign-in. Try again."
            ) from None

    def _finish(self, app: Any, result: dict[str, Any]) -> Account:
        if "access_token" not in result:
            raise self._describe(result)
        claims = result.get("id_token_claims") or {}
        username = str(claims.get("preferred_username") or "")
        for other in app.get_accounts():  # one operator at a time: switching signs others out
            if str(other.get("username", "")).lower() != username.lower():
                app.remove_account(other)
        log.info("Signed in to tenant %s", claims.get("tid", self.tenant))
        log.debug("Signed in as %s", username)
        account = self.current_account()
        if account is None:
            raise SignInError("Sign-in succeeded but the account could not be read back.")
        if account.is_guest:
            log.warning("The signed-in account is a guest account in this tenant")
        return account


def _print_prompt(prompt: DeviceCodePrompt) -> None:
    print(prompt.message, file=sys.stderr, flush=True)
