"""What can go wrong signing in, said so the operator can act on it; and no token in any log.

Why this lives apart from ``auth.py``: the GUI (``ui/account/account.py``), the CLI commands and the
``Authenticator`` all raise and catch the same exception types, and turn Entra's AADSTS codes
into the same sentences (``describe_error``). MSAL logs request details at DEBUG, so its loggers
get a filter that redacts anything shaped like a token, code or verifier before a handler sees
the record (``guard_msal_logging``, called whenever an MSAL client is built).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any


class SignInError(Exception):
    """Sign-in failed; ``str(err)`` is a sentence for the operator. ``code``: the AADSTS number."""

    def __init__(self, message: str, *, code: int | None = None, error: str = "") -> None:
        super().__init__(message)
        self.code, self.error = code, error


class SignInRequired(SignInError):
    """No usable cached sign-in (never signed in, signed out, or the sign-in expired)."""


class SignInCancelled(SignInError):
    """The operator (or the app) cancelled a sign-in in progress."""


class SignInUnreachable(SignInError):
    """The sign-in server could not be reached (no network, DNS, refused, TLS failure).

    Nothing is wrong with the sign-in itself: the Graph client treats this like an unreachable
    Graph (a look-up answers from the offline cache, a change stays queued). ``detail`` says
    what failed, in a few words.
    """

    def __init__(self, host: str, detail: str) -> None:
        self.host, self.detail = host, detail
        where = f" {host}" if host else ""
        super().__init__(f"Cannot reach the sign-in server{where}: {detail}.")


def network_failure(exc: BaseException) -> str:
    """A few words for a connection failure (no raw exception text: it can run to 300 chars)."""
    import requests

    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    if isinstance(exc, requests.exceptions.SSLError):
        if "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return "its certificate is not trusted"
        return "the secure connection failed"
    return "the connection failed"


_EXPIRED = {70043, 700082, 70008, 50173, 700084, 50132, 50133}
_MESSAGES: dict[int, str] = {
    90002: "The tenant '{tenant}' was not found. Check the tenant ID or domain in the settings, "
    "and that the sign-in host matches the tenant's cloud (public, US Government, China).",
    65001: "An administrator has not granted consent for this app in tenant '{tenant}'. Ask a "
    "Privileged Role Administrator to grant admin consent for {scopes} "
    "(see docs/app-registration.md).",
    50020: "This account is not a member of tenant '{tenant}'. Sign in with a work account of "
    "that organisation; a guest account from another organisation cannot manage its devices.",
    50034: "That account does not exist in tenant '{tenant}'. Check the user name.",
    700016: "The app registration (client ID {client_id}) was not found in tenant '{tenant}'. "
    "Check client_id and tenant in the settings.",
    7000218: "The app registration does not allow public client flows. In Entra ID, open the "
    "app's Authentication page and set 'Allow public client flows' to Yes.",
    50011: "The app registration has no redirect URI http://localhost for 'Mobile and desktop "
    "applications'. Add it (see docs/app-registration.md).",
    70020: "The device code expired before the sign-in was completed. Start the sign-in again.",
    70000: "The sign-in was refused. Sign in again.",
}


def describe_error(
    result: dict[str, Any], *, tenant: str = "", client_id: str = "", scopes: Sequence[str] = ()
) -> SignInError:
    """Turn MSAL's error dict (Entra's error body) into a SignInError with a human message."""
    error = str(result.get("error") or "")
    description = str(result.get("error_description") or "")
    codes = [int(c) for c in result.get("error_codes") or [] if str(c).isdigit()]
    found = re.search(r"AADSTS(\d+)", description)
    code = codes[0] if codes else (int(found.group(1)) if found else None)
    names = ", ".join(s.rsplit("/", 1)[-1] for s in scopes) or "the app's permissions"
    if code in _EXPIRED:
        return SignInRequired("Your sign-in has expired. Sign in again.", code=code, error=error)
    if code in _MESSAGES:
        text = _MESSAGES[code].format(tenant=tenant, client_id=client_id, scopes=names)
        cls = SignInRequired if code == 70000 else SignInError
        return cls(text, code=code, error=error)
    if error in {"consent_required", "interaction_required"}:
        return SignInRequired("Sign in again to continue.", code=code, error=error)
    if error in {"access_denied", "authorization_declined"}:
        return SignInError("The sign-in was declined.", code=code, error=error)
    first_line = description.splitlines()[0] if description else error or "unknown error"
    return SignInError(f"Sign-in failed: {first_line}", code=code, error=error)


# ---- logging guard ---------------------------------------------------------------------------
_TOKEN_SHAPES = [
    re.compile(r"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"),
    re.compile(
        r"(?i)((?:access|refresh|id)_token|code_verifier|device_code|code|assertion)"
        r"([\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9_\-\.~+/=%]{8,}"
    ),
]


class _RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _TOKEN_SHAPES[0].sub("<redacted>", message)
        cleaned = _TOKEN_SHAPES[1].sub(r"\1\2<redacted>", cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def guard_msal_logging() -> None:
    """Attach a token-redacting filter to every MSAL logger (filters do not inherit, so each
    named logger gets one). Idempotent; called whenever an MSAL client is built."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in {"msal",
             "msal_extensions"}]  # fmt: skip
    for name in ["msal", *names]:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactTokens) for f in logger.filters):
            logger.addFilter(_RedactTokens())
