"""Sign-in to Entra ID as a public client (no secret ships) with MSAL, for Microsoft Graph.

Why it is built this way:
- Interactive sign-in uses the system browser and a loopback redirect (``http://localhost:PORT``,
  ``response_mode=form_post``) with our own small listener instead of MSAL's
  ``acquire_token_interactive``: the browser opener is injectable (tests drive a scripted browser)
  and the GUI can cancel a sign-in the user abandoned instead of waiting on a blank window.
  MSAL still builds the request (PKCE S256, state, nonce) and redeems the code.
- Device-code sign-in (locked-down PCs, the CLI) polls with an injectable, cancellable wait.
- The Windows broker (WAM) is used only when enabled in the settings *and* installed
  (``pymsalruntime``, ``msal[broker]``); otherwise sign-in falls back to the browser, and
  ``broker_note`` says why.
- Every Graph call goes through ``acquire_token`` (silent; MSAL refreshes with the refresh token);
  ``token_provider`` is what ``GraphClient`` calls, again with ``force_refresh=True`` after a 401.
- One signed-in account at a time (one operator per bench per shift): switching account signs
  the others out.
- The token cache is encrypted by the OS (DPAPI / Keychain / libsecret via msal-extensions). When
  that is impossible it falls back to an owner-only (0600) file, and ``cache_status.warning``
  says so (also logged once).
- For an authority host that is not a Microsoft host (the simulated tenant, a test IdP),
  MSAL's instance discovery (a call to login.microsoftonline.com) is turned off
  (``instance_discovery=False``): only the tenant's own discovery document is read.
No token is ever logged: never by us, and ``guard_msal_logging`` filters MSAL's own loggers.

This module is the ``Authenticator`` and how it is built; the pieces it uses live beside it:
``token_cache.py`` (the cache, ``CacheStatus``, ``Account``), ``sign_in_errors.py`` (the
``SignInError`` family, ``describe_error``, the log filter), ``sign_in_flows.py`` (browser,
broker and device-code sign-in), ``loopback.py`` (the redirect listener) and ``msal_app.py``
(building MSAL's client for an authority). Their public names are re-exported here, where the
GUI, the CLI and the tests import them.
"""

from __future__ import annotations

import logging
import os
import threading
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from scanner_app.core.graph.loopback import LoopbackListener
from scanner_app.core.graph.msal_app import build_public_client
from scanner_app.core.graph.sign_in_errors import (
    SignInCancelled,
    SignInError,
    SignInRequired,
    SignInUnreachable,
    describe_error,
    guard_msal_logging,
    network_failure,
)
from scanner_app.core.graph.sign_in_flows import DeviceCodePrompt, SignInFlows
from scanner_app.core.graph.token_cache import (
    Account,
    CacheStatus,
    forget_authority,
    open_token_cache,
    read_account,
)

__all__ = [
    "READ_ONLY_SCOPES",
    "READ_WRITE_SCOPES",
    "Account",
    "Authenticator",
    "CacheStatus",
    "DeviceCodePrompt",
    "SignInCancelled",
    "SignInError",
    "SignInRequired",
    "SignInUnreachable",
    "build_authenticator",
    "default_cache_path",
    "describe_error",
    "graph_scopes",
    "guard_msal_logging",
    "open_token_cache",
]

log = logging.getLogger(__name__)

READ_WRITE_SCOPES = ("DeviceManagementServiceConfig.ReadWrite.All", "User.ReadBasic.All")
READ_ONLY_SCOPES = ("DeviceManagementServiceConfig.Read.All", "User.ReadBasic.All")


def default_cache_path() -> Path:
    """Where the app keeps the sign-in (the GUI and the CLI share it)."""
    from scanner_app.core import paths

    return paths.data_dir() / "msal_token_cache.bin"


def graph_scopes(graph_endpoint: str, *, read_only: bool = False) -> list[str]:
    """The delegated scopes, qualified with the Graph resource so national clouds work.

    ``https://graph.microsoft.us`` gives ``https://graph.microsoft.us/User.ReadBasic.All``, etc.
    """
    parsed = urlparse(graph_endpoint)
    resource = f"{parsed.scheme}://{parsed.netloc}"
    names = READ_ONLY_SCOPES if read_only else READ_WRITE_SCOPES
    return [f"{resource}/{name}" for name in names]


