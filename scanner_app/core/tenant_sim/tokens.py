"""Access tokens for the simulated tenant: JWT-shaped, HMAC-signed, expiring.

One ``TokenIssuer`` per tenant: the Graph side accepts only tokens this issuer signed and that
have not expired, and the identity provider (identity.py) hands them out. The shape (three
base64url parts, ``aud``/``scp``/``upn``/``exp`` claims) matches Entra ID v2 tokens closely enough
for the app to treat them the same; the signature is HS256 with a per-tenant random key because
nothing outside this process has to verify it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

GRAPH_AUDIENCE = "https://graph.microsoft.com"
DEFAULT_SCOPES = ("DeviceManagementServiceConfig.ReadWrite.All", "User.ReadBasic.All")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    """Issues and validates the tenant's access tokens. ``clock`` is epoch seconds."""

    def __init__(
        self,
        tenant_id: str = "",
        *,
        clock: Callable[[], float] = time.time,
        key: bytes | None = None,
    ) -> None:
        self.tenant_id = tenant_id or str(uuid.uuid4())
        self.issuer = f"https://login.microsoftonline.com/{self.tenant_id}/v2.0"
        self.clock = clock
        self._key = key or secrets.token_bytes(32)
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def issue(
        self,
        upn: str = "operator@contoso.example",
        scopes: Iterable[str] = DEFAULT_SCOPES,
        lifetime: float = 3600,
        **extra_claims: Any,
    ) -> str:
        now = int(self.clock())
        claims: dict[str, Any] = {
            "aud": GRAPH_AUDIENCE,
            "iss": self.issuer,
            "tid": self.tenant_id,
            "iat": now,
            "nbf": now,
            "exp": now + int(lifetime),
            "upn": upn,
            "preferred_username": upn,
            "oid": str(uuid.uuid5(uuid.NAMESPACE_DNS, upn)),
            "scp": " ".join(scopes),
            "jti": secrets.token_hex(8),
            **extra_claims,
        }
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{header}.{body}.{self._sign(header, body)}"

    def validate(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this issuer signed and that is still valid, else None."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        header, body, sig = parts
        if not hmac.compare_digest(sig, self._sign(header, body)):
            return None
        try:
            claims = json.loads(_unb64(body))
        except ValueError:
            return None
        if not isinstance(claims, dict) or claims.get("aud") != GRAPH_AUDIENCE:
            return None
        now = self.clock()
        if now >= float(claims.get("exp", 0)) or now + 300 < float(claims.get("nbf", 0)):
            return None
        with self._lock:
            if claims.get("jti") in self._revoked:
                return None
        return claims

    def revoke(self, token: str) -> None:
        """Make a token invalid before it expires (tests of the 401 -> refresh path)."""
        claims = self.validate(token)
        if claims:
            with self._lock:
                self._revoked.add(str(claims.get("jti")))

    def _sign(self, header: str, body: str) -> str:
        mac = hmac.new(self._key, f"{header}.{body}".encode("ascii"), hashlib.sha256)
        return _b64(mac.digest())
