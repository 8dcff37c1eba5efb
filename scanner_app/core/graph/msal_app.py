"""Building MSAL's ``PublicClientApplication`` for one authority, the way this app needs it.

Why this lives apart from ``auth.py``: the choices made here are about MSAL and the network, not
about signing in. For an authority host that is not a Microsoft host (the simulated tenant, a
test IdP) instance discovery is turned off, so only the tenant's own discovery document is read.
The Windows broker (WAM) is asked for only on Windows and falls back to the browser when
``msal[broker]`` is missing (``note_broker`` is told why). HTTP goes through a requests session
that really uses ``verify`` (the CA bundle). Entra's answer to a failed tenant discovery becomes
a ``SignInError`` with a human message.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from scanner_app.core.graph.retry_rules import CONNECT_TIMEOUT
from scanner_app.core.graph.sign_in_errors import (
    SignInError,
    SignInUnreachable,
    guard_msal_logging,
    network_failure,
)

_MICROSOFT_HOSTS = {
    "login.microsoftonline.com",
    "login.microsoft.com",
    "login.windows.net",
    "login.microsoftonline.us",
    "login.chinacloudapi.cn",
    "login.partner.microsoftonline.cn",
}


def build_public_client(
    client_id: str,
    authority: str,
    cache: Any,
    *,
    http_client: Any,
    verify: bool | str,
    use_broker: bool,
    describe: Callable[[dict[str, Any]], SignInError],
    note_broker: Callable[[str], None],
) -> Any:
    """MSAL's client for ``authority`` with ``cache``. ``http_client``: None for a session that
    uses ``verify``. ``describe`` turns Entra's error body into the ``SignInError`` raised."""
    import msal

    guard_msal_logging()
    host = urlparse(authority).hostname or ""
    kwargs: dict[str, Any] = {
        "authority": authority,
        "token_cache": cache,
        "app_name": "Autopilot Bench Scanner",
    }
    # Connecting gets the Graph client's short timeout: a dead network fails in seconds.
    kwargs["http_client"] = http_client or _session(verify, timeout=(CONNECT_TIMEOUT, 30))
    if host not in _MICROSOFT_HOSTS:
        kwargs["instance_discovery"] = False  # not a Microsoft host: nobody to ask
    broker = use_broker and sys.platform == "win32"
    if use_broker and not broker:
        note_broker("The Windows sign-in broker exists only on Windows; using the browser.")
    try:
        try:
            app = msal.PublicClientApplication(
                client_id, enable_broker_on_windows=broker or None, **kwargs
            )
        except ImportError as exc:  # msal[broker] (pymsalruntime) not installed
            note_broker(f"The Windows sign-in broker is not available ({exc}); using the browser.")
            app = msal.PublicClientApplication(client_id, **kwargs)
    except ValueError as exc:  # tenant discovery failed: Entra's error text is in the chain
        text = f"{exc} {exc.__context__ or ''}"
        found = re.search(r"\{.*\}", text, re.S)
        body: dict[str, Any] = {"error_description": text}
        if found:
            try:
                body = json.loads(found.group(0))
            except ValueError:
                pass
        raise describe(body) from None
    except OSError as exc:  # no network, refused, DNS, TLS: the Graph client reads "offline"
        raise SignInUnreachable(host, network_failure(exc)) from None
    return app


def _session(verify: bool | str, *, timeout: tuple[float, float]) -> Any:
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
