"""HP: serial numbers and product numbers (with their ``#`` option suffix).

Sources:

- HP, "How to decode a PSG HP serial number" (Personal Systems Group, effective 2003-03-17):
  "ten alphanumeric characters" ``CC S YWW ZZZZ``: country of manufacture (ISO 3166 alpha-2),
  supply site, year and week, unit (base 31, no A, E, I, O, U). The serial is what Windows
  reports and Intune holds; the plain rule reads it.
- HP maintenance and service guides, "Service label": the "Part number/Product number (p/n)
  ... provides specific information about the product's hardware components" (ProBook 430 G1,
  Stream x360), and the product identification is "the SKU# that is regionalized #ABA, #ABM"
  (ZBook x2). A product number such as ``4Y2M8UT#ABA`` names a configuration sold by the
  thousand, not one device, so a code holding one is refused.
- HP support links name the serial as a parameter (``support.hp.com/…?serialnumber=…``);
  ``payload.urls`` reads them.
"""

from __future__ import annotations

import re

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.reasons import _reject, not_a_serial

#: Product number + ``#`` + 3-character option (localisation) code: 4Y2M8UT#ABA, E3U85UT#ABA.
PRODUCT_NUMBER = re.compile(r"[A-Z0-9]{4,10}#[A-Z0-9]{3}", re.IGNORECASE)


def product_number(text: str) -> ScanTarget | None:
    """A refusal for a code holding an HP product number; None when it is not one."""
    if PRODUCT_NUMBER.fullmatch(text.strip()):
        return _reject(not_a_serial("an HP product number (with its # option code)"))
    return None
