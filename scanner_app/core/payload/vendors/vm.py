"""Virtual machines: the serial numbers Windows reports for them, spaces included.

Sources:

- VMware, "Modifying the SMBIOS UUID" (ESX Server 2.0 and GSX Server 2.5 documentation): the
  UUID's "16 bytes ... are separated by spaces except for a dash between the eighth and ninth
  hexadecimal pairs: ``00 11 22 33 44 55 66 77-88 99 aa bb cc dd ee ff``". The guest's BIOS
  serial number is ``VMware-`` followed by that text (enterpriseadmins.org, "Converting between
  guest OS serial number and VM UUID": ``wmic bios get serialnumber`` shows
  ``VMware-42 02 30 81 …``), and Intune stores what Windows reports, spaces kept.
- Microsoft Hyper-V (J. Howard, "How to uniquely identify a virtual machine in Hyper-V",
  learn.microsoft.com archive): BIOSSerialNumber is "numeric and in the format
  ``XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XX``", seen in the guest as ``Win32_BIOS.SerialNumber``. It
  has no spaces, so the plain rule reads it; :data:`HYPER_V` documents the shape for tests.
- Parallels: no Parallels documentation was found. The form seen in the field,
  ``Parallels-`` and sixteen space-separated hex pairs, is read like VMware's; a Parallels serial
  in any other form still goes through the plain rule.

A VM serial is one value even though it has sixteen "words": it is never prose, and a label
(``S/N: VMware-56 4d …``) names all of it, not ``VMware-56``.
"""

from __future__ import annotations

import re

from scanner_app.core.models import Reading
from scanner_app.core.payload.serials import _reading

_PAIR = r"[0-9A-Fa-f]{2}"
#: ``VMware-`` + 8 hex pairs + ``-`` + 8 hex pairs, pairs separated by spaces (VMware docs).
VMWARE = re.compile(
    rf"VMware-{_PAIR}(?:[ ]+{_PAIR}){{7}}[ ]*-[ ]*{_PAIR}(?:[ ]+{_PAIR}){{7}}", re.IGNORECASE
)
#: ``Parallels-`` + 16 hex pairs separated by spaces (field reports; see the module doc).
PARALLELS = re.compile(rf"Parallels-{_PAIR}(?:(?:[ ]+|[ ]*-[ ]*){_PAIR}){{15}}", re.IGNORECASE)
#: Hyper-V: ``XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XX``, digits (Microsoft, see the module doc).
HYPER_V = re.compile(r"\d{4}(?:-\d{4}){5}-\d{2}")

_FORMS = ((VMWARE, "VMware virtual machine"), (PARALLELS, "Parallels virtual machine"))


def vm_reading(text: str, *, whole: bool = True) -> Reading | None:
    """The VM serial in ``text`` (all of it when ``whole``, else the first one in it), with
    its spaces kept in ``spaced``; None when there is none."""
    for pattern, _ in _FORMS:
        m = pattern.fullmatch(text.strip()) if whole else pattern.search(text)
        if m is not None:
            return _reading(m.group(0), keep_spaces=True)
    return None


def is_vm_serial(value: str) -> bool:
    """True for a normalised serial of the VMware or Parallels form (spaces removed)."""
    upper = value.upper()
    return upper.startswith(("VMWARE-", "PARALLELS-"))
