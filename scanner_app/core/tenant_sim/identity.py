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

This module is the provider's state and endpoints; beside it are ``identity_grants.py`` (the
checks and redemption rules, ``AadError``), ``identity_tokens.py`` (grants, the token response,
id_token signing) and ``identity_http.py`` (the HTTPS server and request routing).
"""

from __future__ import annotations

import html
import logging
import secrets
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

from scanner_app.core.models import User
from scanner_app.core.tenant_sim.certs import CertPair
from scanner_app.core.tenant_sim.identity_grants import AadError, GrantRules
from scanner_app.core.tenant_sim.identity_http import IdentityServer, make_server
from scanner_app.core.tenant_sim.identity_tokens import (
    Grant,
    TlsMaterial,
    TokenIssuerLike,
    TokenMinting,
)

__all__ = ["DEMO_CLIENT_ID", "AadError", "SimulatedIdentityProvider", "TokenIssuerLike"]

log = logging.getLogger(__name__)

#: The demo app registration's client id (any GUID works; the simulator only checks it matches).
DEMO_CLIENT_ID = "5a8f1c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b"


class SimulatedIdentityProvider(GrantRules, TokenMinting):
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
        self._codes: dict[str, Grant] = {}
        self._device_codes: dict[str, Grant] = {}
        self._user_codes: dict[str, str] = {}
        self._refresh_tokens: dict[str, Grant] = {}
        self._secrets: list[str] = []
        self._lock = threading.Lock()
        self._server: IdentityServer | None = None
        self._thread: threading.Thread | None = None
        self._tls = TlsMaterial(cert)
        self.base_url = ""

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``https://host:port`` (0 = any free port) and return that authority host."""
        self._server = make_server(self, host, port, self._tls.pair.server_context())
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

    # ---- endpoint logic (called by identity_http's request handler) ---------------------------
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
            self._codes[code] = Grant(
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
            self._device_codes[device_code] = Grant(
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
