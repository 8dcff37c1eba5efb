"""The persisted MSAL token cache: where the sign-in is kept, and who it says is signed in.

Why this lives apart from ``auth.py``: keeping the sign-in safely is its own concern. The cache
is encrypted by the OS (DPAPI / Keychain / libsecret via msal-extensions); when that is impossible
it falls back to an owner-only (0600) file, and ``CacheStatus.warning`` says so (also logged
once per file). Reading the signed-in ``Account`` back and forgetting an authority's entries
touch only this cache (no network), so the status bar and ``sign-out`` work offline.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Account:
    """Who is signed in. ``is_guest``: a B2B guest (cannot manage the tenant's devices)."""

    username: str
    name: str
    tenant_id: str
    home_account_id: str
    is_guest: bool = False


@dataclass(frozen=True)
class CacheStatus:
    """Where the sign-in is kept. A non-empty ``warning`` must be shown to the operator."""

    location: str
    encrypted: bool
    warning: str = ""


# ---- opening the cache -----------------------------------------------------------------------
_warned_plain: set[str] = set()


def open_token_cache(path: Path | str, *, encrypt: bool = True) -> tuple[Any, CacheStatus]:
    """A persisted MSAL token cache at ``path``: OS-encrypted when possible, else an owner-only
    file with a warning. ``encrypt=False`` asks for the plain file (tests; still warned)."""
    from msal_extensions import FilePersistence, PersistedTokenCache, build_encrypted_persistence
    from msal_extensions.persistence import PersistenceNotFound

    location = Path(path)
    location.parent.mkdir(parents=True, exist_ok=True)
    reason = "encryption was turned off"
    if encrypt:
        try:
            persistence = build_encrypted_persistence(str(location))
            persistence.load()
        except PersistenceNotFound:  # usable, just empty
            return _cache(PersistedTokenCache, persistence, location, True)
        except Exception as exc:  # noqa: BLE001 - any keychain failure means: fall back
            first_line = (str(exc).strip().splitlines() or [""])[0]
            reason = f"the system keychain is not available ({type(exc).__name__}: {first_line})"
        else:
            return _cache(PersistedTokenCache, persistence, location, True)
    plain = FilePersistence(str(location))
    if location.exists():
        location.chmod(0o600)
    else:
        location.touch(mode=0o600)
        location.write_text("{}", encoding="utf-8")
    warning = (
        f"Your sign-in is kept in a file only your user account can read ({location}), not in "
        f"the system keychain, because {reason}."
    )
    if str(location) not in _warned_plain:
        _warned_plain.add(str(location))
        log.warning("%s", warning)
    cache, status = _cache(PersistedTokenCache, plain, location, False)
    return cache, CacheStatus(status.location, False, warning)


def _cache(cls: Any, persistence: Any, location: Path, encrypted: bool) -> tuple[Any, CacheStatus]:
    cache = cls(persistence, lock_location=str(location) + ".lockfile")
    return cache, CacheStatus(str(location), encrypted)


# ---- reading it back -------------------------------------------------------------------------
def read_account(cache: Any, host: str) -> Account | None:
    """Who is signed in at authority ``host``, read from ``cache`` only (no network)."""
    import msal

    kinds = msal.TokenCache.CredentialType
    accounts = [a for a in cache.search(kinds.ACCOUNT) if a.get("environment") == host]
    if not accounts:
        return None
    entry = accounts[0]
    home = str(entry.get("home_account_id", ""))
    claims: dict[str, Any] = {}
    for idt in cache.search(kinds.ID_TOKEN, query={"home_account_id": home}):
        claims = _jwt_claims(str(idt.get("secret", "")))
    username = str(entry.get("username") or claims.get("preferred_username") or "")
    return Account(
        username=username,
        name=str(claims.get("name") or ""),
        tenant_id=str(entry.get("realm") or claims.get("tid") or ""),
        home_account_id=home,
        is_guest=_is_guest(username, claims),
    )


def forget_authority(cache: Any, host: str) -> None:
    """Remove every account and token ``cache`` holds for authority ``host``."""
    import msal

    kinds = msal.TokenCache.CredentialType
    for kind in (kinds.ACCESS_TOKEN, kinds.REFRESH_TOKEN, kinds.ID_TOKEN, kinds.ACCOUNT):
        for entry in list(cache.search(kind)):
            if entry.get("environment") == host:
                cache.modify(kind, entry)


def _jwt_claims(token: str) -> dict[str, Any]:
    import base64

    try:
        part = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _is_guest(username: str, claims: dict[str, Any]) -> bool:
    if claims.get("acct") == 1 or "#ext#" in username.lower():
        return True
    idp = str(claims.get("idp") or "")
    return bool(idp) and str(claims.get("tid", "")) not in idp
