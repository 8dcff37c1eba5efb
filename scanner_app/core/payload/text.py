"""Serials in text: labelled (``S/N: X``, among other ``key: value`` pairs) and plain.

A label names what follows it. ``S/N``, ``Serial No.``, ``Service Tag``... name a serial; ``P/N``,
``Product No.``, ``MTM``, ``Model``, ``UPC``, ``SNID``... name something else, and a code that
holds only those is refused with what it holds (the makers' service guides distinguish them:
HP's "Serial number (s/n)" and "Part number/Product number (p/n)", Lenovo's "MTM" and "S/N",
Acer's "S/N" and "SNID"). A VM serial after a label is taken whole (``S/N: VMware-56 4d …``).

A plain value is a serial when it has a serial's shape; whether such a device exists is for
Graph to say, not a digit rule: Dell service tags and Lenovo serials of letters only exist. A
single word of letters only needs 5-20 characters (``serials.LETTERS_ONLY``: Dell's 5- and
7-character tags, Lenovo's 7 and 8, Apple's 10-12; longer makes of serials carry digits). Several
words are a serial printed in groups (kept in ``spaced``: Intune may store them so, like MSI's
``GT72S 6QF-017JPK…``) when at most four and at least one digit among them; more is prose.
"""

from __future__ import annotations

import re

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.reasons import BAD_SERIAL, _no_serial, _reject, not_a_serial
from scanner_app.core.payload.serials import (
    _check_serial,
    _one_target,
    _reading,
    _serial_target,
    _target_of,
    serial_shaped,
)
from scanner_app.core.payload.vendors import dell
from scanner_app.core.payload.vendors.vm import vm_reading

_LABEL = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:device|system|product|unit)[\s_-]*)?"
    r"(?:serial[\s_-]*(?:number|num|nbr|no|nr|\#)?|s\s*/\s*n(?:o|r)?|s/?no|sn|"
    r"service[\s_-]*tag|svc[\s_-]*tag)"
    r"\.?(?![A-Za-z0-9])[ \t]*[:=#]?[ \t]*"
    # the value: digit groups as some labels print them ("1234 5678 9012"), else one word
    r"(?P<value>[0-9]{2,6}(?:[ ][0-9]{2,6})+(?![^\s;|,])|\S+)",
    re.IGNORECASE | re.ASCII,
)
#: Labels of the other numbers on a device label, and what to call them in a refusal.
_OTHER_LABELS = (
    (r"p\s*/\s*n|pn|part[\s_-]*(?:number|no|nr|\#)?", "a part number (P/N)"),
    (r"product[\s_-]*(?:number|no|nr|id|\#)|sku", "a product number"),
    (r"mtm|machine[\s_-]*type(?:[\s_-]*model)?|type", "a machine type-model (MTM)"),
    (r"model(?:[\s_-]*(?:number|no|nr|name))?", "a model number"),
    (r"upc|ean|gtin", "a product barcode number (UPC/EAN)"),
    (r"snid", "an Acer SNID, which is not the serial Windows reports (use the S/N)"),
)
_OTHER = re.compile(
    r"(?<![A-Za-z0-9])(?:" + "|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(_OTHER_LABELS))
    + r")\.?(?![A-Za-z0-9])[ \t]*[:=#]?[ \t]*\S",
    re.IGNORECASE | re.ASCII,
)  # fmt: skip
#: Dell's "Express Service Code" caption (see ``vendors/dell.py``): the number is the tag's.
_ESC_LABEL = re.compile(
    r"(?<![A-Za-z0-9])(?:express[\s_-]*service[\s_-]*code|esc)\.?[ \t]*[:=#]?[ \t]*"
    r"(?P<value>[0-9][0-9-]{8,14})(?![0-9A-Za-z])",
    re.IGNORECASE | re.ASCII,
)
_SEGMENTS = re.compile(r"[\r\n;|,\x1d\x1e]+")


def _labelled_value(segment: str, m: re.Match[str]) -> ScanTarget:
    rest = segment[m.start("value") :]
    machine = vm_reading(rest, whole=False)
    if machine is not None and rest.upper().startswith(("VMWARE-", "PARALLELS-")):
        return _target_of([machine]) or _serial_target(machine.value)
    # "S/N: PF1ABCDE." ends a sentence, not the serial
    return _serial_target(m.group("value").rstrip(".:"))


def _parse_labelled(text: str) -> ScanTarget | None:
    """A serial named by a label (``S/N: X``), alone or among other ``key: value`` pairs; a
    refusal naming what the code holds when its labels name only other numbers."""
    segments = [segment for segment in _SEGMENTS.split(text) if segment.strip()]
    targets = [
        _labelled_value(segment, m) for segment in segments for m in _LABEL.finditer(segment)
    ]
    for segment in segments:
        for m in _ESC_LABEL.finditer(segment):
            readings = dell.esc_readings(m.group("value"))  # the tag only: it says what it is
            targets.append(_target_of(readings[1:] if readings else []) or _no_serial(text))
    if targets:
        return _one_target(targets)
    other = next((m for segment in segments for m in _OTHER.finditer(segment)), None)
    if other is not None:
        key = next(int(k[1:]) for k, v in other.groupdict().items() if v is not None)
        return _reject(not_a_serial(_OTHER_LABELS[key][1]))
    if len(segments) > 1:
        return _no_serial(text)
    return None


def _parse_words(text: str) -> ScanTarget:
    """Labelled or plain text: a labelled serial, else a refusal naming the other number a
    label names, else a plain serial ("SN-1234" may be a serial, not the label "SN" and
    "-1234"), else the labelled form's reason."""
    labelled = _parse_labelled(text)
    if labelled is not None and (labelled.usable or labelled.reason.startswith(_HOLDS)):
        return labelled
    plain = _parse_plain(text)
    return plain if plain.usable or labelled is None else labelled


_HOLDS = not_a_serial("")[: not_a_serial("").index(":") + 1]


def _parse_plain(text: str) -> ScanTarget:
    """A plain value: a serial when it has a serial's shape (see the module doc)."""
    words = text.split()
    if len(words) > 4:  # prose, not a serial printed in groups
        return _no_serial(text)
    value, reason = _check_serial(text)
    if not value:
        return _reject(reason) if reason and reason != BAD_SERIAL else _no_serial(text)
    if not serial_shaped(value) or (len(words) > 1 and not any(c.isdigit() for c in value)):
        return _no_serial(text)  # a word too short or long for a serial, or words
    return _target_of([_reading(text, keep_spaces=True)]) or _no_serial(text)
