"""What the Graph client reads from a failed exchange: was anything sent, how long to wait.

The retry rules themselves are in ``client.py``'s docstring; these are the facts they rest on,
kept apart so each can be read (and tested) on its own: which statuses are worth another try,
which of them prove a write was not applied, how long Graph asked us to wait, and whether a
connection error happened before anything left the machine (then even a write is safe to try
again, and a caller with a fallback should get the error at once, not after a long backoff).
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import urllib3

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
