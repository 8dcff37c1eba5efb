"""The simulated identity provider's rules for accepting a request, and its errors as Entra's.

Why this lives apart from ``identity.py``: the checks are where Entra ID's behaviour is
reproduced in detail, each refusal with the AADSTS code and wording Entra uses, so the app's
error messages are tested against realistic answers: an unknown app registration, public client
flows turned off, a user not in the tenant, missing admin consent, an authorization code
redeemed twice or with the wrong PKCE verifier, device-code polling (pending until approved),
refresh tokens that expire or are revoked. ``GrantRules`` is a mixin of
``SimulatedIdentityProvider``; ``AadError`` is also what its HTTP handler sends back.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from scanner_app.core.models import User
from scanner_app.core.tenant_sim.identity_tokens import RESERVED_SCOPES, Grant, b64url


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


class GrantRules:
    """Mixin of ``SimulatedIdentityProvider``: check a client and a user, redeem a grant."""

    client_id: str
    tenant: str
    users: dict[str, User]
    public_client_flows: bool
    admin_consent_granted: bool
    auto_approve: bool
    device_code_pending_polls: int
    clock: Callable[[], float]
    _lock: threading.Lock
    _codes: dict[str, Grant]
    _device_codes: dict[str, Grant]
    _refresh_tokens: dict[str, Grant]

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
        wanted = [s for s in scope.split() if s not in RESERVED_SCOPES]
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

    def _redeem_code(self, form: dict[str, str]) -> Grant:
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
        if b64url(digest) != grant.code_challenge:
            raise AadError(
                400,
                "invalid_grant",
                501481,
                "The Code_Verifier does not match the "
                "code_challenge supplied in the authorization request.",
            )
        return grant

    def _redeem_device_code(self, device_code: str) -> Grant:
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

    def _redeem_refresh_token(self, token: str, scope: str | None) -> Grant:
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
        return Grant(upn=grant.upn, client_id=grant.client_id, scopes=scopes, expires_at=0)
