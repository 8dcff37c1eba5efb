"""Serial numbers: the one normalisation rule, the value rules, and serials in plain text.

A serial is only handed on when it consists of the characters serial numbers really use
(:func:`_serial_target` is the one place a serial target is made); a ZtdId only when it is a
GUID, a hash only when it is base64. The same rules serve Graph and the simulator through
:func:`normalise_serial` and the ``valid_*`` functions. The last two forms the parser tries
also live here: labelled text (``S/N: X``, alone or among ``key: value`` pairs) and a plain
serial number.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.reasons import (
    AMBIGUOUS,
    BAD_SERIAL,
    LONG_SERIAL,
    SHORT_SERIAL,
    _no_serial,
    _reject,
)

# --- the rules a value must pass ------------------------------------------------------------

#: A normalised serial: 3-64 of A-Z 0-9 . _ / -, starting with a letter or digit, and no ".." or
#: "//" (no real serial has them; they only make a value look like a path).
_SERIAL = re.compile(r"(?!.*(?:\.\.|//))[A-Z0-9][A-Z0-9._/-]{2,63}", re.ASCII)
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}", re.ASCII)


def normalise_serial(text: str) -> str:
    """The one normalisation rule for serial numbers, used by the parser, Graph and the simulator.

    Trim, remove every inner whitespace character, upper-case. Hyphens, dots, slashes and
    underscores are kept: some manufacturers put them in the serial number itself, so removing
    them could make two devices compare equal. (Lenovo prints "S/N PF-1ABCDE" while the device
    reports "PF1ABCDE": such a label matches through its barcode, not the printed text.)
    """
    return "".join(text.split()).upper()


def valid_serial(value: str) -> bool:
    """True for a normalised serial the app will look up (see ``_SERIAL``)."""
    return _SERIAL.fullmatch(value) is not None


def valid_ztd_id(value: str) -> bool:
    """True for a ZtdId as the parser returns it: a lower-case GUID without braces."""
    return _GUID.fullmatch(value) is not None


def valid_hardware_hash(value: str) -> bool:
    """True for a hardware hash as the parser returns it: non-empty, well-formed base64."""
    if not value or len(value) % 4 or _BASE64.fullmatch(value) is None:
        return False
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _serial_target(candidate: str) -> ScanTarget:
    """Apply the serial rule to a candidate value; the one place a serial target is made."""
    joined = "".join(candidate.split())
    if not joined.isascii():  # checked before upper-casing, which maps some letters to ASCII
        return _reject(BAD_SERIAL)
    serial = joined.upper()  # == normalise_serial(candidate)
    if not serial:
        return _no_serial("")
    if len(serial) < 3:
        return _reject(SHORT_SERIAL)
    if len(serial) > 64:
        return _reject(LONG_SERIAL)
    if not valid_serial(serial):
        return _reject(BAD_SERIAL)
    return ScanTarget("serial", value=serial)


def _one_serial(candidates: Iterable[str]) -> ScanTarget | None:
    """The serial named by several candidate values, a rejection if they disagree, else None."""
    targets = [_serial_target(candidate) for candidate in candidates]
    if len({t.value for t in targets if t.usable}) > 1:
        return _reject(AMBIGUOUS)
    return next((t for t in targets if t.usable), targets[0] if targets else None)


# --- labelled and plain text -------------------------------------------------------------------

_LABEL = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:device|system|product|unit)[\s_-]*)?"
    r"(?:serial[\s_-]*(?:number|num|nbr|no|nr|\#)?|s\s*/\s*n(?:o|r)?|s/?no|sn|"
    r"service[\s_-]*tag|svc[\s_-]*tag)"
    r"\.?(?![A-Za-z0-9])[ \t]*[:=#]?[ \t]*"
    # the value: digit groups as some labels print them ("1234 5678 9012"), else one word
    r"(?P<value>[0-9]{2,6}(?:[ ][0-9]{2,6})+(?![^\s;|,])|\S+)",
    re.IGNORECASE | re.ASCII,
)
_SEGMENTS = re.compile(r"[\r\n;|,\x1d\x1e]+")


def _parse_labelled(text: str) -> ScanTarget | None:
    """A serial named by a label (``S/N: X``), alone or among other ``key: value`` pairs."""
    segments = [segment for segment in _SEGMENTS.split(text) if segment.strip()]
    values = [
        m.group("value").rstrip(".:")  # "S/N: PF1ABCDE." ends a sentence, not the serial
        for segment in segments
        for m in _LABEL.finditer(segment)
    ]
    if values:
        return _one_serial(values)
    if len(segments) > 1:
        return _no_serial(text)
    return None


def _parse_plain(text: str) -> ScanTarget:
    words = text.split()
    if len(words) > 4:  # prose, not a serial printed in groups
        return _no_serial(text)
    target = _serial_target(text)
    if target.usable and not any(c.isdigit() for c in target.value):
        return _no_serial(text)  # a bare word: serial numbers have digits
    if not target.usable and target.reason == BAD_SERIAL:
        return _no_serial(text)
    return target