# ---- the authenticator -----------------------------------------------------------------------
class Authenticator(SignInFlows):
    """Signs the operator in and hands out Graph access tokens.

    ``authority`` is the authority host plus the tenant, e.g.
    ``https://login.microsoftonline.us/contoso.onmicrosoft.us``. ``verify``: the CA bundle for
    every call MSAL makes (default: ``REQUESTS_CA_BUNDLE``, else the system store).
    ``open_browser(url) -> bool`` opens the sign-in page (default: the system browser);
    ``on_device_code(prompt)`` shows the device code (default: printed to stderr);
    ``wait(seconds)`` paces device-code polling (default: a wait that ``cancel()`` interrupts).
    ``sign_in_when_needed``: ``acquire_token`` runs a device-code sign-in instead of raising
    ``SignInRequired`` (the CLI: no other interaction; the GUI leaves it off and shows a button).
    All sign-in methods block: call them off the GUI thread.
    """

    def __init__(
        self,
        client_id: str,
        authority: str,
        scopes: Sequence[str],
        cache_path: Path | str,
        *,
        use_broker: bool = False,
        verify: bool | str | None = None,
        http_client: Any = None,
        open_browser: Callable[[str], bool] | None = None,
        on_device_code: Callable[[DeviceCodePrompt], None] | None = None,
        wait: Callable[[float], object] | None = None,
        encrypt_cache: bool = True,
        interactive_timeout: float = 300.0,
        sign_in_when_needed: bool = False,
    ) -> None:
        self.client_id = client_id
        self.authority = authority.rstrip("/")
        self.scopes = list(scopes)
        self.tenant = urlparse(self.authority).path.strip("/").split("/")[0]
        self.use_broker = use_broker
        if verify is None:
            verify = (
                os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
            )
        self.verify = verify
        self._http_client = http_client
        self._open_browser = open_browser or webbrowser.open
        self._on_device_code = on_device_code
        self._cancel = threading.Event()
        self._wait = wait or self._cancel.wait
        self.interactive_timeout = interactive_timeout
        self._cache, self.cache_status = open_token_cache(cache_path, encrypt=encrypt_cache)
        self._msal: Any = None
        self._lock = threading.Lock()
        self._listener: LoopbackListener | None = None
        self.broker_in_use = False
        self.broker_note = ""
        self.sign_in_when_needed = sign_in_when_needed
        self._sign_in_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Any, cache_path: Path | str, **kwargs: Any) -> Authenticator:
        """Build from ``core.config.Settings`` (tenant, client_id, authority_host, ...)."""
        authority = f"{settings.authority_host.rstrip('/')}/{settings.tenant or 'organizations'}"
        scopes = graph_scopes(settings.graph_endpoint, read_only=settings.read_only)
        return cls(
            settings.client_id, authority, scopes, cache_path, use_broker=settings.use_broker,
            **kwargs,
        )  # fmt: skip

    # ---- tokens ------------------------------------------------------------------------------
    def acquire_token(self, *, force_refresh: bool = False) -> str:
        """An access token for Graph, from the cache or refreshed silently.

        Raises ``SignInRequired`` when the operator must sign in (again) - unless
        ``sign_in_when_needed`` is on (the CLI): then a device-code sign-in runs first.
        """
        try:
            return self._silent(force_refresh)
        except SignInRequired:
            if not self.sign_in_when_needed:
                raise
        with self._sign_in_lock:  # pool threads: one device-code sign-in, then all go on
            try:
                return self._silent(force_refresh=False)
            except SignInRequired:
                self.sign_in_with_device_code()
            return self._silent(force_refresh=False)

    def _silent(self, force_refresh: bool) -> str:
        app = self._app()
        accounts = app.get_accounts()
        if not accounts:
            raise SignInRequired("You are not signed in. Sign in to continue.")
        try:
            result = app.acquire_token_silent_with_error(
                self.scopes, accounts[0], force_refresh=force_refresh
            )
        except OSError as exc:  # requests' connection errors are OSErrors
            host = urlparse(self.authority).hostname or ""
            raise SignInUnreachable(host, network_failure(exc)) from None
        if result and "access_token" in result:
            return str(result["access_token"])
        if not result:
            raise SignInRequired("Your sign-in has expired. Sign in again.")
        raise self._describe(result)

    def username(self) -> str | None:
        """The signed-in account's user name, from the cache (no network), or None."""
        account = self.current_account()
        return account.username if account else None

    @property
    def token_provider(self) -> Callable[..., str]:
        """For ``GraphClient``: ``provider(force_refresh=False) -> access token``."""
        return self.acquire_token

    def sign_out(self) -> None:
        """Forget this authority's cached accounts and tokens (works offline: cache only)."""
        if self._msal is not None and self.broker_in_use:
            for account in self._msal.get_accounts():
                self._msal.remove_account(account)  # also signs out of the broker
        forget_authority(self._cache, urlparse(self.authority).hostname or "")
        log.info("Signed out")

    def current_account(self) -> Account | None:
        """Who is signed in, read from the cache only (no network): for the status bar."""
        return read_account(self._cache, urlparse(self.authority).hostname or "")

    # ---- internals ---------------------------------------------------------------------------
    def _app(self) -> Any:
        with self._lock:
            if self._msal is None:
                self._msal = self._build_app()
            return self._msal

    def _build_app(self) -> Any:
        app = build_public_client(
            self.client_id,
            self.authority,
            self._cache,
            http_client=self._http_client,
            verify=self.verify,
            use_broker=self.use_broker,
            describe=self._describe,
            note_broker=self._note_broker,
        )
        self.broker_in_use = bool(getattr(app, "_enable_broker", False))
        if self.broker_note:
            log.warning("%s", self.broker_note)
        return app

    def _note_broker(self, note: str) -> None:
        self.broker_note = note

    def _describe(self, result: dict[str, Any]) -> SignInError:
        err = describe_error(
            result, tenant=self.tenant, client_id=self.client_id, scopes=self.scopes
        )
        # INFO, not WARNING: the caller tells the operator (one CLI line, or the sign-in panel);
        # a console warning as well would say the same thing twice.
        log.info("Sign-in problem: %s (AADSTS%s)", err, err.code or "-")
        return err


def build_authenticator(
    settings: Any,
    *,
    device_code_prompt: Callable[[str], None] | None = None,
    cache_path: Path | str | None = None,
    **kwargs: Any,
) -> Authenticator:
    """The Authenticator for a real tenant's ``Settings``. With ``device_code_prompt`` (the CLI),
    a needed sign-in runs as device code with its text sent there; without it (the GUI), the
    caller signs in explicitly."""
    if device_code_prompt is not None:
        prompt = device_code_prompt
        kwargs.setdefault("on_device_code", lambda p: prompt(p.message))
        kwargs.setdefault("sign_in_when_needed", True)
    return Authenticator.from_settings(settings, cache_path or default_cache_path(), **kwargs)
