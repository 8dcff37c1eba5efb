"""Barcodes that start with an ANSI MH10.8.2 data identifier: Apple's ``S`` serial and ``1P``
part-number codes (and the same identifiers on other makers' box labels).

Sources:

- ANSI MH10.8.2 data identifiers, as the ECIA label standards use them (ECIA barcode parser,
  ``DataIdentifiers.cs``): ``S`` serial number, ``1P`` supplier part number, ``P`` customer
  part number. Outside an ISO/IEC 15434 envelope (``labels.py``) a linear barcode carries one
  field, identifier first: ``S`` + serial, ``1P`` + part number.
- Apple serial numbers: 11 characters (FF Y WW NNN MMM) and 12 characters (FFF Y W NNN MMMM)
  (peniya.com, "How to read Apple's serial numbers"); randomised 10-character serials since
  April 2021 (MacRumors, "Decoding Apple serials 1983-2021"). Apple asked service providers to
  scan them as Code 128 (AppleInsider, 2006-04-10).
- Apple part numbers: five characters, a region and ``/`` + a letter (``MGN63LL/A``,
  ``M2KJ3LL/A``; "Apple Part Number Guide").

An ``S`` code gives two readings: the serial without the identifier and the whole text, since
a serial may itself start with S. Without the ``S`` comes first when the rest has an Apple
serial's length (10-12), the whole text first otherwise. The rest is a substring of the whole,
so one ``contains`` query serves both. A ``1P`` / ``P`` code whose rest has a part number's
shape (Apple's, or a Lenovo type-model) is refused: it names a product, not a device.
"""

from __future__ import annotations

import re

from scanner_app.core.models import Reading, ScanTarget
from scanner_app.core.payload.reasons import _reject, not_a_serial
from scanner_app.core.payload.serials import _check_serial, _reading, serial_shaped
from scanner_app.core.payload.vendors.lenovo import is_mtm

#: Lengths of Apple serial numbers (see the module doc).
APPLE_SERIAL_LENGTHS = (10, 11, 12)
#: Apple part numbers: 4-7 characters, a 1-2 letter region, "/", one letter.
APPLE_PART = re.compile(r"[A-Z0-9]{4,7}[A-Z]{1,2}/[A-Z]", re.IGNORECASE)


def s_readings(text: str) -> list[Reading] | None:
    """The readings of a one-field ``S`` code; None when ``text`` is not one."""
    text = text.strip()
    if len(text) < 4 or text[0] not in "Ss" or any(c.isspace() for c in text):
        return None
    whole, rest = _check_serial(text)[0], _check_serial(text[1:])[0]
    if not (whole and rest and serial_shaped(whole) and serial_shaped(rest)):
        return None
    without = _reading(rest, source=f"code {whole} without its data identifier S")
    as_is = _reading(whole)
    first_rest = len(rest) in APPLE_SERIAL_LENGTHS
    ordered = [without, as_is] if first_rest else [as_is, without]
    return [r for r in ordered if r is not None]


def part_number(text: str) -> ScanTarget | None:
    """A refusal for a one-field ``1P`` / ``P`` part-number code; None when it is not one."""
    text = text.strip()
    upper = text.upper()
    for identifier, what in (("1P", "a part number (1P)"), ("P", "a part number (P)")):
        if not upper.startswith(identifier):
            continue
        rest = text[len(identifier) :]
        if APPLE_PART.fullmatch(rest) or (identifier == "1P" and is_mtm(rest)):
            return _reject(not_a_serial(what))
    return None
