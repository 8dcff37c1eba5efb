"""Standard label data formats: GS1 element strings and ISO/IEC 15434 envelopes.

Asset and shipping labels encode the serial number with a standard identifier rather than a
printed caption: GS1 application identifier ``(21)``, or ANSI MH10.8.2 data identifier ``S``
inside an ISO/IEC 15434 envelope (``[)>`` RS ``06``...). Both are read here, with the FNC1
(GS) and RS separators those formats use.
"""

from __future__ import annotations

import re

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.reasons import NO_GS1_SERIAL, _no_serial, _reject
from scanner_app.core.payload.serials import _one_serial

_GS1_HRI = re.compile(r"\((\d{2,4})\)([^()]*)", re.ASCII)
#: GS1 application identifiers with a fixed data length (GS1 General Specifications, 3.2).
_GS1_FIXED = {"00": 18, "01": 14, "02": 14, "11": 6, "12": 6, "13": 6, "15": 6, "16": 6,
              "17": 6, "20": 2}  # fmt: skip
_GS1_VARIABLE = {"10", "21", "22", "30", "37", "90", "91", "92", "93", "94", "95", "96", "97",
                 "98", "99", "240", "241", "250"}  # fmt: skip
_GS1_AIS = _GS1_FIXED.keys() | _GS1_VARIABLE
#: Symbology identifiers that announce GS1 data (ISO/IEC 15424): GS1-128, DataMatrix, QR, DataBar.
_SYMBOLOGY_ID = re.compile(r"\](?:C1|d2|Q3|e0)")
_DATA_IDENTIFIER = re.compile(r"(\d{0,3}[A-Z])(.*)", re.ASCII | re.DOTALL)


def _gs1_elements(data: str) -> list[tuple[str, str]] | None:
    """Split a raw GS1 element string (FNC1 sent as GS) into (AI, value); None if unknown AI."""
    elements, pos = [], 0
    while pos < len(data):
        if data[pos] == "\x1d":
            pos += 1
            continue
        ai = next((data[pos : pos + n] for n in (2, 3) if data[pos : pos + n] in _GS1_AIS), None)
        if ai is None:
            return None
        pos += len(ai)
        if ai in _GS1_FIXED:
            end = pos + _GS1_FIXED[ai]
        else:
            end = data.find("\x1d", pos)
            end = len(data) if end < 0 else end
        elements.append((ai, data[pos:end]))
        pos = end
    return elements


def _parse_gs1(text: str) -> ScanTarget | None:
    """GS1 element strings: "(01)...(21)SERIAL" or, after a symbology id, FNC1-separated."""
    if text.startswith("("):
        elements = [(ai, value.strip()) for ai, value in _GS1_HRI.findall(text)]
    elif _SYMBOLOGY_ID.match(text) or text.startswith("\x1d"):
        elements = _gs1_elements(text[3:] if text.startswith("]") else text) or []
    else:
        return None
    if not elements:
        return None  # not an element string: let the other forms try
    serials = [value for ai, value in elements if ai == "21"]
    return _one_serial(serials) or _reject(NO_GS1_SERIAL)


def _parse_iso15434(text: str) -> ScanTarget:
    """ISO/IEC 15434 envelope: format 06 (ANSI MH10.8.2 identifiers, "S" = serial number) or
    format 05 (GS1 application identifiers)."""
    for tag, char in (("<RS>", "\x1e"), ("<GS>", "\x1d"), ("<EOT>", "\x04")):
        text = text.replace(tag, char)  # readers that show separators as tags
    serials: list[str] = []
    for record in text[3:].split("\x1e"):
        fields = record.rstrip("\x04").split("\x1d")
        if fields[0] == "06":
            for field in fields[1:]:
                m = _DATA_IDENTIFIER.fullmatch(field)
                if m and m.group(1) == "S":
                    serials.append(m.group(2))
        elif fields[0] == "05":
            for ai, value in _gs1_elements("\x1d".join(fields[1:])) or []:
                if ai == "21":
                    serials.append(value)
    return _one_serial(serials) or _no_serial(text)
