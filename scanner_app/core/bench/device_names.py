"""Autopilot device names from a template: the rules a template must follow, and the name it
gives one device.

Autopilot names a device from a template such as ``LAB-%SERIAL%`` or ``PC-%RAND:5%``, within
NetBIOS limits it does not fully check itself. The settings dialog validates a template on every
keystroke and the bench session turns it into a name per device, so the rules live in one
Qt-free module both use; ``session.py`` re-exports these names for existing imports.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

MAX_NAME_LENGTH = 15  # NetBIOS computer name limit that Autopilot enforces
_MACRO = re.compile(r"%(SERIAL|RAND:(\d+))%", re.IGNORECASE)
_ALLOWED = re.compile(r"^[A-Za-z0-9-]+$")


class DeviceNameError(ValueError):
    """A name template or the name it makes breaks Autopilot's naming rules."""


@dataclass(frozen=True)
class TemplateCheck:
    """What a template will produce: ``fixed`` characters and how many are left for a serial."""

    fixed: str
    rand_digits: int
    has_serial: bool
    serial_room: int = field(default=0)


def check_template(template: str) -> TemplateCheck:
    """Validate a template on its own (the settings dialog calls this on every keystroke).

    Autopilot's rules: at most 15 characters; letters, digits and hyphens only; not only digits;
    one of ``%SERIAL%`` or ``%RAND:n%`` so every device gets its own name.
    """
    template = template.strip()
    if not template:
        raise DeviceNameError("The name template is empty.")
    macros = list(_MACRO.finditer(template))
    if not macros:
        raise DeviceNameError("The name template needs %SERIAL% or %RAND:n% so names are unique.")
    serials = [m for m in macros if m.group(1).upper() == "SERIAL"]
    rands = [m for m in macros if m.group(2) is not None]
    if serials and rands:
        raise DeviceNameError("Use %SERIAL% or %RAND:n%, not both (Autopilot allows one).")
    if len(macros) > 1:
        raise DeviceNameError("Use the macro only once in the template.")
    fixed = _MACRO.sub("", template)
    if "%" in fixed:
        raise DeviceNameError(
            f"Unknown macro in {template!r}: only %SERIAL% and %RAND:n% are understood."
        )
    if fixed and not _ALLOWED.match(fixed):
        bad = sorted({c for c in fixed if not re.match(r"[A-Za-z0-9-]", c)})
        shown = ", ".join(repr(c) for c in bad)
        raise DeviceNameError(f"Only letters, digits and hyphens are allowed (not {shown}).")
    digits = int(rands[0].group(2)) if rands else 0
    if rands and digits < 1:
        raise DeviceNameError("%RAND:n% needs at least one digit.")
    room = MAX_NAME_LENGTH - len(fixed) - digits
    if room < (1 if serials else 0):
        raise DeviceNameError(
            f"The template makes names longer than {MAX_NAME_LENGTH} characters "
            f"({len(fixed) + digits + (1 if serials else 0)} or more)."
        )
    return TemplateCheck(fixed, digits, bool(serials), room if serials else 0)


def make_device_name(template: str, serial: str, *, rng: random.Random | None = None) -> str:
    """The device name ``template`` gives the device with ``serial``.

    Characters a computer name cannot hold (spaces, dots, slashes) are dropped from the serial.
    Autopilot itself does not check the 15-character limit (Microsoft: "it relies on the admin",
    MicrosoftDocs/memdocs#3399) and Windows then cuts the name, so a serial too long for the room
    the template leaves is cut here, keeping its *last* characters: the tail of a serial is the
    part that differs between laptops of one batch.
    """
    check = check_template(template)
    rng = rng or random.Random()

    def substitute(match: re.Match[str]) -> str:
        if match.group(1).upper() == "SERIAL":
            clean = re.sub(r"[^A-Za-z0-9-]", "", serial)
            if not clean:
                raise DeviceNameError(f"The serial {serial!r} has no letters or digits to use.")
            return clean[-check.serial_room :]
        return "".join(str(rng.randrange(10)) for _ in range(check.rand_digits))

    name = _MACRO.sub(substitute, template.strip())
    if name.isdigit():
        raise DeviceNameError(f"{name!r} has only digits; Autopilot needs a letter or hyphen.")
    return name
