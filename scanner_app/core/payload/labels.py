"""ISO/IEC 15434 envelopes: several fields in one 2D code, each with its identifier.

Shipping and box labels carry their data in an ISO/IEC 15434 envelope: ``[)>`` RS, then
records (``06`` ANSI MH10.8.2 data identifiers, ``05`` GS1 application identifiers), fields
separated by GS, records by RS, EOT at the end. The serial is the field with data identifier
``S`` (ANSI MH10.8.2; ``1P`` / ``P`` are part numbers) or AI ``21`` (GS1). An envelope with part
numbers but no serial is refused with that reason. Some readers show the separators as
``<RS>``/``<GS>``/``<EOT>`` tags; those are read too.
"""

from __future__ import annotations

import re

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.reasons import _no_serial, _reject, not_a_serial
from scanner_app.core.payload.serials import _one_serial
from scanner_app.core.payload.vendors.gs1 import gs1_elements

_DATA_IDENTIFIER = re.compile(r"(\d{0,3}[A-Z])(.*)", re.ASCII | re.DOTALL)
#: ANSI MH10.8.2 data identifiers of part numbers (not serials).
_PART_NUMBERS = {"P", "1P"}


def _parse_iso15434(text: str) -> ScanTarget:
    """ISO/IEC 15434 envelope: format 06 (ANSI MH10.8.2 identifiers, "S" = serial number) or
    format 05 (GS1 application identifiers)."""
    for tag, char in (("<RS>", "\x1e"), ("<GS>", "\x1d"), ("<EOT>", "\x04")):
        text = text.replace(tag, char)  # readers that show separators as tags
    serials: list[str] = []
    parts = False
    for record in text[3:].split("\x1e"):
        fields = record.rstrip("\x04").split("\x1d")
        if fields[0] == "06":
            for field in fields[1:]:
                m = _DATA_IDENTIFIER.fullmatch(field)
                if m and m.group(1) == "S":
                    serials.append(m.group(2))
                parts = parts or bool(m and m.group(1) in _PART_NUMBERS)
        elif fields[0] == "05":
            for ai, value in gs1_elements("\x1d".join(fields[1:])) or []:
                if ai == "21":
                    serials.append(value)
    found = _one_serial(serials)
    if found is not None:
        return found
    return _reject(not_a_serial("a part number (1P)")) if parts else _no_serial(text)
