"""Dell: service tags and Express Service Codes.

Sources:

- Dell, "What is a Service Tag and Express Service Code?" (support.dell.com, document 335407):
  "The Service Tag is an alphanumeric ... code that acts like a serial number"; "The Express
  Service Code is a numeric (number only) version of the Service Tag", for the phone system.
  Windows reports the tag as the serial number, so that is what Intune holds.
- Dell system information guide (Latitude D400, Japanese edition, p. 101): the service tag has
  5 or 7 alphanumeric characters, the Express Service Code at most 11 digits.
- The conversion: the tag is a base-36 number (digits 0-9, letters A-Z = 10-35) and the Express
  Service Code the same number in base 10 (creativyst.com, "Convert Dell Service Tags to Express
  Service Codes": 5RFDP01 -> 12,542,331,601, printed "125-423-316-01", dashes every third digit
  from the left; serverfault question 589774: ``int(tag, 36)``).
- Dell support links carry the tag as a path segment after ``/servicetag/`` or as a
  ``servicetag`` parameter (dell.com/support/home/<locale>/product-support/servicetag/<tag>/…);
  ``payload.urls`` reads them.

A number on a label may be an Express Service Code or a serial of another make, so it gets two
readings: the number itself first (what the code says), then the service tag it converts to.
Only 10- and 11-digit numbers are taken for codes: a 7-character tag not starting with 0 is
at least 36**6 = 2,176,782,336 (10 digits), and 36**7 - 1 has 11 digits. The 5-character tags
(at most 8 digits) predate every device that can run Windows Autopilot.
"""

from __future__ import annotations

import re

from scanner_app.core.models import Reading
from scanner_app.core.payload.serials import _reading

TAG_LENGTH = 7
_DIGITS36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Digits, or digits in dash-separated groups of three from the left (creativyst.com).
_CODE = re.compile(r"\d{10,11}|\d{3}-\d{3}-\d{3}-\d{1,2}")


def express_service_code(tag: str) -> str:
    """The Express Service Code of a service tag: the tag read in base 36, written in base 10."""
    return str(int(tag.strip().upper(), 36))


def service_tag(code: str) -> str | None:
    """The 7-character service tag an Express Service Code stands for; None when ``code`` is
    no Express Service Code (not 10-11 digits, or beyond 7 base-36 characters)."""
    digits = code.strip().replace("-", "")
    if not (_CODE.fullmatch(code.strip()) and 10 <= len(digits) <= 11):
        return None
    number = int(digits)
    if number >= 36**TAG_LENGTH:
        return None
    chars = []
    for _ in range(TAG_LENGTH):
        number, rest = divmod(number, 36)
        chars.append(_DIGITS36[rest])
    return "".join(reversed(chars))


def esc_readings(text: str) -> list[Reading] | None:
    """The number as a serial, then the service tag it converts to; None if no such code."""
    tag = service_tag(text)
    if tag is None:
        return None
    literal = _reading(text)
    source = f"Express Service Code {text.strip()}"
    return [r for r in (literal, _reading(tag, name="service tag", source=source)) if r]
