"""GS1: the serial number (AI 21) in element strings and in GS1 Digital Link URLs.

Sources:

- GS1 General Specifications, section 3.2: application identifier (AI) ``21`` is the serial
  number, ``01`` the GTIN (a product, not a unit); AIs with a predefined length need no
  separator, the others end with FNC1, which a reader transmits as GS (0x1D).
- ISO/IEC 15424 symbology identifiers announce GS1 data: ``]C1`` GS1-128, ``]d2`` GS1
  DataMatrix, ``]Q3`` GS1 QR Code, ``]e0`` GS1 DataBar. zxing-cpp shows GS1 data in the
  human-readable form with the AIs in brackets: ``(01)09506000134352(21)ABC123``.
- GS1 Digital Link Standard: URI Syntax 1.2 (summarised in bwipp's wiki, "GS1 Digital Link
  URIs"): a domain (and optional path), then the primary key as path segments ``/01/<GTIN>``,
  then its qualifiers in order ``/22/…``, ``/10/…``, ``/21/<serial>``; data attributes in the
  query string; characters percent-encoded.

A GS1 code that carries only a GTIN (the product's barcode number, a UPC/EAN on the box) names
a kind of product, never one device: it is refused with that reason.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.reasons import NO_GS1_SERIAL, _reject
from scanner_app.core.payload.serials import _one_serial

_GS1_HRI = re.compile(r"\((\d{2,4})\)([^()]*)", re.ASCII)
#: GS1 application identifiers with a fixed data length (GS1 General Specifications, 3.2).
_GS1_FIXED = {"00": 18, "01": 14, "02": 14, "11": 6, "12": 6, "13": 6, "15": 6, "16": 6,
              "17": 6, "20": 2}  # fmt: skip
_GS1_VARIABLE = {"10", "21", "22", "30", "37", "90", "91", "92", "93", "94", "95", "96", "97",
                 "98", "99", "235", "240", "241", "250"}  # fmt: skip
_GS1_AIS = _GS1_FIXED.keys() | _GS1_VARIABLE
#: Symbology identifiers that announce GS1 data (ISO/IEC 15424): GS1-128, DataMatrix, QR, DataBar.
SYMBOLOGY_ID = re.compile(r"\](?:C1|d2|Q3|e0)")
#: A GTIN in a Digital Link path: GTIN-8, -12, -13 or -14.
_GTIN = re.compile(r"\d{8}|\d{12,14}")
#: Digital Link qualifiers of a GTIN, in the order the standard gives them.
_QUALIFIERS = ("22", "10", "21")


def gs1_elements(data: str) -> list[tuple[str, str]] | None:
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


def parse_element_string(text: str) -> ScanTarget | None:
    """GS1 element strings: "(01)...(21)SERIAL" or, after a symbology id, FNC1-separated.
    None when ``text`` is no element string (the other forms then try)."""
    if text.startswith("("):
        elements = [(ai, value.strip()) for ai, value in _GS1_HRI.findall(text)]
    elif SYMBOLOGY_ID.match(text) or text.startswith("\x1d"):
        elements = gs1_elements(text[3:] if text.startswith("]") else text) or []
    else:
        return None
    if not elements:
        return None
    serials = [value for ai, value in elements if ai == "21"]
    return _one_serial(serials) or _reject(NO_GS1_SERIAL)


def parse_digital_link(path: str) -> ScanTarget | None:
    """The serial of a GS1 Digital Link URL path (``…/01/<GTIN>[/22/…][/10/…]/21/<serial>``);
    a refusal when it names a GTIN only; None when the path is no Digital Link."""
    segments = [unquote(s) for s in path.split("/") if s]
    start = next(
        (i for i in range(len(segments) - 1)
         if segments[i] == "01" and _GTIN.fullmatch(segments[i + 1])),
        None,
    )  # fmt: skip
    if start is None:
        return None
    pairs = segments[start + 2 :]
    if len(pairs) % 2:
        return None
    qualifiers = dict(zip(pairs[::2], pairs[1::2], strict=True))
    if not set(qualifiers) <= set(_QUALIFIERS):
        return None
    if "21" not in qualifiers:
        return _reject(NO_GS1_SERIAL)
    return _one_serial([qualifiers["21"]])
