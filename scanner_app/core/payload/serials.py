"""Serial numbers: the one normalisation rule, the value rules, and targets with readings.

A serial is only handed on when it consists of the characters serial numbers really use
(:func:`_check_serial` is the one place that rule is applied, for plain targets and for
readings alike); a ZtdId only when it is a GUID, a hash only when it is base64. The same rules
serve Graph and the simulator through :func:`normalise_serial` and the ``valid_*`` functions.
A code that can be read several ways becomes one target whose ``readings`` list them, most
likely first (:func:`_target_of`).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

from scanner_app.core.models import Reading, ScanTarget
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


#: A value of letters only is a serial at this length: Dell's 5- and 7-character tags,
#: Lenovo's 7 and 8, Apple's 10-12 (sources in ``vendors``); 20 leaves room, and a value of
#: letters only longer than that is a word or a name, not a serial.
LETTERS_ONLY = range(5, 21)


def serial_shaped(value: str) -> bool:
    """True for a normalised serial of a serial's shape: a digit in it, or letters only of a
    serial's length. Whether such a device exists is for Graph to say, not a digit rule."""
    return any(c.isdigit() for c in value) or len(value) in LETTERS_ONLY


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


def _check_serial(candidate: str) -> tuple[str, str]:
    """(normalised serial, "") when ``candidate`` passes the serial rule, else ("", reason)."""
    joined = "".join(candidate.split())
    if not joined.isascii():  # checked before upper-casing, which maps some letters to ASCII
        return "", BAD_SERIAL
    serial = joined.upper()  # == normalise_serial(candidate)
    if not serial:
        return "", ""
    if len(serial) < 3:
        return "", SHORT_SERIAL
    if len(serial) > 64:
        return "", LONG_SERIAL
    if not valid_serial(serial):
        return "", BAD_SERIAL
    return serial, ""


def _serial_target(candidate: str) -> ScanTarget:
    """Apply the serial rule to a candidate value; the one place a plain serial target is made."""
    serial, reason = _check_serial(candidate)
    if serial:
        return ScanTarget("serial", value=serial)
    return _reject(reason) if reason else _no_serial("")


def _reading(
    candidate: str, *, name: str = "serial", source: str = "", keep_spaces: bool = False
) -> Reading | None:
    """A serial reading of ``candidate``, or None when it fails the serial rule.

    ``keep_spaces`` keeps the printed form (upper-cased, one space between words) in
    ``spaced`` when it has inner spaces: Intune may store the serial so."""
    serial, _ = _check_serial(candidate)
    if not serial:
        return None
    words = candidate.upper().split()
    spaced = " ".join(words) if keep_spaces and len(words) > 1 else ""
    return Reading("serial", serial, name=name, source=source, spaced=spaced)


def _target_of(readings: Iterable[Reading | None]) -> ScanTarget | None:
    """One target for a code's readings, most likely first; None when there are none.

    Duplicates (same kind and value) are dropped, the first kept. A lone plain serial reading
    gives a plain target (``readings`` empty), equal to the one the same serial typed gives."""
    unique: list[Reading] = []
    for reading in readings:
        if reading is not None and all(
            (r.kind, r.value) != (reading.kind, reading.value) for r in unique
        ):
            unique.append(reading)
    if not unique:
        return None
    first = unique[0]
    if len(unique) == 1 and first == Reading(first.kind, first.value):
        return ScanTarget(first.kind, value=first.value)
    serial = next((r.value for r in unique if r.kind == "serial"), "")
    return ScanTarget(
        first.kind,
        value=first.value,
        serial=serial if first.kind == "ztd_id" else "",
        readings=tuple(unique),
    )


def _one_target(targets: Iterable[ScanTarget]) -> ScanTarget | None:
    """The target several values of one code agree on, a rejection if two serials differ,
    the first rejection if none is usable, else None."""
    listed = list(targets)
    if len({t.value for t in listed if t.usable}) > 1:
        return _reject(AMBIGUOUS)
    return next((t for t in listed if t.usable), listed[0] if listed else None)


def _one_serial(candidates: Iterable[str]) -> ScanTarget | None:
    """The serial named by several candidate values, a rejection if they disagree, else None."""
    return _one_target(_serial_target(candidate) for candidate in candidates)
