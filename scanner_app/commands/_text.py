"""Text from outside made safe to print on a terminal: one function, :func:`visible`.

Every CLI command prints text it did not write: what a code held, what Graph returned (a
display name, a group tag, a device name), what the journal kept, and file names. Any of them
can hold an escape sequence (``ESC ] ... BEL`` retitles a terminal, ``ESC [ 2 J`` clears it,
some terminals even answer queries into the input), a bidirectional override that makes
``abc\u202edcba`` read backwards, or a zero-width character that makes two different values
look the same. :func:`visible` shows every such character as an escape and leaves the rest as
is, so what the operator reads is what the text holds.

Escaped: every character of Unicode category C (C0 and C1 controls, DEL, format characters
such as the bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, the
marks U+200E/U+200F, zero-width U+200B-U+200D, U+2060 and the BOM; private-use, unassigned
and lone surrogates, which is what an undecodable byte of a POSIX file name becomes) and of
category Z but the plain space (no-break and other odd spaces, line and paragraph separators).
Backslashes are left alone so Windows paths stay readable.

``--json`` output does not go through here: ``json.dumps`` escapes every control character,
and with its default ``ensure_ascii=True`` bidi and zero-width characters as well, so the JSON
stays exact and a terminal that shows it is safe too.
"""

from __future__ import annotations

import unicodedata

_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(c: str) -> str:
    code = ord(c)
    if c in _SHORT:
        return _SHORT[c]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _hidden(c: str) -> bool:
    if " " < c < "\x7f":  # the printable ASCII fast path
        return False
    return c != " " and unicodedata.category(c)[0] in "CZ"


def visible(text: str, limit: int | None = None) -> str:
    """``text`` with control, bidi, zero-width and other invisible characters as escapes.

    ``\\x1b`` for ESC, ``\\u202e`` for RIGHT-TO-LEFT OVERRIDE, ``\\n`` for a line break. With
    ``limit``, at most that many characters of ``text`` are shown, then ``...``.
    """
    text = str(text)
    cut = limit is not None and len(text) > limit
    if cut:
        text = text[:limit]
    shown = "".join(_escape(c) if _hidden(c) else c for c in text)
    return shown + "..." if cut else shown
