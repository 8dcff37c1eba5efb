"""Acer: the 22-character S/N and the SNID derived from it.

Sources:

- Acer service guides, "Serial Number Definition System" (projectors XD1170D, PD726W): "Serial
  No. (Acer Barcode rule), 22 digits (Barcode Type: Code 128)", ``PPPPPPPPPPWWWSSSSSMMEE``: part
  number (10), week code (3: last digit of the year, week), serial (5, hexadecimal), maker (2),
  engineering version (2). The notebook S/N follows the same rule; Windows reports it and
  Intune holds it, so the plain rule reads it.
- Acer service guide (Iconia Tab A3-A20), "Understanding Acer FG SNID": the 11- or 12-digit
  SNID is ``YWWddddddMmm``: ``YWW`` as in the S/N, ``dddddd`` the S/N's five hexadecimal
  ``SSSSS`` in decimal ("If Acer FG SN (SSSSS) = 001FD, SNID (dddddd) = 000509"), ``Mmm`` the
  maker code in a form of its own.

The SNID cannot be turned back into the S/N (the part number is not in it), so a SNID is not
looked up as a device by itself. But when an S/N and a SNID are in view together, they are the
same device when the SNID's first nine digits follow from the S/N: :func:`snid_matches`.
"""

from __future__ import annotations

import re

_SERIAL = re.compile(r"[0-9A-Z]{10}[0-9A-Z]{3}[0-9A-F]{5}[0-9A-Z]{4}")
_SNID = re.compile(r"\d{11,12}")


def snid_of(serial: str) -> str | None:
    """The first nine digits of the SNID an Acer S/N gives (``YWW`` + ``dddddd``); None when
    ``serial`` is no Acer S/N."""
    serial = serial.strip().upper()
    if not _SERIAL.fullmatch(serial) or not serial[10:13].isdigit():
        return None
    return serial[10:13] + f"{int(serial[13:18], 16):06d}"


def snid_matches(serial: str, snid: str) -> bool:
    """True when ``snid`` (11 or 12 digits) is the SNID of the Acer S/N ``serial``."""
    prefix = snid_of(serial)
    return prefix is not None and bool(_SNID.fullmatch(snid)) and snid.startswith(prefix)
