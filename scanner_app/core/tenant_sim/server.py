"""``SimulatedTenant``: the Graph subset served over loopback HTTP or HTTPS.

It is a product feature (``--demo``, training) as much as the test bed: the real client talks
real HTTP to it. Every request is recorded (``requests``), faults can be switched on at run time
(``faults``), and with ``validate_contract`` every request and response on a path Microsoft's
OpenAPI file covers is checked; problems land in ``contract_violations``. What Graph refuses
before any handler runs (no token, no JSON Content-Type, unknown action parameters, ...) is
refused by ``graph_rules.py``, as strictly as Graph. The sockets, the handler and
``RecordedRequest`` live in ``graph_http.py`` (``RecordedRequest`` is re-exported).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scanner_app.core.tenant_sim.contract import ContractValidator, default_contract_path
from scanner_app.core.tenant_sim.faults import Fault, FaultInjector
from scanner_app.core.tenant_sim.graph_api import GraphApi, Reply, odata_error
from scanner_app.core.tenant_sim.graph_http import GraphServer, make_server
from scanner_app.core.tenant_sim.graph_http import RecordedRequest as RecordedRequest
from scanner_app.core.tenant_sim.graph_rules import Incoming, bearer_claims, refusal
from scanner_app.core.tenant_sim.seed import make_devices, make_users
from scanner_app.core.tenant_sim.store import TenantStore
from scanner_app.core.tenant_sim.tokens import DEFAULT_SCOPES, TokenIssuer
from scanner_app.core.tenant_sim.write_limit import WriteLimit

if TYPE_CHECKING:
    from scanner_app.core.tenant_sim.certs import CertPair

log = logging.getLogger(__name__)


class SimulatedTenant:
    """A seeded tenant on loopback. Use as a context manager, or ``start()``/``stop()``."""

    def __init__(
        self,
        device_count: int = 40,
        user_count: int = 60,
        seed: int = 1,
        *,
        consistency_delay: float = 0.0,
        validate_contract: bool = False,
        contract_path: str | Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        token_clock: Callable[[], float] = time.time,
        hyphen_quirk: bool = True,
        page_size: int = 100,
        write_limit: tuple[int, float] | None = None,
    ) -> None:
        users = make_users(user_count, seed)
        self.store = TenantStore(
            make_devices(device_count, seed, users),
            users,
            clock=clock,
            consistency_delay=consistency_delay,
        )
        self.tokens = TokenIssuer(clock=token_clock)
        self.faults = FaultInjector()
        self.requests: list[RecordedRequest] = []
        self.contract_violations: list[str] = []
        self.api = GraphApi(self.store, clock=clock, hyphen_quirk=hyphen_quirk, page_size=page_size)
        #: Intune's per-app device write limit (``(100, 20.0)``), or None: no limit.
        self.write_limit = None if write_limit is None else WriteLimit(*write_limit, clock=clock)
        self.validator: ContractValidator | None = None
        if validate_contract:
            path = contract_path or default_contract_path()
            if path is None:
                raise FileNotFoundError("contract file not found (tests/contracts/...yml)")
            self.validator = ContractValidator(path)
        self.base_url = ""
        self.cert_path: Path | None = None
        self.cert_pair: CertPair | None = None
        self._server: GraphServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- the interface others use -------------------------------------------------------------
    @property
    def devices(self) -> dict[str, dict[str, Any]]:
        return self.store.devices

    @property
    def users(self) -> dict[str, dict[str, Any]]:
        return self.store.users

    @property
    def graph_url(self) -> str:
        return self.base_url + "/v1.0"

    def applied_updates(self, device_id: str) -> int:
        """How many writes were really applied to this device (the no-double-apply check)."""
        return self.store.applied.get(device_id, 0)

    def issue_token(
        self,
        upn: str = "operator@contoso.example",
        scopes: Iterable[str] = DEFAULT_SCOPES,
        lifetime: float = 3600,
    ) -> str:
        return self.tokens.issue(upn=upn, scopes=tuple(scopes), lifetime=lifetime)

    def start(self, host: str = "127.0.0.1", port: int = 0, tls: bool = False) -> str:
        pair = (self.cert_pair or _loopback_certificate()) if tls else None
        server = make_server(self, host, port, pair)
        scheme = "http"
        if pair is not None:
            self.cert_pair, self.cert_path = pair, pair.cert_path
            scheme = "https"
        self._server = server
        name = "localhost" if tls and host in ("127.0.0.1", "localhost") else host
        self.base_url = f"{scheme}://{name}:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="simulated-tenant",
            daemon=True,
        )
        self._thread.start()
        log.info("simulated tenant listening on %s", self.base_url)
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SimulatedTenant:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling (called on server threads) ------------------------------------------
    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(req)

    def _violations(self, found: list[str]) -> None:
        if found:
            log.warning("contract violation: %s", found)
            with self._lock:
                self.contract_violations.extend(found)

    def serve(self, req: RecordedRequest, raw_body: bytes, host: str) -> tuple[Reply, Fault | None]:
        request_id = req.request_id = str(uuid.uuid4())
        if self.validator is not None:
            self._violations(
                self.validator.check_request(req.method, req.path, req.query, req.headers, raw_body)
            )
        lowered = {k.lower(): v for k, v in req.headers.items()}
        incoming = Incoming(req.method, req.path, req.query, lowered, raw_body, request_id)
        delay, fault = self.faults.take(req.method, req.path)
        if delay:
            time.sleep(delay / 1000.0)
        if fault is not None and fault.kind == "throttle":
            headers = {} if fault.retry_after is None else {"Retry-After": f"{fault.retry_after:g}"}
            reply = _too_many_requests(request_id, headers)
        elif fault is not None and fault.kind == "error":
            reply = odata_error(
                fault.status,
                "ServiceUnavailable" if fault.status == 503 else "UnknownError",
                "The service is temporarily unavailable.",
                request_id,
            )
        elif fault is not None and fault.kind == "drop":
            return Reply(0), fault
        elif (refused := refusal(incoming, self.tokens)) is not None:
            reply = refused  # Graph's gateway answers: nothing is written, nothing is counted
        elif (wait := self._over_write_limit(req)) is not None:
            reply = _too_many_requests(request_id, {"Retry-After": WriteLimit.retry_after(wait)})
        else:
            scheme = "https" if self.base_url.startswith("https") else "http"
            claims = bearer_claims(incoming.headers, self.tokens) or {}
            scopes = set(str(claims.get("scp", "")).split())
            reply = self.api.handle(
                req.method,
                req.path,
                req.query,
                incoming.headers,
                req.json,
                f"{scheme}://{host}",
                request_id,
                scopes,
            )
        reply.headers.setdefault("request-id", request_id)
        reply.headers.setdefault("client-request-id", req.header("client-request-id") or request_id)
        reply.headers.setdefault(
            "x-ms-ags-diagnostic",
            json.dumps({"ServerInfo": {"DataCenter": "Loopback", "Slice": "E", "Ring": "0"}}),
        )
        return reply, fault

    def _over_write_limit(self, req: RecordedRequest) -> float | None:
        """Seconds to wait when this request is a device write past Intune's limit, else None."""
        limit = self.write_limit
        if limit is None or not WriteLimit.applies_to(req.method, req.path):
            return None
        return limit.admit()


def _too_many_requests(request_id: str, headers: dict[str, str]) -> Reply:
    """Intune's 429, from an injected throttle fault or from its per-app write limit."""
    return odata_error(
        429, "TooManyRequests", "Too many requests.", request_id, intune=True, headers=headers
    )


class TlsUnavailable(RuntimeError):
    """HTTPS was asked for where the ``cryptography`` package is missing (the installed app)."""


def _loopback_certificate() -> CertPair:
    # Imported here, not at the top: plain-http use (the demo, the tests' default) must not need
    # ``cryptography``, which the standalone bundle leaves out (14 MB only this path uses).
    try:
        from scanner_app.core.tenant_sim import certs
    except ImportError as exc:
        raise TlsUnavailable(
            "HTTPS for the simulated tenant needs the Python package 'cryptography', which the "
            "installed app does not include; run `scanner-app simulate --tls` from a source "
            f"checkout (uv run scanner-app simulate --tls) ({exc})"
        ) from exc
    return certs.write_pair()
