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
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlparse

log = logging.getLogger(__name__)

READ_WRITE_SCOPES = ("DeviceManagementServiceConfig.ReadWrite.All", "User.ReadBasic.All")
READ_ONLY_SCOPES = ("DeviceManagementServiceConfig.Read.All", "User.ReadBasic.All")
_MICROSOFT_HOSTS = {
    "login.microsoftonline.com",
    "login.microsoft.com",
    "login.windows.net",
    "login.microsoftonline.us",
    "login.chinacloudapi.cn",
    "login.partner.microsoftonline.cn",
}


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


# ---- values and errors the GUI and CLI show ------------------------------------------------
class SignInError(Exception):
    """Sign-in failed; ``str(err)`` is a sentence for the operator. ``code``: the AADSTS number."""

    def __init__(self, message: str, *, code: int | None = None, error: str = "") -> None:
        super().__init__(message)
        self.code, self.error = code, error


class SignInRequired(SignInError):
    """No usable cached sign-in (never signed in, signed out, or the sign-in expired)."""


class SignInCancelled(SignInError):
    """The operator (or the app) cancelled a sign-in in progress."""


@dataclass(frozen=True)
class Account:
    """Who is signed in. ``is_guest``: a B2B guest (cannot manage the tenant's devices)."""

    username: str
    name: str
    tenant_id: str
    home_account_id: str
    is_guest: bool = False


@dataclass(frozen=True)
class CacheStatus:
    """Where the sign-in is kept. A non-empty ``warning`` must be shown to the operator."""

    location: str
    encrypted: bool
    warning: str = ""


@dataclass(frozen=True)
class DeviceCodePrompt:
    """What the operator needs for device-code sign-in: open ``verification_uri``, type the code."""

    user_code: str
    verification_uri: str
    message: str
    expires_in: int


_EXPIRED = {70043, 700082, 70008, 50173, 700084, 50132, 50133}
_MESSAGES: dict[int, str] = {
    90002: "The tenant '{tenant}' was not found. Check the tenant ID or domain in the settings, "
    "and that the sign-in host matches the tenant's cloud (public, US Government, China).",
    65001: "An administrator has not granted consent for this app in tenant '{tenant}'. Ask a "
    "Privileged Role Administrator to grant admin consent for {scopes} "
    "(see docs/app-registration.md).",
    50020: "This account is not a member of tenant '{tenant}'. Sign in with a work account of "
    "that organisation; a guest account from another organisation cannot manage its devices.",
    50034: "That account does not exist in tenant '{tenant}'. Check the user name.",
    700016: "The app registration (client ID {client_id}) was not found in tenant '{tenant}'. "
    "Check client_id and tenant in the settings.",
    7000218: "The app registration does not allow public client flows. In Entra ID, open the "
    "app's Authentication page and set 'Allow public client flows' to Yes.",
    50011: "The app registration has no redirect URI http://localhost for 'Mobile and desktop "
    "applications'. Add it (see docs/app-registration.md).",
    70020: "The device code expired before the sign-in was completed. Start the sign-in again.",
    70000: "The sign-in was refused. Sign in again.",
}


def describe_error(
    result: dict[str, Any], *, tenant: str = "", client_id: str = "", scopes: Sequence[str] = ()
) -> SignInError:
    """Turn MSAL's error dict (Entra's error body) into a SignInError with a human message."""
    error = str(result.get("error") or "")
    description = str(result.get("error_description") or "")
    codes = [int(c) for c in result.get("error_codes") or [] if str(c).isdigit()]
    found = re.search(r"AADSTS(\d+)", description)
    code = codes[0] if codes else (int(found.group(1)) if found else None)
    names = ", ".join(s.rsplit("/", 1)[-1] for s in scopes) or "the app's permissions"
    if code in _EXPIRED:
        return SignInRequired("Your sign-in has expired. Sign in again.", code=code, error=error)
    if code in _MESSAGES:
        text = _MESSAGES[code].format(tenant=tenant, client_id=client_id, scopes=names)
        cls = SignInRequired if code == 70000 else SignInError
        return cls(text, code=code, error=error)
    if error in {"consent_required", "interaction_required"}:
        return SignInRequired("Sign in again to continue.", code=code, error=error)
    if error in {"access_denied", "authorization_declined"}:
        return SignInError("The sign-in was declined.", code=code, error=error)
    first_line = description.splitlines()[0] if description else error or "unknown error"
    return SignInError(f"Sign-in failed: {first_line}", code=code, error=error)


# ---- token cache -----------------------------------------------------------------------------
_warned_plain: set[str] = set()


