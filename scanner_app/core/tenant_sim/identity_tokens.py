"""What the simulated identity provider hands out: grants, tokens, client_info, id_token signing.

Why this lives apart from ``identity.py``: the provider's endpoints decide *whether* to answer;
this module is *what* the answer holds, shaped like Entra ID's. ``Grant`` is the state behind an
authorization code, a device code (approved yet? polled how often?) or a refresh token.
``TokenMinting`` (a mixin of ``SimulatedIdentityProvider``) builds the token response: an access
token from the tenant's ``TokenIssuer`` (so its Graph accepts it), a refresh token, an RS256
id_token and ``client_info``; every secret handed out is recorded for tests that search logs.
``TlsMaterial`` is the loopback certificate plus the id_token signing key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from scanner_app.core.models import User
from scanner_app.core.tenant_sim import certs
from scanner_app.core.tenant_sim.certs import CertPair

RESERVED_SCOPES = {"openid", "profile", "offline_access", "email"}


class TokenIssuerLike(Protocol):
    """What the identity provider needs from the tenant's token issuer (tenant_sim/tokens.py)."""

    def issue(self, upn: str, scopes: Sequence[str], lifetime: float) -> str: ...


@dataclass
class Grant:
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


def b64url(data: bytes) -> str:
    """Base64url without padding, as JWTs and ``client_info`` use it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class TokenMinting:
    """Mixin of ``SimulatedIdentityProvider``: the token response for a grant it accepted."""

    tokens: TokenIssuerLike
    users: dict[str, User]
    client_id: str
    tenant_id: str
    base_url: str
    access_token_lifetime: float
    refresh_token_lifetime: float
    clock: Callable[[], float]
    _lock: threading.Lock
    _refresh_tokens: dict[str, Grant]
    _secrets: list[str]
    _tls: TlsMaterial

    def _token_response(self, grant: Grant) -> dict[str, Any]:
        user = self.users[grant.upn.lower()]
        resource_scopes = [s for s in grant.scopes if s not in RESERVED_SCOPES]
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
                self._refresh_tokens[refresh] = Grant(
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
            "sub": b64url(hashlib.sha256(f"{user.id}:{self.client_id}".encode()).digest()),
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
        return b64url(json.dumps({"uid": uid, "utid": self.tenant_id}).encode())

    def _secret(self, kind: str) -> str:
        value = f"sim{kind}.{secrets.token_urlsafe(32)}"
        with self._lock:
            self._secrets.append(value)
        return value


class TlsMaterial:
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
            return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))

        return {"kty": "RSA", "use": "sig", "kid": self.kid, "n": enc(numbers.n),
                "e": enc(numbers.e)}  # fmt: skip

    def sign_jwt(self, claims: dict[str, Any]) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = ".".join(
            b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        signature = self._signing_key.sign(
            signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
        )
        return f"{signing_input}.{b64url(signature)}"


@functools.lru_cache(maxsize=1)
def _signing_key() -> Any:
    """One id-token signing key per process: generating RSA keys is slow, and nothing outside
    this process ever verifies these signatures."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)
