"""What makers print on device labels and boxes, from their own documentation.

Each module names its sources and knows one maker's codes (or one standard's):
``dell`` (service tag, Express Service Code), ``hp`` (product number with ``#`` option),
``lenovo`` (``1S`` + type-model + serial, type-model alone), ``apple`` (ANSI MH10.8.2 ``S`` /
``1P`` codes), ``gs1`` (AI 21 in element strings and Digital Link URLs), ``vm`` (VMware,
Hyper-V and Parallels serials as Windows reports them), ``acer`` (S/N and SNID).

Makers whose serials need no rule of their own go through the plain rule (``text.py``):
Microsoft Surface (12 digits: "a 12 digit number listed right below the word Surface" on the
device's label), ASUS (10-15 characters: ASUS via Tom's Hardware forum, "ASUS products have
serial numbers that are 10 - 15 digits long"), Getac (10 characters, e.g. RK903V1477: Getac
knowledge base, "Serial number logic"), MSI (``GT72S 6QF-017JPK…``, spaces and hyphen part of
the serial: MSI FAQ 4759), Panasonic Toughbook (no Panasonic description of the serial was
found; model numbers such as ``CF-SV1RDG3TW`` are refused only when labelled "Model").

:func:`vendor_target` tries the whole-text forms in a fixed order; :func:`same_device` tells
whether two codes in view name the same device (a label's ``1S`` code and its S/N barcode).
"""

from __future__ import annotations

from scanner_app.core.models import Reading, ScanTarget
from scanner_app.core.payload.serials import _reading, _target_of, valid_ztd_id
from scanner_app.core.payload.vendors import acer, apple, dell, hp, lenovo, vm


def _guid_readings(text: str) -> list[Reading] | None:
    """A bare GUID: the Autopilot device id (ZtdId, the ``id`` of the
    windowsAutopilotDeviceIdentity: ../shared/contracts/README.md) first, then the same text as
    a serial (some firmware reports a UUID as the serial)."""
    guid = text.strip().strip("{}").lower()
    if not valid_ztd_id(guid):
        return None
    as_serial = _reading(guid, source="the same code read as a serial number")
    return [r for r in (Reading("ztd_id", guid, name="Autopilot device id"), as_serial) if r]


def vendor_target(text: str) -> ScanTarget | None:
    """The target of a whole code in one of the makers' forms; None when it is in none."""
    refusal = hp.product_number(text) or apple.part_number(text)
    if refusal is not None:
        return refusal
    whole_vm = vm.vm_reading(text)
    if whole_vm is not None:
        return _target_of([whole_vm])
    for form in (_guid_readings, lenovo.one_s_readings, apple.s_readings, dell.esc_readings):
        readings = form(text)
        if readings:
            return _target_of(readings)
    return None


def same_device(a: ScanTarget, b: ScanTarget) -> bool:
    """True when two usable targets name the same device: a reading in common (a ``1S`` code
    and the plain serial, an Express Service Code and its tag), or an Acer S/N and its SNID."""
    mine = {(r.kind, r.value) for r in a.lookups}
    if mine & {(r.kind, r.value) for r in b.lookups}:
        return True
    return any(
        acer.snid_matches(x.value, y.value) or acer.snid_matches(y.value, x.value)
        for x in a.lookups
        for y in b.lookups
    )


__all__ = ["acer", "apple", "dell", "hp", "lenovo", "same_device", "vendor_target", "vm"]