def open_token_cache(path: Path | str, *, encrypt: bool = True) -> tuple[Any, CacheStatus]:
    """A persisted MSAL token cache at ``path``: OS-encrypted when possible, else an owner-only
    file with a warning. ``encrypt=False`` asks for the plain file (tests; still warned)."""
    from msal_extensions import FilePersistence, PersistedTokenCache, build_encrypted_persistence
    from msal_extensions.persistence import PersistenceNotFound

    location = Path(path)
    location.parent.mkdir(parents=True, exist_ok=True)
    reason = "encryption was turned off"
    if encrypt:
        try:
            persistence = build_encrypted_persistence(str(location))
            persistence.load()
        except PersistenceNotFound:  # usable, just empty
            return _cache(PersistedTokenCache, persistence, location, True)
        except Exception as exc:  # noqa: BLE001 - any keychain failure means: fall back
            first_line = (str(exc).strip().splitlines() or [""])[0]
            reason = f"the system keychain is not available ({type(exc).__name__}: {first_line})"
        else:
            return _cache(PersistedTokenCache, persistence, location, True)
    plain = FilePersistence(str(location))
    if location.exists():
        location.chmod(0o600)
    else:
        location.touch(mode=0o600)
        location.write_text("{}", encoding="utf-8")
    warning = (
        f"Your sign-in is kept in a file only your user account can read ({location}), not in "
        f"the system keychain, because {reason}."
    )
    if str(location) not in _warned_plain:
        _warned_plain.add(str(location))
        log.warning("%s", warning)
    cache, status = _cache(PersistedTokenCache, plain, location, False)
    return cache, CacheStatus(status.location, False, warning)


def _cache(cls: Any, persistence: Any, location: Path, encrypted: bool) -> tuple[Any, CacheStatus]:
    cache = cls(persistence, lock_location=str(location) + ".lockfile")
    return cache, CacheStatus(str(location), encrypted)


# ---- logging guard ---------------------------------------------------------------------------
_TOKEN_SHAPES = [
    re.compile(r"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"),
    re.compile(
        r"(?i)((?:access|refresh|id)_token|code_verifier|device_code|code|assertion)"
        r"([\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9_\-\.~+/=%]{8,}"
    ),
]


