"""Symbol text -> ScanTarget. (Walking-skeleton version: the decoder work replaces it.)"""

from __future__ import annotations

import re

from scanner_app.core.models import ScanTarget

_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9\-_/.]{2,63}$")


def normalise_serial(text: str) -> str:
    """The one normalisation rule for serial numbers: trim, upper-case, no inner whitespace."""
    return "".join(text.split()).upper()


def parse(text: str) -> ScanTarget:
    serial = normalise_serial(text)
    if _SERIAL.match(serial):
        return ScanTarget("serial", serial)
    return ScanTarget("rejected", reason="This code does not hold a serial number.")
