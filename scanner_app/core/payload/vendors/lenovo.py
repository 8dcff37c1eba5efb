"""Lenovo: the ``1S`` code (machine type-model, then serial) and the type-model alone.

Sources:

- Lenovo ThinkPad Hardware Maintenance Diskette (HMD), as the ThinkPad hardware maintenance
  manuals describe restoring the system serial: the EEPROM takes "a 20-digit string
  ``1STTTTMMMMCCSSSSSSSS``" (T type, M model, C country, S serial): ``1S``, a 10-character
  machine type-model (MTM), an 8-character serial, the same ``1S`` code printed as a barcode
  on ThinkPad labels.
- Older machines: a 7-character MTM ("TTTT-MMM", e.g. 3680WZQ) and a 7-character serial
  (ThinkPad T420s / SL500 hardware maintenance manuals: "MTM on rear label: TTTT-CTO S/N
  SSSSSSS"; thinkpads.com forum: "newer 10-char MTM 10MM0030US", "older 7-char MTM 3680WZQ",
  serials "7-char, starting with 2 letters, e.g. PF5A3H8").
- Lenovo support document HT070934 ("How to find the Serial Number"): IdeaPad serials of 10
  characters, 2 letters + 8 digits (EB01570001).
- Windows reports the serial alone (Win32_BIOS.SerialNumber), which Intune holds: the ``1S``
  code's serial is its first reading; type-model and serial together are the second.

A machine type-model is a product, not a device: a code holding only an MTM is refused when it
says so (a ``1P`` data identifier, see ``apple.py``, or an "MTM:" label, see ``text.py``).
"""

from __future__ import annotations

import re

from scanner_app.core.models import Reading
from scanner_app.core.payload.serials import _reading

#: ``1S`` + MTM (10 or 7 characters) + serial (8 or 7 characters): the four lengths below.
_ONE_S = re.compile(r"1S([0-9A-Z]{14,15}|[0-9A-Z]{17,18})", re.IGNORECASE)
#: A 10-character MTM: 4-character type, 4-character model, 2-letter country (20S0CTO1WW).
MTM_10 = re.compile(r"[0-9][0-9A-Z]{3}[0-9A-Z]{4}[A-Z]{2}", re.IGNORECASE)
#: A 7-character MTM: 4-digit type, 3-character model (3680WZQ, 2516CTO).
MTM_7 = re.compile(r"[0-9]{4}[0-9A-Z]{3}", re.IGNORECASE)


def one_s_readings(text: str) -> list[Reading] | None:
    """The serial of a ``1S`` code, then type-model and serial together; None if no such code."""
    m = _ONE_S.fullmatch(text.strip())
    if m is None:
        return None
    rest = m.group(1).upper()
    mtm_length = 10 if len(rest) >= 17 else 7
    mtm, serial = rest[:mtm_length], rest[mtm_length:]
    if not (MTM_10 if mtm_length == 10 else MTM_7).fullmatch(mtm):
        return None
    source = f"Lenovo 1S code (type-model {mtm})"
    readings = [
        _reading(serial, source=source),
        _reading(rest, name="type-model and serial", source="Lenovo 1S code"),
        _reading(text),  # the code as it is, last: a reading never loses the literal text
    ]
    return [r for r in readings if r is not None]


def is_mtm(value: str) -> bool:
    """True for text of a machine type-model's shape (10 or 7 characters)."""
    value = value.strip()
    return bool(MTM_10.fullmatch(value) or MTM_7.fullmatch(value))
