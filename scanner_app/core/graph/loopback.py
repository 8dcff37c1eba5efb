"""The loopback redirect listener for browser sign-in: ``http://localhost:PORT`` on 127.0.0.1.

Why it exists instead of MSAL's ``acquire_token_interactive``: with our own small listener the
browser opener is injectable (tests drive a scripted browser) and a sign-in the operator
abandoned can be cancelled (``cancel``) instead of waiting on a blank window. It takes the
browser's answer once (``response_mode=form_post`` or a query string) and never logs a request:
it carries the authorization code.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse


class LoopbackListener:
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

    def __enter__(self) -> LoopbackListener:
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
