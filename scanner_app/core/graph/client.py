"""HTTP to Microsoft Graph: one session, retries that respect Graph, typed errors, paging.

Why the retry rules look the way they do:
- 429/503/504 and dropped connections are normal on Graph; a read is simply tried again, waiting
  as long as ``Retry-After`` says, or with exponential backoff and jitter when it is missing
  (some Intune endpoints omit it). Waiting goes through an injected ``sleep`` so tests never sleep.
- A write is re-sent only when Graph has said it did not process it (429, 503). A write whose
  answer was lost (connection dropped after sending, read timeout, 504) raises
  ``WriteOutcomeUnknown``: the caller re-reads the device and decides (the journal does that).
- A 401 asks the token provider once for a fresh token (``force_refresh=True``) and retries.
- A request that never reached Graph (connection refused, no route, DNS failure, connect
  timeout) is tried once more, not five times: the network is down, backing off for ~15 s does
  not bring it back, and every caller has a better move. A look-up answers from the offline
  cache at once, the outbox keeps the change queued and its scheduler tries again later.
  Connecting gets its own short timeout (``connect_timeout``) for the same reason.
- A sign-in server that cannot be reached (``SignInUnreachable`` from the token provider) is the
  same "network down": it raises ``GraphUnreachable``, so callers with a fallback use it.
- Reads inside ``read_deadline(seconds)`` (a look-up) share one time limit, requests, retries
  and waits included; past it they raise ``GraphTooSlow`` (see ``deadline.py``).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol
from urllib.parse import quote, urlencode, urlsplit

import requests

from scanner_app.core.graph.deadline import ReadDeadline
from scanner_app.core.graph.errors import (
    AuthenticationError,
    GraphError,
    GraphUnreachable,
    ServiceUnavailable,
    Throttled,
    WriteOutcomeUnknown,
    error_from_response,
)
from scanner_app.core.graph.retry_rules import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    CONNECT_RETRIES,
    CONNECT_TIMEOUT,
    MAX_RETRY_AFTER,
    RETRYABLE,
    WRITE_SAFE_RETRY,
    accepts_force_refresh,
    describe_failure,
    json_or_none,
    never_sent,
    parse_answer,
    retry_after_seconds,
)
from scanner_app.core.graph.sign_in_errors import SignInUnreachable

log = logging.getLogger(__name__)

#: Characters left as they are in query strings: OData reads them literally, and Graph's own
#: examples show them unencoded. Everything else (spaces, +, &, #, non-ASCII) is %-encoded.
QUERY_SAFE = "$'(),:@/"
#: What every request with a body declares; Microsoft's reference examples send exactly this.
JSON_CONTENT_TYPE = "application/json"


class TokenProvider(Protocol):
    """Returns an access token; ``force_refresh`` asks for a new one (after a 401)."""

    def __call__(self, *, force_refresh: bool = False) -> str: ...


def encode_query(params: Mapping[str, Any]) -> str:
    """Query string with %20 for spaces (never '+', which Graph may read as a literal plus)."""
    return urlencode({k: str(v) for k, v in params.items()}, quote_via=quote, safe=QUERY_SAFE)


class GraphClient:
    """Graph v1.0 (or beta) calls with retries, paging and typed errors. Thread-safe enough for
    a pool: ``requests.Session`` is shared for connection reuse; no per-call state is kept
    except ``last_request_id``, which is per thread: read right after a call, it is the Graph
    request id of that call even while other threads are calling too (the audit trail needs
    exactly that)."""

    def __init__(
        self,
        base_url: str,
        token_provider: Callable[..., str],
        session: requests.Session | None = None,
        *,
        timeout: float = 30.0,
        connect_timeout: float = CONNECT_TIMEOUT,
        max_retries: int = 5,
        connect_retries: int = CONNECT_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
        api_version: str = "v1.0",
        verify: bool | str | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        base = base_url.rstrip("/")
        for suffix in ("/v1.0", "/beta"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
        self.base_url = base
        self.api_version = api_version
        self.token_provider = token_provider
        self.session = session or requests.Session()
        # Passed on every request: a session-level value loses to REQUESTS_CA_BUNDLE.
        self.verify = verify
        self.timeout = (min(connect_timeout, timeout), timeout)
        self.max_retries = max_retries
        self.connect_retries = connect_retries
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.deadline = ReadDeadline(clock)
        self._local = threading.local()
        self._refresh_kw = accepts_force_refresh(token_provider)

    @property
    def last_request_id(self) -> str:
        """The ``request-id`` Graph sent for this thread's latest call ("" before any)."""
        return str(getattr(self._local, "request_id", ""))

    @last_request_id.setter
    def last_request_id(self, value: str) -> None:
        self._local.request_id = value

    def read_deadline(self, seconds: float | None) -> AbstractContextManager[None]:
        """Within the block, this thread's reads must be done in ``seconds`` (None: no limit),
        or raise ``GraphTooSlow``. Writes are never limited."""
        return self.deadline.within(seconds)

    # -- public calls -------------------------------------------------------------------------
    def get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        api_version: str | None = None,
    ) -> dict[str, Any]:
        body = self._call("GET", self._url(path, params, api_version), headers, None, write=False)
        return body if isinstance(body, dict) else {}

    def get_pages(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        api_version: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield each page; follows ``@odata.nextLink`` and sends ``headers`` on every page."""
        url: str | None = self._url(path, params, api_version)
        while url:
            page = self._call("GET", url, headers, None, write=False)
            if not isinstance(page, dict):
                return
            yield page
            url = page.get("@odata.nextLink") or None
            if url and not self._same_origin(url):
                raise GraphError(0, "foreignNextLink", "Graph returned a link to another host")

    def post(
        self,
        path: str,
        json: Any = None,
        *,
        retry_unsafe: bool = False,
        api_version: str | None = None,
        max_retries: int | None = None,
    ) -> dict[str, Any] | None:
        """POST; returns the JSON body or None (204). See the module doc for re-send rules.

        ``max_retries`` overrides the client's for this call (0: hand any 429 straight back).
        """
        url = self._url(path, None, api_version)
        body = self._call("POST", url, None, json, write=not retry_unsafe, max_retries=max_retries)
        return body if isinstance(body, dict) else None

    def beta_post(
        self,
        path: str,
        json: Any = None,
        *,
        retry_unsafe: bool = False,
        max_retries: int | None = None,
    ) -> dict[str, Any] | None:
        return self.post(
            path, json, retry_unsafe=retry_unsafe, api_version="beta", max_retries=max_retries
        )

    def beta_get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self.get(path, params, api_version="beta")

    # -- internals ----------------------------------------------------------------------------
    def _url(self, path: str, params: Mapping[str, Any] | None, api_version: str | None) -> str:
        if path.startswith(("http://", "https://")):
            url = path
        else:
            url = f"{self.base_url}/{api_version or self.api_version}/{path.lstrip('/')}"
        if params:
            url += ("&" if "?" in url else "?") + encode_query(params)
        return url

    def _same_origin(self, url: str) -> bool:
        a, b = urlsplit(url), urlsplit(self.base_url)
        return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower())

    def _token(self, force: bool) -> str:
        if force and self._refresh_kw:
            return self.token_provider(force_refresh=True)
        return self.token_provider()

    def _call(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        body: Any,
        *,
        write: bool,
        max_retries: int | None = None,
    ) -> Any:
        retries = self.max_retries if max_retries is None else max_retries
        client_request_id = str(uuid.uuid4())
        refreshed = False
        attempt = 0
        short = urlsplit(url).path
        limited = method == "GET"  # only reads run against a look-up's deadline
        while True:
            try:
                token = self._token(force=refreshed)
            except SignInUnreachable as exc:
                why = f"no connection to the sign-in server {exc.host} ({exc.detail})"
                raise GraphUnreachable(0, "signInUnreachable", why) from exc
            timeout, cut = self.deadline.cap(self.timeout) if limited else (self.timeout, False)
            send_headers = {
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "client-request-id": client_request_id,
                "return-client-request-id": "true",
                **(headers or {}),
            }
            if body is not None:
                # Graph refuses a write whose JSON body is not declared as JSON (415, or 400
                # "Write requests (excluding DELETE) must contain the Content-Type header").
                send_headers["Content-Type"] = JSON_CONTENT_TYPE
            started = time.perf_counter()
            try:
                resp = self.session.request(
                    method,
                    url,
                    headers=send_headers,
                    data=None if body is None else json.dumps(body).encode("utf-8"),
                    timeout=timeout,
                    verify=self.verify,
                )
            except requests.RequestException as exc:
                if cut and isinstance(exc, requests.Timeout):
                    raise self.deadline.error() from exc
                sent = not isinstance(exc, requests.ConnectTimeout) and not never_sent(exc)
                if write and sent:
                    log.warning("%s %s: no answer after sending (%s)", method, short, type(exc))
                    raise WriteOutcomeUnknown(0, "noResponse", describe_failure(exc)) from exc
                if attempt >= (retries if sent else min(retries, self.connect_retries)):
                    raise GraphUnreachable(0, "unreachable", describe_failure(exc)) from exc
                self._wait(attempt, None, f"{method} {short}: {type(exc).__name__}", limited)
                attempt += 1
                continue
            ms = (time.perf_counter() - started) * 1000
            self.last_request_id = resp.headers.get("request-id", "")
            log.info("%s %s -> %s in %.0f ms", method, short, resp.status_code, ms)
            log.debug("%s %s request-id=%s", method, url, self.last_request_id)
            if resp.status_code == 401 and not refreshed:
                refreshed = True
                continue
            if resp.status_code < 400:
                try:
                    return parse_answer(resp, method, self.last_request_id)
                except GraphError:
                    if attempt >= retries:  # a truncated read: worth another try
                        raise
                    self._wait(attempt, None, f"{method} {short}: unreadable answer", limited)
                    attempt += 1
                    continue
            payload = json_or_none(resp)
            if resp.status_code in RETRYABLE:
                retry_after = retry_after_seconds(resp.headers.get("Retry-After"))
                if write and resp.status_code not in WRITE_SAFE_RETRY:
                    raise WriteOutcomeUnknown(
                        resp.status_code, "gatewayTimeout", "Graph timed out", self.last_request_id
                    )
                too_long = retry_after is not None and retry_after > MAX_RETRY_AFTER
                if attempt < retries and not too_long:
                    why = f"{method} {short}: {resp.status_code}"
                    self._wait(attempt, retry_after, why, limited)
                    attempt += 1
                    continue
                err = error_from_response(resp.status_code, payload, dict(resp.headers))
                err.retry_after = retry_after
                raise err
            raise error_from_response(resp.status_code, payload, dict(resp.headers))

    def _wait(self, attempt: int, retry_after: float | None, why: str, limited: bool) -> None:
        if retry_after is not None:
            delay = retry_after
        else:
            delay = self.rng.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt)))
        if limited:
            self.deadline.allow_wait(delay)
        log.info("%s; retrying in %.1f s", why, delay)
        self.sleep(delay)


__all__ = [
    "MAX_RETRY_AFTER",
    "AuthenticationError",
    "GraphClient",
    "GraphError",
    "ServiceUnavailable",
    "Throttled",
    "TokenProvider",
    "encode_query",
]
