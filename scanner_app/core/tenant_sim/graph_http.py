"""HTTP plumbing of the simulated Graph tenant: the loopback server and the request handler.

Why this lives apart from ``server.py``: ``SimulatedTenant`` decides what a request gets (faults,
the write limit, contract checks, the Graph API); this module only turns bytes on a socket into a
``RecordedRequest`` and a ``Reply`` back into bytes, as IIS in front of Graph would (headers,
content type, keep-alive). It also plays the network faults that only a socket can: a dropped
connection before or after the answer, and a truncated body.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from scanner_app.core.tenant_sim.certs import CertPair
    from scanner_app.core.tenant_sim.contract import ContractValidator
    from scanner_app.core.tenant_sim.faults import Fault
    from scanner_app.core.tenant_sim.odata import Reply

log = logging.getLogger(__name__)


class Tenant(Protocol):
    """What the handler asks of the tenant behind it (``server.SimulatedTenant``), so this
    module does not import the one that imports it."""

    validator: ContractValidator | None

    def _record(self, req: RecordedRequest) -> None: ...

    def _violations(self, found: list[str]) -> None: ...

    def serve(
        self, req: RecordedRequest, raw_body: bytes, host: str
    ) -> tuple[Reply, Fault | None]: ...


@dataclass
class RecordedRequest:
    """One request as the tenant received it (``query`` decoded; ``json`` parsed body)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    raw_query: str = ""
    #: The ``request-id`` the tenant answered with (set once it answers).
    request_id: str = ""

    def __getitem__(self, key: str) -> Any:  # dict-style access for convenience
        return getattr(self, key)

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lower), None)


def make_server(tenant: Tenant, host: str, port: int, pair: CertPair | None) -> GraphServer:
    """The tenant's server on ``host:port``, speaking TLS with ``pair`` when one is given."""
    server = GraphServer((host, port), GraphHandler)
    server.tenant = tenant
    if pair is not None:
        ctx = pair.server_context()
        server.socket = ctx.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
    return server


class GraphServer(ThreadingHTTPServer):
    """Tracks open keep-alive connections so ``stop()`` can end them (no lingering threads)."""

    daemon_threads = True
    tenant: Tenant

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            conns, self.open_connections = list(self.open_connections), set()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up or distrusted the certificate is not the tenant's problem.
        log.debug("connection from %s ended abnormally", client_address, exc_info=True)


class GraphHandler(BaseHTTPRequestHandler):
    """Hands each request to the tenant and writes its answer the way Graph's front end does."""

    server: GraphServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out separately: avoid a 40 ms stall
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._handle()

    do_POST = do_PATCH = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("%s " + format, self.address_string(), *args)

    def _handle(self) -> None:
        tenant = self.server.tenant
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        req = RecordedRequest(
            self.command,
            url.path,
            dict(parse_qsl(url.query, keep_blank_values=True)),
            dict(self.headers.items()),
            parsed,
            url.query,
        )
        tenant._record(req)
        host = self.headers.get("Host") or "127.0.0.1"
        reply, fault = tenant.serve(req, raw, host)
        if fault is not None and fault.kind == "drop":
            self._drop()
            return
        data = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
        if tenant.validator is not None and (fault is None or fault.kind != "malformed"):
            tenant._violations(
                tenant.validator.check_response(
                    req.method, req.path, req.query, req.headers, raw, reply.status, data
                )
            )
        if fault is not None and fault.kind == "drop_after":
            self._drop()
            return
        if fault is not None and fault.kind == "malformed":
            reply.status, data = 200, b'{"value": [{"id": "trunc'
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if data:
            self.send_header(
                "Content-Type",
                "application/json;odata.metadata=minimal;"
                "odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
            )
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
