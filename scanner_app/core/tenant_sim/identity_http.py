"""HTTP plumbing of the simulated identity provider: the TLS server and the request router.

Why this lives apart from ``identity.py``: the provider's logic takes and returns plain dicts;
this module maps Entra's URL layout (``/{tenant}/oauth2/v2.0/...``, ``/devicelogin``) onto it,
renders the few HTML pages a browser sees (the form_post page that carries the code to the
app's loopback redirect, the device-login page) and writes JSON or HTML answers. It never logs
a query string or a body: they hold codes and tokens.
"""

from __future__ import annotations

import html
import json
import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlparse

from scanner_app.core.tenant_sim.identity_grants import AadError

if TYPE_CHECKING:
    import ssl

log = logging.getLogger(__name__)


class Provider(Protocol):
    """What the handler asks of the provider behind it (``identity.SimulatedIdentityProvider``),
    so this module does not import the one that imports it."""

    auto_approve: bool

    def check_tenant(self, tenant: str) -> None: ...

    def openid_configuration(self) -> dict[str, Any]: ...

    def jwks(self) -> dict[str, Any]: ...

    def device_code(self, form: dict[str, str]) -> dict[str, Any]: ...

    def token(self, form: dict[str, str]) -> dict[str, Any]: ...

    def user_picker_page(self, q: dict[str, str]) -> str: ...

    def authorize(self, q: dict[str, str]) -> tuple[str, dict[str, str]]: ...

    def approve_device_code(self, user_code: str, upn: str | None = None) -> None: ...


class IdentityServer(ThreadingHTTPServer):
    """One thread per connection (daemon threads), with the provider its handler serves."""

    daemon_threads = True
    idp: Provider


def make_server(idp: Provider, host: str, port: int, context: ssl.SSLContext) -> IdentityServer:
    """The provider's server on ``host:port``, speaking TLS with ``context`` (its loopback
    certificate)."""
    server = IdentityServer((host, port), IdentityHandler)
    server.idp = idp
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return server


class IdentityHandler(BaseHTTPRequestHandler):
    """Routes requests to the provider; never logs a query string or a body (they hold codes)."""

    server: IdentityServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("identity %s %s", self.command, urlparse(self.path).path)

    def do_GET(self) -> None:
        self._dispatch({})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._dispatch(dict(parse_qsl(self.rfile.read(length).decode("utf-8"))))

    def _dispatch(self, form: dict[str, str]) -> None:
        idp = self.server.idp
        url = urlparse(self.path)
        query = dict(parse_qsl(url.query))
        parts = [p for p in url.path.split("/") if p]
        try:
            if parts == ["devicelogin"]:
                return self._device_login({**query, **form})
            if len(parts) < 2:
                raise AadError(404, "invalid_request", 900561, "The endpoint does not exist.")
            idp.check_tenant(parts[0])
            rest = parts[1:]
            if rest == ["v2.0", ".well-known", "openid-configuration"]:
                self._send(200, idp.openid_configuration())
            elif rest == ["discovery", "v2.0", "keys"]:
                self._send(200, idp.jwks())
            elif rest == ["oauth2", "v2.0", "authorize"]:
                self._authorize({**query, **form})
            elif rest == ["oauth2", "v2.0", "devicecode"] and self.command == "POST":
                self._send(200, idp.device_code(form))
            elif rest == ["oauth2", "v2.0", "token"] and self.command == "POST":
                self._send(200, idp.token(form))
            elif rest == ["oauth2", "v2.0", "logout"]:
                self._page(200, "<h1>You have signed out.</h1>")
            else:
                raise AadError(404, "invalid_request", 900561, "The endpoint does not exist.")
        except AadError as err:
            log.info("Simulated identity provider refused: AADSTS%d %s", err.code, err.error)
            self._send(err.status, err.body())

    def _authorize(self, q: dict[str, str]) -> None:
        idp = self.server.idp
        if not idp.auto_approve and "upn" not in q:
            return self._page(200, idp.user_picker_page(q))
        try:
            redirect_uri, params = idp.authorize(q)
        except AadError as err:  # Entra shows these on its own page: no redirect to the app
            return self._page(err.status, f"<h1>Sign-in error</h1><p>{html.escape(str(err))}</p>")
        if q.get("response_mode") == "form_post":
            fields = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in params.items()
            )
            self._page(
                200,
                f'<form method="post" action="{html.escape(redirect_uri)}">{fields}'
                "<noscript><button>Continue</button></noscript></form>"
                "<script>document.forms[0].submit()</script>",
            )
        else:
            joiner = "&" if "?" in redirect_uri else "?"
            self._send(302, None, location=f"{redirect_uri}{joiner}{urlencode(params)}")

    def _device_login(self, q: dict[str, str]) -> None:
        idp = self.server.idp
        code = q.get("user_code", "").strip().upper()
        if not code:
            return self._page(
                200,
                "<h1>Enter code</h1><form><input name='user_code' autofocus>"
                "<button>Next</button></form>",
            )
        try:
            idp.approve_device_code(code, q.get("upn") or None)
        except KeyError:
            return self._page(400, "<h1>That code was not found or has expired.</h1>")
        self._page(200, "<h1>You have signed in. You can close this window.</h1>")

    def _page(self, status: int, body: str) -> None:
        payload = f"<!doctype html><html><body>{body}</body></html>".encode()
        self._write(status, payload, "text/html; charset=utf-8")

    def _send(self, status: int, body: dict[str, Any] | None, *, location: str = "") -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        self._write(status, payload, "application/json; charset=utf-8", location)

    def _write(self, status: int, payload: bytes, ctype: str, location: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(payload)
