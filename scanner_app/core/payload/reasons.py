"""Why a code was not used: short sentences for the operator, never raw symbol text.

Every form the parser understands can end in a rejection; the reasons live here, in one place,
so that the wording stays consistent and no module is tempted to quote the symbol itself. The
one way a rejection shows part of the text is :func:`_preview`, which keeps printable ASCII only.
"""

from __future__ import annotations

from scanner_app.core.models import ScanTarget

EMPTY = "The code is empty."
TOO_LONG = "The code holds far more text than a device label; it was not used."
HIDDEN = "The code contains hidden control or formatting characters, so it was not used."
NO_SERIAL = "This code does not hold a serial number"
AMBIGUOUS = "This code names two different serial numbers; scan a label that names one."
BAD_SERIAL = "The serial number in this code has characters serial numbers never contain."
SHORT_SERIAL = "The serial number in this code is too short (3 characters at least)."
LONG_SERIAL = "The serial number in this code is too long (64 characters at most)."
BAD_DATA = "This code holds damaged or incomplete data."
DEEP_DATA = "This code holds data nested far deeper than an Autopilot code; it was not used."
DUPLICATE = "This code names the same field twice, so it cannot be trusted."
NOT_AUTOPILOT = "This code holds data, but not an Autopilot device code or a serial number."
NO_DEVICE = "This Autopilot code carries neither a device id (ZtdId) nor a hardware hash."
BAD_ZTD = "The device id (ZtdId) in this Autopilot code is not a valid id."
BAD_HASH = "The hardware hash in this Autopilot code is damaged."
BAD_BLOCKS = "The part numbers in this Autopilot code are inconsistent."
NO_URL_SERIAL = "This web link does not carry a serial number."
NO_GS1_SERIAL = (
    "This GS1 code carries no serial number (AI 21): its product number (GTIN) names a kind of"
    " product, not one device."
)
INTERNAL = "This code could not be read; try again or type the serial number."


def not_a_serial(what: str) -> str:
    """The reason for a code that holds another number of the label: "a part number (1P)"."""
    return f"{NO_SERIAL}: it holds {what}. Scan the serial number's barcode."


def keep_in_view(seen: int, total: int) -> str:
    """The reason shown while a multi-block Autopilot code is being collected."""
    return f"Autopilot code: {seen} of {total} parts read. Keep the code in view."


def _reject(reason: str, progress: tuple[int, int] | None = None) -> ScanTarget:
    return ScanTarget("rejected", reason=reason, progress=progress)


def _preview(text: str, limit: int = 20) -> str:
    """A harmless preview of rejected text: printable ASCII only, quotes replaced, truncated."""
    safe = "".join(
        c if c.isascii() and (c.isalnum() or c in " -_./:#") else "?" for c in text[: limit + 1]
    )
    safe = " ".join(safe.split())
    return safe[:limit] + "..." if len(safe) > limit else safe


def _no_serial(text: str) -> ScanTarget:
    preview = _preview(text)
    return _reject(f"{NO_SERIAL} ({preview})." if preview else f"{NO_SERIAL}.")
