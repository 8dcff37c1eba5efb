"""A simulated Entra ID (Azure AD v2.0) identity provider, served over HTTPS on loopback.

Why it exists: the app signs in with the real MSAL package, and MSAL only talks to an authority
over https. This server answers the handful of endpoints MSAL uses for a public client, the way
Entra ID answers them, so the demo, the CLI and the tests run the real sign-in code:

- ``/{tenant}/v2.0/.well-known/openid-configuration`` (tenant discovery),
- ``/{tenant}/oauth2/v2.0/authorize`` (authorization code + PKCE S256 + nonce + state; the answer
  goes to the loopback ``redirect_uri`` as a form_post page, or a redirect for ``query``),
- ``/{tenant}/oauth2/v2.0/devicecode`` and ``/devicelogin`` (device-code sign-in),
- ``/{tenant}/oauth2/v2.0/token`` (``authorization_code``, ``device_code``, ``refresh_token``).

Access tokens come from the simulated tenant's ``TokenIssuer``, so its Graph accepts them (and only
them) until they expire. Errors use Entra's shape and AADSTS codes. MSAL must be built with
``instance_discovery=False`` for this host (it is not a Microsoft host): see ``auth.py``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import logging
import secrets
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlparse

from scanner_app.core.models import User
from scanner_app.core.tenant_sim import certs
from scanner_app.core.tenant_sim.certs import CertPair

log = logging.getLogger(__name__)

#: The demo app registration's client id (any GUID works; the simulator only checks it matches).
DEMO_CLIENT_ID = "5a8f1c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b"
_RESERVED_SCOPES = {"openid", "profile", "offline_access", "email"}


class TokenIssuerLike(Protocol):
    """What the identity provider needs from the tenant's token issuer (tenant_sim/tokens.py)."""

    def issue(self, upn: str, scopes: Sequence[str], lifetime: float) -> str: ...


