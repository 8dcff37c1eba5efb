"""Settings as text: config files in the encodings Windows and other tools write, and list
settings from environment variables.

A config file is read when it is UTF-8 (with or without a byte-order mark) or UTF-16 with a
byte-order mark, little- or big-endian: Windows PowerShell 5's ``Out-File`` and ``>`` write
UTF-16 LE with a BOM, Notepad may add a UTF-8 BOM. Anything else (another encoding, a binary
file, a file of megabytes, TOML nested deeper than Python can parse) is refused with a
:class:`ValueError` whose message says what the file is and what to do; ``config.py`` puts the
file's name in front of it.

An environment variable holds one string, so a list setting is read from it as
:func:`list_from_text` says: a TOML array as in the config file (``['A', 'B']``; a JSON array
is one too), else ``payload_rules`` one rule per line (a regex may hold commas: ``{2,8}``) and
the other lists (``group_tags``) comma-separated, as before.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: A settings file is a few hundred bytes; anything past this is not one.
MAX_CONFIG_BYTES = 1 << 20
#: List settings whose items may hold commas: one item per line in the environment.
LINE_LISTS = frozenset({"payload_rules"})

_BOMS = (
    (b"\xff\xfe\x00\x00", ""),  # UTF-32 LE: refused below (its BOM starts like UTF-16 LE's)
    (b"\x00\x00\xfe\xff", ""),  # UTF-32 BE
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_ARRAY_START = re.compile(r"\[\s*[\"']")
_SAVE_AS = "save it as UTF-8 (PowerShell: Set-Content -Encoding utf8)"


def decode_config(data: bytes) -> str:
    """The text of a config file's bytes, or ``ValueError`` saying why it is not one."""
    if len(data) > MAX_CONFIG_BYTES:
        raise ValueError("is larger than 1 MiB: not a settings file (they are a few hundred bytes)")
    encoding = "utf-8"
    nul = "holds NUL bytes: a binary file, or UTF-16 without a byte-order mark"
    for bom, name in _BOMS:
        if data.startswith(bom):
            if not name:
                raise ValueError(f"is UTF-32 text: {_SAVE_AS}")
            encoding = name
            break
    else:
        if b"\x00" in data:  # no text file in UTF-8 holds one; UTF-16 holds many
            raise ValueError(f"{nul}; {_SAVE_AS}")
    try:
        text = data.decode(encoding)  # "utf-16" reads the BOM for the byte order and drops it
    except UnicodeDecodeError as exc:
        what = "UTF-16 text" if encoding == "utf-16" else "UTF-8 text"
        raise ValueError(
            f"is not {what} (a byte that cannot be read at offset {exc.start}): "
            f"it may be binary or in another encoding; {_SAVE_AS}"
        ) from None
    if "\x00" in text:
        raise ValueError(f"{nul}; {_SAVE_AS}")
    return text


def parse_config(data: bytes) -> dict[str, Any]:
    """The settings in a config file's bytes, or ``ValueError`` saying what is wrong."""
    text = decode_config(data)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise ValueError("is not valid TOML: it is nested too deeply to read") from None


def list_from_text(key: str, text: str) -> list[str]:
    """A list setting from one string (an environment variable, or text in the config file).

    ``['^A(?P<serial>\\d+)$', 'B']`` (TOML, as in the config file) or ``["A", "B"]`` (JSON)
    is read as that array. Otherwise ``payload_rules`` takes one rule per line and any other
    list one item per comma. Items are stripped and empty ones dropped. ``ValueError`` when
    the text starts like an array (``["`` or ``['``) but is not a valid one.
    """
    stripped = text.strip()
    if stripped.startswith("["):
        array = _toml_array(stripped)
        if array is not None:
            return array
        if _ARRAY_START.match(stripped):  # meant as an array: say so rather than guess
            raise ValueError(
                "starts like an array but is not a TOML array of strings; write it as in the "
                "config file, e.g. ['^ASSET:(?P<serial>[A-Z0-9]+)$'] (single quotes keep \\ as is)"
            )
    parts = stripped.splitlines() if key in LINE_LISTS else stripped.split(",")
    return [part.strip() for part in parts if part.strip()]


def _toml_array(text: str) -> list[str] | None:
    """``text`` as a TOML array of strings, or None (a regex such as ``[A-Z]+(?P<serial>…)``)."""
    try:
        value = tomllib.loads(f"value = {text}\n")
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    array = value.get("value")
    if len(value) != 1 or not isinstance(array, list):
        return None
    if not all(isinstance(item, str) for item in array):
        return None
    return [item.strip() for item in array if item.strip()]
