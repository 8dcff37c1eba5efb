"""Guards every symbol text passes before it is interpreted: size, characters, JSON limits.

A QR code can be made by anyone, so the text is checked for what would make later steps
misbehave: more text than one symbol holds, hidden control or formatting characters (bidi
overrides, zero-width spaces), and JSON that is nested deeply enough to make ``json.loads``
recurse, names a field twice or carries huge integers. JSON is decoded only through
:func:`_decode_json` and :func:`_unwrap_json`, which enforce those limits.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from scanner_app.core.payload.reasons import BAD_DATA, DEEP_DATA, DUPLICATE, HIDDEN, NOT_AUTOPILOT

#: Longest text accepted. A QR code holds at most 7,089 characters (numeric mode); anything
#: longer did not come from one symbol.
MAX_TEXT = 7_100
#: The Autopilot JSON is two levels deep; a little slack, then refuse before json.loads recurses.
MAX_JSON_DEPTH = 8
#: Control characters that real label formats use as separators (ISO/IEC 15434, GS1 FNC1).
_SEPARATORS = "\t\n\r\x04\x1d\x1e"


def _hidden_characters(text: str) -> bool:
    """True when ``text`` has control, format (bidi, zero-width), private or unassigned chars."""
    for c in text:
        if c.isascii():
            if (c < " " or c == "\x7f") and c not in _SEPARATORS:
                return True
        elif unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            return True
    return False


def _clean(text: str) -> str:
    """Strip surrounding whitespace and byte-order marks (Windows tools often write one)."""
    return text.strip().lstrip("\ufeff").strip()


# --- JSON --------------------------------------------------------------------------------------


class _DuplicateKey(ValueError):
    pass


def _json_depth(text: str, limit: int) -> int:
    """Nesting depth of JSON text, counted without recursion; stops early past ``limit``."""
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif c in "]}":
            depth -= 1
    return deepest


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Object hook: refuse duplicate keys (also differing only in case: lookups ignore case)."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        folded = key.casefold()
        if folded in obj:
            raise _DuplicateKey(key)
        obj[folded] = value
    return obj


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _integer(digits: str) -> int:
    if len(digits) > 18:
        raise ValueError("integer too long")
    return int(digits)


def _decode_json(text: str) -> tuple[Any, str]:
    """``json.loads`` with the limits untrusted text needs: (value, "") or (None, reason)."""
    if _json_depth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        return None, DEEP_DATA
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_integer
        )
    except _DuplicateKey:
        return None, DUPLICATE
    except (ValueError, RecursionError, OverflowError):
        return None, BAD_DATA
    return value, ""


def _unwrap_json(text: str) -> tuple[Any, str]:
    """Decode JSON text, also when wrapped as a JSON-encoded string: (value, "") or (None, reason).

    A string value comes back only when it is plain text (a quoted serial or label text) for the
    caller to parse as such; it never starts with "{" or a quote, so that cannot loop.
    """
    value, reason = _decode_json(text)
    if reason == BAD_DATA and text.startswith('{\\"'):
        # The JSON-encoded string form with its outer quotes lost: {\"BlockSequence\": ...}
        value, reason = _decode_json('"' + text + '"')
    for _ in range(2):  # unwrap a JSON-encoded string (twice for doubly encoded text)
        if reason or not isinstance(value, str):
            return value, reason
        inner = _clean(value)
        if _hidden_characters(inner):
            return None, HIDDEN
        if not inner.startswith(("{", '"')):
            return inner, ""
        value, reason = _decode_json(inner)
    return (None, NOT_AUTOPILOT) if isinstance(value, str) else (value, reason)
