"""Logging: per-module loggers into one rotating file in the platform log folder.

A redaction filter on every handler masks anything shaped like a bearer token, a JWT or a
refresh token, so a token can never reach a log file or the console, whatever a library logs.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys

from scanner_app.core import paths

LOG_FILE_NAME = "scanner-app.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

_SECRET_PATTERNS = [
    # JWTs (access and id tokens): three base64url parts, the first starting with eyJ.
    re.compile(r"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9_\-\.~+/=]{8,}"),
    re.compile(
        r"(?i)((?:access|refresh|id)_token|code_verifier|device_code|client_secret|code)"
        r"([\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9_\-\.~+/=%]{8,}"
    ),
]


def redact(text: str) -> str:
    """Mask token-like substrings in ``text``."""
    text = _SECRET_PATTERNS[0].sub("<redacted-jwt>", text)
    text = _SECRET_PATTERNS[1].sub(r"\1<redacted>", text)
    return _SECRET_PATTERNS[2].sub(r"\1\2<redacted>", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with tokens masked (on every handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the moment of each record, not the stream that
    was current at set-up (a closed capture in tests, a replaced stream in the frozen app)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


class _PlainFormatter(logging.Formatter):
    """``warning: …`` / ``error: …``: one plain line, no timestamp or module path."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


class _OwnOrSerious(logging.Filter):
    """Lets the app's own warnings through, and anyone's errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.startswith("scanner_app") or record.levelno >= logging.ERROR


def setup_logging(level: str | None = None, *, console: bool = False) -> logging.Logger:
    """Configure the root logger once: rotating file, optional console on stderr."""
    root = logging.getLogger()
    if getattr(root, "_scanner_app_configured", False):
        return root
    level_name = (level or "INFO").upper()
    root.setLevel(logging.DEBUG if level_name == "DEBUG" else logging.INFO)
    formatter = logging.Formatter(_FORMAT)
    handlers: list[logging.Handler] = []
    try:
        file_handler = logging.handlers.RotatingFileHandler(
            paths.log_dir() / LOG_FILE_NAME, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        file_handler.setLevel(level_name)
        handlers.append(file_handler)
    except OSError as exc:  # a read-only profile must not stop the app
        print(f"scanner-app: cannot write the log file: {exc}", file=sys.stderr)
    if console:
        stream = _StderrHandler()
        stream.setLevel(level_name if level else "WARNING")
        if not level:
            # An operator reads one line per problem: a library's own warnings (urllib3's
            # "Retrying ... Connection refused" while offline) go to the log file only.
            stream.addFilter(_OwnOrSerious())
        handlers.append(stream)
    for handler in handlers:
        handler.setFormatter(formatter)
        if isinstance(handler, _StderrHandler) and not level:
            # An operator's terminal: one plain line, like the commands' own messages.
            handler.setFormatter(_PlainFormatter())
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    # Libraries that log request details at DEBUG: keep them at INFO unless asked.
    for noisy in ("urllib3", "msal", "PIL"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if level_name == "DEBUG" else logging.INFO)
    root._scanner_app_configured = True  # type: ignore[attr-defined]
    logging.captureWarnings(True)
    return root


def log_file() -> str:
    return str(paths.log_dir() / LOG_FILE_NAME)