class _RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _TOKEN_SHAPES[0].sub("<redacted>", message)
        cleaned = _TOKEN_SHAPES[1].sub(r"\1\2<redacted>", cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def guard_msal_logging() -> None:
    """Attach a token-redacting filter to every MSAL logger (filters do not inherit, so each
    named logger gets one). Idempotent; called whenever an MSAL client is built."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in {"msal",
             "msal_extensions"}]  # fmt: skip
    for name in ["msal", *names]:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactTokens) for f in logger.filters):
            logger.addFilter(_RedactTokens())


# ---- the authenticator -----------------------------------------------------------------------
class Authenticator:
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
        self._listener: _LoopbackListener | None = None
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
            raise SignInError(f"Cannot reach the sign-in server: {exc}") from None
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

    def sign_out(self) -> None:
        """Forget this authority's cached accounts and tokens (works offline: cache only)."""
        if self._msal is not None and self.broker_in_use:
            for account in self._msal.get_accounts():
                self._msal.remove_account(account)  # also signs out of the broker
        import msal

        kinds = msal.TokenCache.CredentialType
        host = urlparse(self.authority).hostname or ""
        for kind in (kinds.ACCESS_TOKEN, kinds.REFRESH_TOKEN, kinds.ID_TOKEN, kinds.ACCOUNT):
            for entry in list(self._cache.search(kind)):
                if entry.get("environment") == host:
                    self._cache.modify(kind, entry)
        log.info("Signed out")

    def current_account(self) -> Account | None:
        """Who is signed in, read from the cache only (no network): for the status bar."""
        import msal

        kinds = msal.TokenCache.CredentialType
        host = urlparse(self.authority).hostname or ""
        accounts = [a for a in self._cache.search(kinds.ACCOUNT) if a.get("environment") == host]
        if not accounts:
            return None
        entry = accounts[0]
        home = str(entry.get("home_account_id", ""))
        claims: dict[str, Any] = {}
        for idt in self._cache.search(kinds.ID_TOKEN, query={"home_account_id": home}):
            claims = _jwt_claims(str(idt.get("secret", "")))
        username = str(entry.get("username") or claims.get("preferred_username") or "")
        return Account(
            username=username,
            name=str(claims.get("name") or ""),
            tenant_id=str(entry.get("realm") or claims.get("tid") or ""),
            home_account_id=home,
            is_guest=_is_guest(username, claims),
        )

    # ---- internals ---------------------------------------------------------------------------
    def _app(self) -> Any:
        with self._lock:
            if self._msal is None:
                self._msal = self._build_app()
            return self._msal

    def _build_app(self) -> Any:
        import msal

        guard_msal_logging()
        host = urlparse(self.authority).hostname or ""
        kwargs: dict[str, Any] = {
            "authority": self.authority,
            "token_cache": self._cache,
            "app_name": "Autopilot Bench Scanner",
        }
        kwargs["http_client"] = self._http_client or _session(self.verify, timeout=30)
        if host not in _MICROSOFT_HOSTS:
            kwargs["instance_discovery"] = False  # not a Microsoft host: nobody to ask
        broker = self.use_broker and sys.platform == "win32"
        if self.use_broker and not broker:
            self.broker_note = (
                "The Windows sign-in broker exists only on Windows; using the browser."
            )
        try:
            try:
                app = msal.PublicClientApplication(
                    self.client_id, enable_broker_on_windows=broker or None, **kwargs
                )
            except ImportError as exc:  # msal[broker] (pymsalruntime) not installed
                self.broker_note = (
                    f"The Windows sign-in broker is not available ({exc}); using the browser."
                )
                app = msal.PublicClientApplication(self.client_id, **kwargs)
        except ValueError as exc:  # tenant discovery failed: Entra's error text is in the chain
            text = f"{exc} {exc.__context__ or ''}"
            found = re.search(r"\{.*\}", text, re.S)
            body: dict[str, Any] = {"error_description": text}
            if found:
                try:
                    body = json.loads(found.group(0))
                except ValueError:
                    pass
            raise self._describe(body) from None
        except OSError as exc:
            raise SignInError(f"Cannot reach the sign-in server {host}: {exc}") from None
        self.broker_in_use = bool(getattr(app, "_enable_broker", False))
        if self.broker_note:
            log.warning("%s", self.broker_note)
        return app

    def _browser_flow(self, app: Any, prompt: str | None, login_hint: str | None) -> Any:
        with _LoopbackListener() as listener:
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

    def _describe(self, result: dict[str, Any]) -> SignInError:
        err = describe_error(
            result, tenant=self.tenant, client_id=self.client_id, scopes=self.scopes
        )
        log.warning("Sign-in problem: %s (AADSTS%s)", err, err.code or "-")
        return err


def _session(verify: bool | str, *, timeout: float) -> Any:
    """A requests session that really uses ``verify``: a session-level ``verify`` is silently
    replaced by ``REQUESTS_CA_BUNDLE`` when that is set (requests issue #3829), so pass it on
    every request instead. One retry on connection errors, like MSAL's own session."""
    import requests
    from requests.adapters import HTTPAdapter

    class Session(requests.Session):
        def request(self, method: str | bytes, url: str | bytes, **kw: Any) -> Any:  # type: ignore[override]
            kw.setdefault("verify", verify)
            kw.setdefault("timeout", timeout)
            return super().request(method, url, **kw)

    session = Session()
    adapter = HTTPAdapter(max_retries=1)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


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


def _print_prompt(prompt: DeviceCodePrompt) -> None:
    print(prompt.message, file=sys.stderr, flush=True)


def _jwt_claims(token: str) -> dict[str, Any]:
    import base64

    try:
        part = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _is_guest(username: str, claims: dict[str, Any]) -> bool:
    if claims.get("acct") == 1 or "#ext#" in username.lower():
        return True
    idp = str(claims.get("idp") or "")
    return bool(idp) and str(claims.get("tid", "")) not in idp


class _LoopbackListener:
    """Receives the browser's answer on ``http://localhost:PORT`` (form_post or query)."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self.response: dict[str, str] | None = None
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # the request carries the authorization code: never log it

            def do_GET(self) -> None:
                self._take(dict(parse_qsl(urlparse(self.path).query)))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._take(dict(parse_qsl(self.rfile.read(length).decode("utf-8"))))

            def _take(self, params: dict[str, str]) -> None:
                if "code" not in params and "error" not in params:
                    return self._reply(404, "Nothing here.")
                if listener.response is None:
                    listener.response = params
                    listener._done.set()
                if "error" in params:
                    return self._reply(200, "Sign-in did not complete. The app says why.")
                self._reply(
                    200, "You are signed in. You can close this tab and go back to the app."
                )

            def _reply(self, status: int, text: str) -> None:
                body = f"<!doctype html><html><body><h1>{text}</h1></body></html>".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="sign-in-loopback",
            daemon=True,
        )

    @property
    def redirect_uri(self) -> str:
        return f"http://localhost:{self._server.server_address[1]}"

    def __enter__(self) -> _LoopbackListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait(self, timeout: float) -> dict[str, str] | None:
        self._done.wait(timeout)
        return self.response

    def cancel(self) -> None:
        self._done.set()
