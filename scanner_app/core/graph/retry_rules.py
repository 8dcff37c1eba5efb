"""What the Graph client reads from a failed exchange: was anything sent, how long to wait.

The retry rules themselves are in ``client.py``'s docstring; these are the facts they rest on,
kept apart so each can be read (and tested) on its own: which statuses are worth another try,
which of them prove a write was not applied, how long Graph asked us to wait, and whether a
connection error happened before anything left the machine (then even a write is safe to try
again, and a caller with a fallback should get the error at once, not after a long backoff),
whether a 2xx body is readable (a truncated read is worth another try, a garbled answer to an
accepted write is not a failure) and whether the token provider can be asked for a fresh token.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import urllib3

from scanner_app.core.graph.errors import GraphError

log = logging.getLogger(__name__)

RETRYABLE = frozenset({429, 503, 504})
#: Statuses after which a write was certainly not applied, so re-sending it is safe.
WRITE_SAFE_RETRY = frozenset({429, 503})
#: Longest wait we honour silently; a longer Retry-After is handed to the caller as Throttled.
MAX_RETRY_AFTER = 120.0
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
#: Extra tries for a request that never connected (see client.py's docstring).
CONNECT_RETRIES = 1
#: Seconds to wait for a TCP/TLS connection; Graph's front doors answer in well under a second.
CONNECT_TIMEOUT = 5.0


def never_sent(exc: requests.RequestException) -> bool:
    """True when the connection was never made, so nothing can have been sent: refused, no
    route, a failed DNS look-up (the first thing to fail when the Wi-Fi drops), a failed TLS
    handshake."""
    if isinstance(exc, (requests.exceptions.SSLError, requests.ConnectTimeout)):
        return True
    cause = exc.args[0] if exc.args else None
    cause = getattr(cause, "reason", cause)  # urllib3's MaxRetryError wraps the real cause
    if isinstance(cause, urllib3.exceptions.NewConnectionError):  # NameResolutionError too
        return True
    text = repr(exc)
    return any(s in text for s in ("NewConnectionError", "NameResolutionError", "refused"))


def describe_failure(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    if isinstance(exc, requests.exceptions.SSLError):
        return "the secure connection failed (certificate)"
    return "the connection failed"


def json_or_none(resp: requests.Response) -> Any:
    try:
        return resp.json()
    except ValueError:
        return None


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from ``Retry-After`` (delta-seconds or an HTTP date); None when absent/invalid."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def parse_answer(resp: requests.Response, method: str, request_id: str) -> Any:
    """The JSON body of a 2xx answer (None for none). A garbled read raises ``GraphError``
    (worth another try); a garbled body on an accepted write does not undo the write."""
    if resp.status_code == 204 or not resp.content:
        return None
    try:
        return resp.json()
    except ValueError:
        if method != "GET":
            log.warning("%s answered %s with a body that is not JSON", method, resp.status_code)
            return None
        raise GraphError(
            resp.status_code, "malformedResponse", "Graph sent an unreadable answer", request_id
        ) from None


def accepts_force_refresh(fn: Callable[..., str]) -> bool:
    """True when a token provider can be asked for a fresh token (after a 401)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    params = sig.parameters.values()
    return "force_refresh" in sig.parameters or any(p.kind is p.VAR_KEYWORD for p in params)
