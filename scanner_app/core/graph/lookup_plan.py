"""How a look-up asks Graph for a code's readings: at most two requests (issue 15).

``plan_lookup`` turns a target's readings (``ScanTarget.lookups``, most likely first) into at
most two steps: a GET by ZtdId, or a ``contains(serialNumber,'…')`` query whose literal serves
every reading that contains it (Lenovo's ``1S`` serial is inside type-model + serial; an Apple
``S`` code's serial is inside the code). What is left of the budget goes to a shorter piece of a
hyphenated serial, for serials Intune stores with spaces (see ``autopilot``'s module doc).
Exact matching stays with ``AutopilotService.find``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner_app.core.models import Reading
from scanner_app.core.payload import normalise_serial


def _literal(wanted: str) -> str:
    """A normalised serial's longest hyphen-free segment (the serial itself without hyphens)."""
    parts = [p for p in wanted.split("-") if p]
    return max(parts, key=len) if len(parts) > 1 else wanted


def _runs(text: str, pattern: str) -> list[str]:
    return [m.group(0) for m in re.finditer(pattern, text)]


def _first_literal(reading: Reading) -> str:
    """What the first query asks for: a VM serial read with its spaces by its longest run
    free of spaces and hyphens (Intune keeps the spaces), any other by ``_literal``."""
    if reading.spaced and _is_vm(reading.value):
        return max(_runs(reading.spaced, r"[^\s-]+"), key=len)
    return _literal(reading.value)


def _fallback_literal(reading: Reading) -> str | None:
    """The second query's piece for a serial with hyphens (stored spaces may split its
    segments): the longest run of the printed form, else its longest run of letters or of
    digits; None when there is no such piece of 3 characters or more."""
    if "-" not in reading.value:
        return None
    pieces = _runs(reading.spaced, r"[^\s-]+") if reading.spaced else []
    pieces += _runs(reading.value, r"[^\W\d_]+|\d+")
    best = max(pieces, key=len, default="")
    return best if len(best) >= 3 else None


def _is_vm(value: str) -> bool:
    return value.startswith(("VMWARE-", "PARALLELS-"))


@dataclass(frozen=True)
class LookupStep:
    """One request of a look-up: GET a ZtdId, or ``contains`` a literal, for the readings it
    can find (``covers``, in the code's order of likelihood)."""

    covers: tuple[Reading, ...]
    ztd_id: str = ""
    literal: str = ""


def plan_lookup(readings: tuple[Reading, ...], budget: int = 2) -> list[LookupStep]:
    """At most ``budget`` requests that try ``readings`` in order, each ``contains`` query
    serving every reading that contains its literal; the leftover budget goes to the
    hyphenated-serial fallback (see the module doc)."""
    steps: list[LookupStep] = []
    pending = list(readings)
    while pending and len(steps) < budget:
        first = pending[0]
        if first.kind == "ztd_id":
            steps.append(LookupStep((first,), ztd_id=first.value))
            pending.pop(0)
            continue
        serials = [r for r in pending if r.kind == "serial"]
        candidates = {_first_literal(r) for r in serials} | {_first_literal(first)}
        literal = max(
            (c for c in sorted(candidates) if c and c in first.value),  # ties: a fixed order
            key=lambda c: (sum(c in r.value for r in serials), len(c)),
            default=_first_literal(first),
        )
        covers = tuple(r for r in serials if literal in r.value) or (first,)
        steps.append(LookupStep(covers, literal=literal))
        pending = [r for r in pending if r not in covers]
    used = {s.literal for s in steps}
    for reading in readings:
        if len(steps) >= budget:
            break
        piece = _fallback_literal(reading) if reading.kind == "serial" else None
        if piece and piece not in used:
            covers = tuple(r for r in readings if r.kind == "serial" and piece in r.value)
            steps.append(LookupStep(covers, literal=piece))
            used.add(piece)
    return steps


def _serial_reading(serial: str) -> Reading:
    words = serial.upper().split()
    return Reading(
        "serial", normalise_serial(serial), spaced=" ".join(words) if len(words) > 1 else ""
    )