@dataclass
class _Grant:
    """What a code, device code or refresh token stands for."""

    upn: str
    client_id: str
    scopes: list[str]
    expires_at: float
    nonce: str = ""
    redirect_uri: str = ""
    code_challenge: str = ""
    approved: bool = False
    polled: int = 0
    used: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class SimulatedIdentityProvider:
    """An OIDC provider shaped like Entra ID, for one tenant and one app registration.

    ``users``: who exists in the tenant (``User`` values or Graph-shaped dicts).
    ``sign_in_as``: the UPN the "browser" signs in as when ``auto_approve`` is on (default: the
    first user). With ``auto_approve`` off, ``/authorize``
    shows a page to pick a user, and device codes wait for ``approve_device_code``.
    Switches a test or the demo can flip at any time: ``admin_consent_granted``,
    ``public_client_flows``, ``access_token_lifetime``, ``refresh_token_lifetime``,
    ``device_code_pending_polls``.
    """

    def __init__(
        self,
        tokens: TokenIssuerLike,
        users: Sequence[User | Mapping[str, Any]],
        *,
        tenant: str = "contoso.example",
        tenant_id: str | None = None,
        client_id: str = DEMO_CLIENT_ID,
        auto_approve: bool = True,
        sign_in_as: str | None = None,
        access_token_lifetime: float = 3600.0,
        refresh_token_lifetime: float = 90 * 86400.0,
        clock: Callable[[], float] | None = None,
        cert: CertPair | None = None,
    ) -> None:
        self.tokens = tokens
        people = [u if isinstance(u, User) else User.from_graph(dict(u)) for u in users]
        self.users = {u.user_principal_name.lower(): u for u in people}
        self.tenant = tenant
        self.tenant_id = tenant_id or str(uuid.uuid5(uuid.NAMESPACE_DNS, tenant))
        self.client_id = client_id
        self.auto_approve = auto_approve
        self.sign_in_as = sign_in_as or (people[0].user_principal_name if people else "")
        self.access_token_lifetime = access_token_lifetime
        self.refresh_token_lifetime = refresh_token_lifetime
        self.clock: Callable[[], float] = clock or getattr(tokens, "clock", None) or time.time
        self.admin_consent_granted = True
        self.device_code_pending_polls = 1  # auto-approve answers 'pending' this many times
        self.public_client_flows = True
        self.grants: Counter[str] = Counter()  # grant_type -> tokens issued
        self._codes: dict[str, _Grant] = {}
        self._device_codes: dict[str, _Grant] = {}
        self._user_codes: dict[str, str] = {}
        self._refresh_tokens: dict[str, _Grant] = {}
        self._secrets: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._tls = _TlsMaterial(cert)
        self.base_url = ""

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``https://host:port`` (0 = any free port) and return that authority host."""
        self._server = _make_server(self, host, port)
        self.base_url = f"https://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="sim-identity",
            daemon=True,
        )
        self._thread.start()
        log.info("Simulated identity provider on %s (tenant %s)", self.base_url, self.tenant)
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            if self._thread is not None and self._thread.is_alive():
                self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SimulatedIdentityProvider:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def authority(self) -> str:
        """The authority URL MSAL is given: authority host + tenant."""
        return f"{self.base_url}/{self.tenant}"

    @property
    def ca_bundle_path(self) -> str:
        """PEM file of the certificate this server presents (for REQUESTS_CA_BUNDLE / verify=)."""
        return str(self._tls.pair.cert_path)

    # ---- test and demo controls ------------------------------------------------------------
    def approve_device_code(self, user_code: str, upn: str | None = None) -> None:
        """What the user does on the device-login page: approve ``user_code`` as ``upn``."""
        with self._lock:
            grant = self._device_codes[self._user_codes[user_code.strip().upper()]]
            grant.approved = True
            grant.upn = upn or grant.upn

    def revoke_refresh_tokens(self) -> None:
        """Like an admin revoking sessions: every refresh token stops working."""
        with self._lock:
            self._refresh_tokens.clear()

    def issued_secrets(self) -> list[str]:
        """Every token, code and device code handed out (tests search logs for them)."""
        with self._lock:
            return list(self._secrets)

    # ---- endpoint logic (called by _idp_http's request handler) ---------------------------
    def check_tenant(self, tenant: str) -> None:
        if tenant.lower() not in {self.tenant.lower(), self.tenant_id, "organizations", "common"}:
            raise AadError(
                400,
                "invalid_tenant",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
                "and are signing into the correct cloud.",
            )

    def openid_configuration(self) -> dict[str, Any]:
        root = f"{self.base_url}/{self.tenant_id}"
        return {
            "issuer": f"{root}/v2.0",
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
            "token_endpoint": f"{root}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{root}/oauth2/v2.0/logout",
            "jwks_uri": f"{root}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "response_types_supported": ["code"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "tenant_region_scope": "EU",
            "cloud_instance_name": "simulated",
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self._tls.jwk()]}

    def authorize(self, q: dict[str, str]) -> tuple[str, dict[str, str]]:
        """Validate an authorization request; return (redirect_uri, response params)."""
        self._check_client(q.get("client_id", ""))
        redirect_uri = q.get("redirect_uri", "")
        target = urlparse(redirect_uri)
        if target.scheme != "http" or target.hostname not in {"localhost", "127.0.0.1"}:
            raise AadError(
                400,
                "invalid_request",
                50011,
                f"The redirect URI '{redirect_uri}' specified in the request does not match the "
                f"redirect URIs configured for the application '{self.client_id}'.",
            )
        if q.get("response_type") != "code":
            raise AadError(400, "unsupported_response_type", 900144, "Use response_type=code.")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            raise AadError(
                400,
                "invalid_request",
                9002325,
                "Proof Key for Code Exchange is required for cross-origin authorization code "
                "redemption (code_challenge_method=S256).",
            )
        upn = (q.get("login_hint") or self.sign_in_as) if "upn" not in q else q["upn"]
        params = {"state": q.get("state", "")}
        try:
            self._check_user_and_consent(upn, q.get("scope", ""))
        except AadError as err:
            params.update(err.redirect_params())
            return redirect_uri, params
        code = self._secret("code")
        with self._lock:
            self._codes[code] = _Grant(
                upn=upn,
                client_id=q["client_id"],
                scopes=q.get("scope", "").split(),
                expires_at=self.clock() + 600,
                nonce=q.get("nonce", ""),
                redirect_uri=redirect_uri,
                code_challenge=q["code_challenge"],
            )
        params.update(
            code=code, client_info=self._client_info(upn), session_state=str(uuid.uuid4())
        )
        return redirect_uri, params

    def device_code(self, form: dict[str, str]) -> dict[str, Any]:
        self._check_client(form.get("client_id", ""), device_flow=True)
        device_code = self._secret("device")
        user_code = secrets.token_hex(5).upper()[:9]
        with self._lock:
            self._device_codes[device_code] = _Grant(
                upn=self.sign_in_as,
                client_id=form["client_id"],
                scopes=form.get("scope", "").split(),
                expires_at=self.clock() + 900,
            )
            self._user_codes[user_code] = device_code
        uri = f"{self.base_url}/devicelogin"
        return {
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": uri,
            "expires_in": 900,
            "interval": 5,
            "message": f"To sign in, use a web browser to open the page {uri} and enter the "
            f"code {user_code} to authenticate.",
        }

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        grant_type = form.get("grant_type", "")
        client_id = form.get("client_id", "")
        if grant_type == "authorization_code":
            self._check_client(client_id)
            grant = self._redeem_code(form)
        elif grant_type in {"device_code", "urn:ietf:params:oauth:grant-type:device_code"}:
            self._check_client(client_id, device_flow=True)
            grant = self._redeem_device_code(form.get("device_code", ""))
        elif grant_type == "refresh_token":
            self._check_client(client_id)
            grant = self._redeem_refresh_token(form.get("refresh_token", ""), form.get("scope"))
        else:
            raise AadError(400, "unsupported_grant_type", 70003, f"'{grant_type}' is unsupported.")
        if grant.client_id != client_id:
            raise AadError(400, "invalid_grant", 70000, "The grant was issued to another client.")
        self._check_user_and_consent(grant.upn, " ".join(grant.scopes))
        self.grants[grant_type.rsplit(":", 1)[-1]] += 1
        return self._token_response(grant)

    # ---- helpers ---------------------------------------------------------------------------
    def _check_client(self, client_id: str, *, device_flow: bool = False) -> None:
        if client_id != self.client_id:
            raise AadError(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory "
                f"'{self.tenant}'. This can happen if the application has not been installed by "
                "the administrator of the tenant or consented to by any user in the tenant.",
            )
        if device_flow and not self.public_client_flows:
            raise AadError(
                401,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or "
                "'client_secret'.",
            )

    def _check_user_and_consent(self, upn: str, scope: str) -> None:
        if upn.lower() not in self.users:
            raise AadError(
                400,
                "invalid_grant",
                50020,
                f"User account '{upn}' from identity provider 'live.com' does not exist in tenant "
                f"'{self.tenant}' and cannot access the application '{self.client_id}' in that "
                "tenant. The account needs to be added as an external user in the tenant first.",
            )
        wanted = [s for s in scope.split() if s not in _RESERVED_SCOPES]
        if wanted and not self.admin_consent_granted:
            raise AadError(
                400,
                "invalid_grant",
                65001,
                f"The user or administrator has not consented to use the application with ID "
                f"'{self.client_id}'. Send an interactive authorization request for this user "
                "and resource.",
                suberror="consent_required",
            )

    def _redeem_code(self, form: dict[str, str]) -> _Grant:
        with self._lock:
            grant = self._codes.get(form.get("code", ""))
            if grant is None or grant.used:
                raise AadError(
                    400,
                    "invalid_grant",
                    54005,
                    "OAuth2 Authorization code was "
                    "already redeemed, please retry with a new valid code.",
                )
            grant.used = True
        if grant.expires_at < self.clock():
            raise AadError(
                400,
                "invalid_grant",
                70008,
                "The provided authorization code or refresh token has expired due to inactivity.",
            )
        if form.get("redirect_uri") != grant.redirect_uri:
            raise AadError(
                400,
                "invalid_grant",
                70001,
                "redirect_uri does not match the one used to obtain the authorization code.",
            )
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        if _b64(digest) != grant.code_challenge:
            raise AadError(
                400,
                "invalid_grant",
                501481,
                "The Code_Verifier does not match the "
                "code_challenge supplied in the authorization request.",
            )
        return grant

    def _redeem_device_code(self, device_code: str) -> _Grant:
        with self._lock:
            grant = self._device_codes.get(device_code)
            if grant is None:
                raise AadError(400, "invalid_grant", 70000, "The device code is not valid.")
            if grant.expires_at < self.clock():
                raise AadError(
                    400,
                    "expired_token",
                    70020,
                    "The provided value for the input "
                    "parameter 'device_code' is not valid. This device code has "
                    "expired.",
                )
            grant.polled += 1
            if self.auto_approve and grant.polled > self.device_code_pending_polls:
                grant.approved = True  # the demo "user" approves while the app waits
            if not grant.approved or grant.used:
                raise AadError(
                    400,
                    "authorization_pending",
                    70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                )
            grant.used = True
            return grant

    def _redeem_refresh_token(self, token: str, scope: str | None) -> _Grant:
        with self._lock:
            grant = self._refresh_tokens.get(token)
        if grant is None:
            raise AadError(
                400,
                "invalid_grant",
                50173,
                "The provided grant has expired due to "
                "it being revoked, a fresh auth token is needed.",
            )
        if grant.expires_at < self.clock():
            raise AadError(
                400,
                "invalid_grant",
                700082,
                "The refresh token has expired due to "
                "inactivity. The token was issued on an earlier date and was inactive "
                "for too long.",
            )
        scopes = scope.split() if scope else grant.scopes
        return _Grant(upn=grant.upn, client_id=grant.client_id, scopes=scopes, expires_at=0)

    def _token_response(self, grant: _Grant) -> dict[str, Any]:
        user = self.users[grant.upn.lower()]
        resource_scopes = [s for s in grant.scopes if s not in _RESERVED_SCOPES]
        short = [s.rsplit("/", 1)[-1] for s in resource_scopes]
        lifetime = self.access_token_lifetime
        access_token = self.tokens.issue(user.user_principal_name, short, lifetime)
        with self._lock:
            self._secrets.append(access_token)
        body: dict[str, Any] = {
            "token_type": "Bearer",
            "scope": " ".join(resource_scopes),
            "expires_in": int(lifetime),
            "ext_expires_in": int(lifetime),
            "access_token": access_token,
            "client_info": self._client_info(user.user_principal_name),
        }
        if "offline_access" in grant.scopes or not grant.scopes:
            refresh = self._secret("rt")
            with self._lock:
                self._refresh_tokens[refresh] = _Grant(
                    upn=user.user_principal_name,
                    client_id=grant.client_id,
                    scopes=grant.scopes,
                    expires_at=self.clock() + self.refresh_token_lifetime,
                )
            body["refresh_token"] = refresh
        if "openid" in grant.scopes:
            body["id_token"] = self._id_token(user, grant.nonce)
            with self._lock:
                self._secrets.append(body["id_token"])
        return body

    def _id_token(self, user: User, nonce: str) -> str:
        now = int(self.clock())
        claims: dict[str, Any] = {
            "aud": self.client_id,
            "iss": f"{self.base_url}/{self.tenant_id}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "name": user.display_name,
            "oid": user.id,
            "preferred_username": user.user_principal_name,
            "sub": _b64(hashlib.sha256(f"{user.id}:{self.client_id}".encode()).digest()),
            "tid": self.tenant_id,
            "ver": "2.0",
            "acct": 1 if "#EXT#" in user.user_principal_name.upper() else 0,
        }
        if nonce:
            claims["nonce"] = nonce
        return self._tls.sign_jwt(claims)

    def _client_info(self, upn: str) -> str:
        user = self.users.get(upn.lower())
        uid = user.id if user else str(uuid.uuid5(uuid.NAMESPACE_URL, upn))
        return _b64(json.dumps({"uid": uid, "utid": self.tenant_id}).encode())

    def _secret(self, kind: str) -> str:
        value = f"sim{kind}.{secrets.token_urlsafe(32)}"
        with self._lock:
            self._secrets.append(value)
        return value

    def user_picker_page(self, q: dict[str, str]) -> str:
        """The sign-in page shown when ``auto_approve`` is off: one button per user."""
        buttons = "".join(
            f'<button name="upn" value="{html.escape(u.user_principal_name)}">'
            f"{html.escape(u.display_name)} ({html.escape(u.user_principal_name)})</button><br>"
            for u in self.users.values()
        )
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in q.items()
        )
        return (
            f"<h1>Sign in to {html.escape(self.tenant)} (simulated)</h1>"
            f'<form method="get" action="">{hidden}{buttons}</form>'
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class AadError(Exception):
    """An error as Entra ID reports it: ``error``, ``error_description`` with an AADSTS code."""

    def __init__(
        self, status: int, error: str, code: int, description: str, *, suberror: str = ""
    ) -> None:
        super().__init__(f"AADSTS{code}: {description}")
        self.status, self.error, self.code, self.suberror = status, error, code, suberror
        self.description = description

    def body(self) -> dict[str, Any]:
        trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
        stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
        out: dict[str, Any] = {
            "error": self.error,
            "error_description": f"AADSTS{self.code}: {self.description}\r\nTrace ID: {trace}"
            f"\r\nCorrelation ID: {correlation}\r\nTimestamp: {stamp}",
            "error_codes": [self.code],
            "timestamp": stamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": f"https://login.microsoftonline.com/error?code={self.code}",
        }
        if self.suberror:
            out["suberror"] = self.suberror
        return out

    def redirect_params(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.body()["error_description"]}


class _TlsMaterial:
    """The loopback certificate the server presents, and an RSA key that signs id tokens."""

    def __init__(self, cert: CertPair | None) -> None:
        self.pair = cert or certs.write_pair()
        self._signing_key = _signing_key()
        self.kid = hashlib.sha256(
            str(self._signing_key.public_key().public_numbers().n).encode()
        ).hexdigest()[:16]

    def jwk(self) -> dict[str, str]:
        numbers = self._signing_key.public_key().public_numbers()

        def enc(n: int) -> str:
            return _b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))

        return {"kty": "RSA", "use": "sig", "kid": self.kid, "n": enc(numbers.n),
                "e": enc(numbers.e)}  # fmt: skip

    def sign_jwt(self, claims: dict[str, Any]) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = ".".join(
            _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        signature = self._signing_key.sign(
            signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
        )
        return f"{signing_input}.{_b64(signature)}"


@functools.lru_cache(maxsize=1)
def _signing_key() -> Any:
    """One id-token signing key per process: generating RSA keys is slow, and nothing outside
    this process ever verifies these signatures."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    idp: SimulatedIdentityProvider


def _make_server(idp: SimulatedIdentityProvider, host: str, port: int) -> _Server:
    server = _Server((host, port), _Handler)
    server.idp = idp
    context = idp._tls.pair.server_context()
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return server


class _Handler(BaseHTTPRequestHandler):
    """Routes requests to the provider; never logs a query string or a body (they hold codes)."""

    server: _Server
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
