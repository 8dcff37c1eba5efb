"""Web links that carry a serial number: a GS1 Digital Link, a query parameter or a path segment.

A GS1 Digital Link (``…/01/<GTIN>/21/<serial>``, see ``vendors/gs1.py``) is read by its
standard's rules first. Vendors print support links on labels: Dell's
``/product-support/servicetag/<tag>`` (``vendors/dell.py``), HP's ``?serialnumber=…``
(``vendors/hp.py``), ``?sn=…``. Explicit parameter names win over a path segment, which wins
over the short names some vendors use. The serial-field names are shared with JSON objects.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.reasons import BAD_DATA, NO_URL_SERIAL, _reject
from scanner_app.core.payload.serials import _one_serial
from scanner_app.core.payload.vendors.gs1 import parse_digital_link

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE | re.ASCII)
_SERIAL_KEYS = {
    "serial", "serialnumber", "serialno", "serialnum", "serialnr", "sn", "sno", "snr",
    "servicetag", "svctag", "deviceserial", "deviceserialnumber", "systemserialnumber",
}  # fmt: skip
#: Short parameter names some vendors use; only consulted when no explicit name is present.
_WEAK_KEYS = {"s", "st", "tag", "ser"}


def _canonical(key: str) -> str:
    return "".join(c for c in key.casefold() if c.isalnum())


def _parse_url(text: str) -> ScanTarget:
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        params = parse_qsl(parts.query, max_num_fields=100)
        if parts.scheme.lower() not in ("http", "https"):
            return _reject(NO_URL_SERIAL)
    except ValueError:
        return _reject(BAD_DATA)
    digital_link = parse_digital_link(parts.path)
    if digital_link is not None:
        return digital_link
    strong = [v for k, v in params if _canonical(k) in _SERIAL_KEYS]
    segments = [unquote(s) for s in parts.path.split("/") if s]
    in_path = [
        segments[i + 1]
        for i, segment in enumerate(segments[:-1])
        if _canonical(segment) in _SERIAL_KEYS
    ]
    weak = [v for k, v in params if _canonical(k) in _WEAK_KEYS]
    for candidates in (strong, in_path, weak):
        target = _one_serial(candidates)
        if target is not None:
            return target
    return _reject(NO_URL_SERIAL)
