"""Typed Graph failures, each with a sentence an operator can act on and the id support needs.

Graph answers errors as ``{"error": {"code", "message", "innerError": {"request-id", ...}}}``;
Intune often nests a second JSON document inside ``error.message`` (with ``Message`` and
``CustomApiErrorPhrase``). ``error_from_response`` digs the useful sentence out of both shapes so
the UI never shows a raw JSON blob.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any


class GraphError(Exception):
    """A Graph call that did not succeed. ``str(err)`` is the human message."""

    human_prefix = "Microsoft Graph refused the request"

    def __init__(
        self,
        status: int = 0,
        code: str = "",
        message: str = "",
        request_id: str = "",
        *,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.retry_after = retry_after
        super().__init__(self.human())

    def human(self) -> str:
        """One sentence for the operator, with the request id to quote to support."""
        text = self.human_prefix
        if self.message:
            text += f": {self.message.rstrip('.')}."
        else:
            text += "."
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text


class AuthenticationError(GraphError):
    human_prefix = "The sign-in is no longer accepted; sign in again"


class PermissionDenied(GraphError):
    human_prefix = "This account is not allowed to do that in Intune"


class NotFound(GraphError):
    human_prefix = "Not found in Intune"


class Throttled(GraphError):
    human_prefix = "Intune is busy (too many requests); try again shortly"


class ServiceUnavailable(GraphError):
    human_prefix = "Microsoft Graph is temporarily unavailable"


class WriteOutcomeUnknown(GraphError):
    """A write was sent but no answer came back: it may or may not have been applied.

    The caller must re-read the device before deciding to send it again.
    """

    human_prefix = "The change was sent but no answer came back; check the device before retrying"


class GraphUnreachable(GraphError):
    human_prefix = "Microsoft Graph cannot be reached; check the network"


class GraphTooSlow(GraphUnreachable):
    """A look-up's deadline passed before Graph answered (requests, retries and waits included).

    A kind of ``GraphUnreachable``: whoever answers from the offline cache for an unreachable
    Graph does so for a slow one too; ``seconds`` is the deadline that passed.
    """

    human_prefix = "Microsoft Graph is too slow to answer"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(0, "deadlineExceeded", f"no answer within {seconds:g} s")


_BY_STATUS: dict[int, type[GraphError]] = {
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    429: Throttled,
    503: ServiceUnavailable,
    504: ServiceUnavailable,
}

# Intune's nested message often ends with " - Operation ID ... - Activity ID ..." noise.
_NOISE = re.compile(r"\s+-\s+(Operation ID|Activity ID|Url|Time)\b.*$", re.S)


def human_message(message: str) -> str:
    """The readable part of ``error.message``, unwrapping Intune's JSON-in-a-string."""
    text = (message or "").strip()
    if text.startswith("{"):
        try:
            inner = json.loads(text)
        except ValueError:
            return text
        if isinstance(inner, dict):
            phrase = str(inner.get("CustomApiErrorPhrase") or "").strip()
            msg = str(inner.get("Message") or inner.get("message") or "").strip()
            text = phrase or msg or text
    return _NOISE.sub("", text).strip()


def error_from_response(
    status: int, body: Any, headers: dict[str, str] | None = None
) -> GraphError:
    """Map an HTTP error answer to the matching GraphError subclass."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    code, message, request_id = "", "", headers.get("request-id", "")
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        code = str(err.get("code") or "")
        message = human_message(str(err.get("message") or ""))
        inner = err.get("innerError") or err.get("innererror") or {}
        if isinstance(inner, dict):
            request_id = str(inner.get("request-id") or request_id)
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServiceUnavailable if status >= 500 else GraphError
    return cls(status, code, message or f"HTTP {status}", request_id)


class SyncRefused(GraphError):
    """Intune refused an Autopilot sync (one running, or the last one < 10 minutes ago).

    ``next_possible_at`` (aware UTC datetime) is when the operator can try again.
    """

    human_prefix = "Intune did not start a sync"

    def __init__(
        self, status: int, code: str, message: str, request_id: str, next_possible_at: dt.datetime
    ) -> None:
        self.next_possible_at = next_possible_at
        super().__init__(status, code, message, request_id)

    def human(self) -> str:
        local = self.next_possible_at.astimezone().strftime("%H:%M")
        why = (
            "a sync is already running"
            if self.status == 409
            else ("the last sync was less than 10 minutes ago")
        )
        return f"Intune did not start a sync: {why}; next sync possible at {local}."
