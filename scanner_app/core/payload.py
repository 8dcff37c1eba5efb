"""Symbol text -> ScanTarget: what a scanned code asks the app to look up, or why it cannot.

Every symbol the camera reads is untrusted input: a label can be damaged, a QR code can be made
by anyone. So this module turns text into one of three clean values (a normalised serial number,
an Autopilot device id (ZtdId) or an Autopilot hardware hash) or into a rejection whose reason an
operator understands. Nothing it returns carries raw symbol text: a serial is only accepted when
it consists of the characters serial numbers really use, a ZtdId only when it is a GUID, a hash
only when it is base64, and rejection reasons show at most a short, sanitised preview.

Forms understood, in this order:

1. extra regex rules from settings (:class:`PayloadRules`), so a site can teach the app its own
   asset labels without a code change;
2. JSON: the Autopilot pre-provisioning ``BlockSequence`` object (also flat, also wrapped as a
   JSON-encoded string), or an object with a serial-number field;
3. web links carrying the serial as a query parameter (``?sn=``, ``?serialnumber=``...) or as a
   path segment after ``/servicetag/`` (Dell support links);
4. ISO/IEC 15434 envelopes (``[)>`` RS ``06``...) with the ANSI MH10.8.2 data identifier ``S``
   (serial number), and GS1 element strings with application identifier ``(21)`` (serial number);
5. labelled text: ``S/N:``, ``SN``, ``Serial No.``, ``Serial Number:``, ``Service Tag:``..., alone
   or as one of several ``key: value`` lines or ``;``-separated pairs;
6. a plain serial number.

Multi-block Autopilot codes (``TotalBlocks > 1``) are collected across frames by
:class:`SequenceAssembler`; :func:`parse` alone answers "keep the code in view".
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from scanner_app.core.models import ScanTarget

log = logging.getLogger(__name__)

#: Longest text accepted. A QR code holds at most 7,089 characters (numeric mode); anything
#: longer did not come from one symbol.
MAX_TEXT = 7_100
#: The Autopilot JSON is two levels deep; a little slack, then refuse before json.loads recurses.
MAX_JSON_DEPTH = 8
#: A hardware hash is a few kB of base64; 32 QR codes of ~2.9 kB each is far more than any needs.
MAX_BLOCKS = 32
MAX_RULES = 50

# --- the rules a value must pass ------------------------------------------------------------

#: A normalised serial: 3-64 of A-Z 0-9 . _ / -, starting with a letter or digit, and no ".." or
#: "//" (no real serial has them; they only make a value look like a path).
_SERIAL = re.compile(r"(?!.*(?:\.\.|//))[A-Z0-9][A-Z0-9._/-]{2,63}", re.ASCII)
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}", re.ASCII)
#: Control characters that real label formats use as separators (ISO/IEC 15434, GS1 FNC1).
_SEPARATORS = "\t\n\r\x04\x1d\x1e"


def normalise_serial(text: str) -> str:
    """The one normalisation rule for serial numbers, used by the parser, Graph and the simulator.

    Trim, remove every inner whitespace character, upper-case. Hyphens, dots, slashes and
    underscores are kept: some manufacturers put them in the serial number itself, so removing
    them could make two devices compare equal. (Lenovo prints "S/N PF-1ABCDE" while the device
    reports "PF1ABCDE": such a label matches through its barcode, not the printed text.)
    """
    return "".join(text.split()).upper()


def valid_serial(value: str) -> bool:
    """True for a normalised serial the app will look up (see ``_SERIAL``)."""
    return _SERIAL.fullmatch(value) is not None


def valid_ztd_id(value: str) -> bool:
    """True for a ZtdId as the parser returns it: a lower-case GUID without braces."""
    return _GUID.fullmatch(value) is not None


def valid_hardware_hash(value: str) -> bool:
    """True for a hardware hash as the parser returns it: non-empty, well-formed base64."""
    if not value or len(value) % 4 or _BASE64.fullmatch(value) is None:
        return False
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


# --- rejection reasons: short sentences for the operator, never raw symbol text -------------

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
NO_GS1_SERIAL = "This GS1 code carries no serial number (AI 21)."
INTERNAL = "This code could not be read; try again or type the serial number."


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


def _hidden_characters(text: str) -> bool:
    """True when ``text`` has control, format (bidi, zero-width), private or unassigned chars."""
    for c in text:
        if c.isascii():
            if (c < " " or c == "\x7f") and c not in _SEPARATORS:
                return True
        elif unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            return True
    return False


def _clean(text: str) -> str:
    """Strip surrounding whitespace and byte-order marks (Windows tools often write one)."""
    return text.strip().lstrip("\ufeff").strip()


def _serial_target(candidate: str) -> ScanTarget:
    """Apply the serial rule to a candidate value; the one place a serial target is made."""
    joined = "".join(candidate.split())
    if not joined.isascii():  # checked before upper-casing, which maps some letters to ASCII
        return _reject(BAD_SERIAL)
    serial = joined.upper()  # == normalise_serial(candidate)
    if not serial:
        return _no_serial("")
    if len(serial) < 3:
        return _reject(SHORT_SERIAL)
    if len(serial) > 64:
        return _reject(LONG_SERIAL)
    if not valid_serial(serial):
        return _reject(BAD_SERIAL)
    return ScanTarget("serial", value=serial)


def _one_serial(candidates: Iterable[str]) -> ScanTarget | None:
    """The serial named by several candidate values, a rejection if they disagree, else None."""
    targets = [_serial_target(candidate) for candidate in candidates]
    if len({t.value for t in targets if t.usable}) > 1:
        return _reject(AMBIGUOUS)
    return next((t for t in targets if t.usable), targets[0] if targets else None)


# --- extra rules from settings ---------------------------------------------------------------


@dataclass(frozen=True)
class PayloadRules:
    """Site-specific regular expressions with a named group ``serial``, tried before built-ins.

    Build with :meth:`from_strings` (settings hold plain strings); it raises ``ValueError`` with a
    message naming the faulty rule, for the settings module to report. A rule matches anywhere
    in the text (``re.search``); anchor it with ``^``/``$`` to match the whole text. The captured
    serial still has to pass the serial rule.
    """

    patterns: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def from_strings(cls, rules: Iterable[str]) -> PayloadRules:
        compiled: list[re.Pattern[str]] = []
        for number, rule in enumerate(rules, start=1):
            if not isinstance(rule, str) or not rule:
                raise ValueError(f"payload rule {number} is empty or not text")
            if len(rule) > 1000:
                raise ValueError(f"payload rule {number} is longer than 1000 characters")
            try:
                pattern = re.compile(rule)
            except re.error as exc:
                raise ValueError(
                    f"payload rule {number} is not a valid regular expression: {exc}"
                ) from None
            if "serial" not in pattern.groupindex:
                raise ValueError(f"payload rule {number} has no named group (?P<serial>...)")
            compiled.append(pattern)
        if len(compiled) > MAX_RULES:
            raise ValueError(f"at most {MAX_RULES} payload rules are allowed")
        return cls(tuple(compiled))

    def match(self, text: str) -> ScanTarget | None:
        """The serial target of the first rule whose capture passes the serial rule, else None."""
        for pattern in self.patterns:
            m = pattern.search(text)
            captured = m.group("serial") if m else None
            if captured:
                target = _serial_target(captured)
                if target.usable:
                    return target
        return None


# --- JSON --------------------------------------------------------------------------------------


class _DuplicateKey(ValueError):
    pass


def _json_depth(text: str, limit: int) -> int:
    """Nesting depth of JSON text, counted without recursion; stops early past ``limit``."""
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif c in "]}":
            depth -= 1
    return deepest


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Object hook: refuse duplicate keys (also differing only in case: lookups ignore case)."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        folded = key.casefold()
        if folded in obj:
            raise _DuplicateKey(key)
        obj[folded] = value
    return obj


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _integer(digits: str) -> int:
    if len(digits) > 18:
        raise ValueError("integer too long")
    return int(digits)


def _decode_json(text: str) -> tuple[Any, str]:
    """``json.loads`` with the limits untrusted text needs: (value, "") or (None, reason)."""
    if _json_depth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        return None, DEEP_DATA
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_integer
        )
    except _DuplicateKey:
        return None, DUPLICATE
    except (ValueError, RecursionError, OverflowError):
        return None, BAD_DATA
    return value, ""


def _unwrap_json(text: str) -> tuple[Any, str]:
    """Decode JSON text, also when wrapped as a JSON-encoded string: (value, "") or (None, reason).

    A string value comes back only when it is plain text (a quoted serial or label text) for the
    caller to parse as such; it never starts with "{" or a quote, so that cannot loop.
    """
    value, reason = _decode_json(text)
    if reason == BAD_DATA and text.startswith('{\\"'):
        # The JSON-encoded string form with its outer quotes lost: {\"BlockSequence\": ...}
        value, reason = _decode_json('"' + text + '"')
    for _ in range(2):  # unwrap a JSON-encoded string (twice for doubly encoded text)
        if reason or not isinstance(value, str):
            return value, reason
        inner = _clean(value)
        if _hidden_characters(inner):
            return None, HIDDEN
        if not inner.startswith(("{", '"')):
            return inner, ""
        value, reason = _decode_json(inner)
    return (None, NOT_AUTOPILOT) if isinstance(value, str) else (value, reason)


def _parse_json(text: str, rules: PayloadRules | None) -> ScanTarget:
    value, reason = _unwrap_json(text)
    if reason:
        return _reject(reason)
    if isinstance(value, str):
        return _parse_text(value, rules)
    if not isinstance(value, dict):
        return _reject(NOT_AUTOPILOT)
    block = _block_from_object(value)
    if isinstance(block, ScanTarget):
        return block
    if block is not None:
        return _block_target(block)
    serials = [v for k, v in value.items() if _canonical(k) in _SERIAL_KEYS and isinstance(v, str)]
    return _one_serial(serials) or _reject(NOT_AUTOPILOT)


# --- Autopilot BlockSequence -------------------------------------------------------------------

_AUTOPILOT_KEYS = {"ztdid", "hardwareid", "sequenceblocknumber", "totalblocks"}


@dataclass(frozen=True)
class _Block:
    """One validated block of an Autopilot pre-provisioning code."""

    sequence_id: str
    ztd_id: str
    serial: str
    hardware: str
    number: int
    total: int


def _text_field(fields: dict[str, Any], key: str) -> str | None:
    value = fields.get(key)
    if value is None:
        return ""
    return value if isinstance(value, str) else None


def _int_field(fields: dict[str, Any], key: str) -> int | None:
    value = fields.get(key, 1)
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) <= 4:
        value = int(value.strip())
    return value if isinstance(value, int) else None


def _guid(value: str) -> str:
    """Lower-case a GUID and drop the braces Windows sometimes writes; "" if it is not one."""
    guid = value.strip().strip("{}").lower()
    return guid if valid_ztd_id(guid) else ""


def _block_from_object(obj: dict[str, Any]) -> _Block | ScanTarget | None:
    """A validated block, a rejection, or None when ``obj`` is not an Autopilot code at all."""
    fields = obj.get("blocksequence")
    if not isinstance(fields, dict):
        if fields is not None or not _AUTOPILOT_KEYS & obj.keys():
            return None
        fields = obj  # the flat form Windows builds before wrapping it
    texts = {k: _text_field(fields, k) for k in ("id", "ztdid", "serialnumber", "hardwareid")}
    number = _int_field(fields, "sequenceblocknumber")
    total = _int_field(fields, "totalblocks")
    if any(v is None for v in texts.values()) or number is None or total is None:
        return _reject(BAD_DATA)
    ztd_text, hardware = texts["ztdid"] or "", "".join((texts["hardwareid"] or "").split())
    ztd_id = _guid(ztd_text)
    if ztd_text.strip() and not ztd_id:
        return _reject(BAD_ZTD)
    if not 1 <= number <= total <= MAX_BLOCKS or (
        total > 1 and "sequenceblocknumber" not in fields
    ):
        return _reject(BAD_BLOCKS)
    if hardware and _BASE64.fullmatch(hardware) is None:
        return _reject(BAD_HASH)
    sequence_id = _guid(texts["id"] or "")
    if total > 1 and not ztd_id and not (sequence_id and hardware):
        return _reject(BAD_BLOCKS if hardware else NO_DEVICE)
    serial = _serial_target(texts["serialnumber"] or "")
    return _Block(sequence_id, ztd_id, serial.value, hardware, number, total)


def _block_target(block: _Block) -> ScanTarget:
    """The target of a block read on its own (no assembly)."""
    if block.ztd_id:  # the device id names the device directly; no hash needed
        return ScanTarget("ztd_id", value=block.ztd_id, serial=block.serial)
    if block.total > 1:
        return _reject(keep_in_view(1, block.total), progress=(1, block.total))
    if not block.hardware:
        return _reject(NO_DEVICE)
    if not valid_hardware_hash(block.hardware):
        return _reject(BAD_HASH)
    return ScanTarget("hardware_hash", value=block.hardware, serial=block.serial)


class SequenceAssembler:
    """Collects the blocks of a multi-block Autopilot code across frames into one hardware hash.

    Feed it every symbol text (not only Autopilot ones): other codes are answered by
    :func:`parse`. Blocks may arrive in any order and repeat; a block of another sequence (other
    ``Id`` or ``TotalBlocks``), or a block that contradicts one already held, starts over. While
    collecting, :meth:`feed` returns a rejected target with ``progress=(seen, total)`` and a
    "keep the code in view" reason; when complete, a ``hardware_hash`` target (with the serial
    when a block carries one), and the same target again for further blocks of that sequence.
    """

    def __init__(self, rules: PayloadRules | None = None) -> None:
        self._rules = rules
        self._sequence: tuple[str, int] | None = None
        self._blocks: dict[int, _Block] = {}
        self._done: tuple[tuple[str, int], ScanTarget] | None = None

    @property
    def progress(self) -> tuple[int, int] | None:
        """(blocks seen, total) of the sequence being collected, None when idle."""
        return (len(self._blocks), self._sequence[1]) if self._sequence else None

    def reset(self) -> None:
        self._sequence, self._blocks, self._done = None, {}, None

    def feed(self, text: str) -> ScanTarget:
        try:
            block = _autopilot_block(text)
            if not isinstance(block, _Block) or block.ztd_id or block.total == 1:
                return parse(text, self._rules)
            return self._add(block)
        except Exception:  # noqa: BLE001 - the camera loop must never die on a symbol
            log.exception("assembling an Autopilot code failed (%d characters)", len(text or ""))
            self.reset()
            return _reject(INTERNAL)

    def _add(self, block: _Block) -> ScanTarget:
        key = (block.sequence_id, block.total)
        if self._done and self._done[0] == key:
            return self._done[1]
        held = self._blocks.get(block.number)
        if key != self._sequence or (held is not None and held != block):
            if self._sequence is not None:
                log.info("Autopilot code: a different sequence appeared; starting over")
            self._sequence, self._blocks, self._done = key, {}, None
        self._blocks[block.number] = block
        if len(self._blocks) < block.total:
            return _reject(
                keep_in_view(len(self._blocks), block.total), (len(self._blocks), block.total)
            )
        ordered = [self._blocks[n] for n in range(1, block.total + 1)]
        self._sequence, self._blocks = None, {}
        hardware = "".join(b.hardware for b in ordered)
        if not valid_hardware_hash(hardware):
            return _reject(BAD_HASH)
        serials = {b.serial for b in ordered if b.serial}
        target = ScanTarget(
            "hardware_hash",
            value=hardware,
            serial=serials.pop() if len(serials) == 1 else "",
            progress=(block.total, block.total),
        )
        self._done = (key, target)
        return target


def _autopilot_block(text: str) -> _Block | ScanTarget | None:
    """The Autopilot block in ``text``, a rejection, or None when it is no Autopilot JSON."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    text = _clean(text)
    if not text.startswith(("{", '"')) or _hidden_characters(text):
        return None
    value, reason = _unwrap_json(text)
    if reason or not isinstance(value, dict):
        return None
    return _block_from_object(value)


# --- web links -------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE | re.ASCII)
_SERIAL_KEYS = {
    "serial", "serialnumber", "serialno", "serialnum", "serialnr", "sn", "sno", "snr",
    "servicetag", "svctag", "deviceserial", "deviceserialnumber", "systemserialnumber",
}  # fmt: skip
#: Short parameter names some vendors use; only consulted when no explicit name is present.
_WEAK_KEYS = {"s", "st", "tag", "ser"}


def _canonical(key: str) -> str:
    return "".join(c for c in key.casefold() if c.isalnum())


def _parse_url(text: str) -> ScanTarget:
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        params = parse_qsl(parts.query, max_num_fields=100)
        if parts.scheme.lower() not in ("http", "https"):
            return _reject(NO_URL_SERIAL)
    except ValueError:
        return _reject(BAD_DATA)
    strong = [v for k, v in params if _canonical(k) in _SERIAL_KEYS]
    segments = [unquote(s) for s in parts.path.split("/") if s]
    in_path = [
        segments[i + 1]
        for i, segment in enumerate(segments[:-1])
        if _canonical(segment) in _SERIAL_KEYS
    ]
    weak = [v for k, v in params if _canonical(k) in _WEAK_KEYS]
    for candidates in (strong, in_path, weak):
        target = _one_serial(candidates)
        if target is not None:
            return target
    return _reject(NO_URL_SERIAL)


# --- ISO/IEC 15434 and GS1 ------------------------------------------------------------------

_GS1_HRI = re.compile(r"\((\d{2,4})\)([^()]*)", re.ASCII)
#: GS1 application identifiers with a fixed data length (GS1 General Specifications, 3.2).
_GS1_FIXED = {"00": 18, "01": 14, "02": 14, "11": 6, "12": 6, "13": 6, "15": 6, "16": 6,
              "17": 6, "20": 2}  # fmt: skip
_GS1_VARIABLE = {"10", "21", "22", "30", "37", "90", "91", "92", "93", "94", "95", "96", "97",
                 "98", "99", "240", "241", "250"}  # fmt: skip
_GS1_AIS = _GS1_FIXED.keys() | _GS1_VARIABLE
#: Symbology identifiers that announce GS1 data (ISO/IEC 15424): GS1-128, DataMatrix, QR, DataBar.
_SYMBOLOGY_ID = re.compile(r"\](?:C1|d2|Q3|e0)")
_DATA_IDENTIFIER = re.compile(r"(\d{0,3}[A-Z])(.*)", re.ASCII | re.DOTALL)


def _gs1_elements(data: str) -> list[tuple[str, str]] | None:
    """Split a raw GS1 element string (FNC1 sent as GS) into (AI, value); None if unknown AI."""
    elements, pos = [], 0
    while pos < len(data):
        if data[pos] == "\x1d":
            pos += 1
            continue
        ai = next((data[pos : pos + n] for n in (2, 3) if data[pos : pos + n] in _GS1_AIS), None)
        if ai is None:
            return None
        pos += len(ai)
        if ai in _GS1_FIXED:
            end = pos + _GS1_FIXED[ai]
        else:
            end = data.find("\x1d", pos)
            end = len(data) if end < 0 else end
        elements.append((ai, data[pos:end]))
        pos = end
    return elements


def _parse_gs1(text: str) -> ScanTarget | None:
    """GS1 element strings: "(01)...(21)SERIAL" or, after a symbology id, FNC1-separated."""
    if text.startswith("("):
        elements = [(ai, value.strip()) for ai, value in _GS1_HRI.findall(text)]
    elif _SYMBOLOGY_ID.match(text) or text.startswith("\x1d"):
        elements = _gs1_elements(text[3:] if text.startswith("]") else text) or []
    else:
        return None
    if not elements:
        return None  # not an element string: let the other forms try
    serials = [value for ai, value in elements if ai == "21"]
    return _one_serial(serials) or _reject(NO_GS1_SERIAL)


def _parse_iso15434(text: str) -> ScanTarget:
    """ISO/IEC 15434 envelope: format 06 (ANSI MH10.8.2 identifiers, "S" = serial number) or
    format 05 (GS1 application identifiers)."""
    for tag, char in (("<RS>", "\x1e"), ("<GS>", "\x1d"), ("<EOT>", "\x04")):
        text = text.replace(tag, char)  # readers that show separators as tags
    serials: list[str] = []
    for record in text[3:].split("\x1e"):
        fields = record.rstrip("\x04").split("\x1d")
        if fields[0] == "06":
            for field in fields[1:]:
                m = _DATA_IDENTIFIER.fullmatch(field)
                if m and m.group(1) == "S":
                    serials.append(m.group(2))
        elif fields[0] == "05":
            for ai, value in _gs1_elements("\x1d".join(fields[1:])) or []:
                if ai == "21":
                    serials.append(value)
    return _one_serial(serials) or _no_serial(text)


# --- labelled and plain text -------------------------------------------------------------------

_LABEL = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:device|system|product|unit)[\s_-]*)?"
    r"(?:serial[\s_-]*(?:number|num|nbr|no|nr|\#)?|s\s*/\s*n(?:o|r)?|s/?no|sn|"
    r"service[\s_-]*tag|svc[\s_-]*tag)"
    r"\.?(?![A-Za-z0-9])[ \t]*[:=#]?[ \t]*"
    # the value: digit groups as some labels print them ("1234 5678 9012"), else one word
    r"(?P<value>[0-9]{2,6}(?:[ ][0-9]{2,6})+(?![^\s;|,])|\S+)",
    re.IGNORECASE | re.ASCII,
)
_SEGMENTS = re.compile(r"[\r\n;|,\x1d\x1e]+")


def _parse_labelled(text: str) -> ScanTarget | None:
    """A serial named by a label (``S/N: X``), alone or among other ``key: value`` pairs."""
    segments = [segment for segment in _SEGMENTS.split(text) if segment.strip()]
    values = [
        m.group("value").rstrip(".:")  # "S/N: PF1ABCDE." ends a sentence, not the serial
        for segment in segments
        for m in _LABEL.finditer(segment)
    ]
    if values:
        return _one_serial(values)
    if len(segments) > 1:
        return _no_serial(text)
    return None


def _parse_plain(text: str) -> ScanTarget:
    words = text.split()
    if len(words) > 4:  # prose, not a serial printed in groups
        return _no_serial(text)
    target = _serial_target(text)
    if target.usable and not any(c.isdigit() for c in target.value):
        return _no_serial(text)  # a bare word: serial numbers have digits
    if not target.usable and target.reason == BAD_SERIAL:
        return _no_serial(text)
    return target


def _parse_text(text: str, rules: PayloadRules | None) -> ScanTarget:
    if rules is not None:
        ruled = rules.match(text)
        if ruled is not None:
            return ruled
    if text.startswith("[)>"):
        return _parse_iso15434(text)
    if text.startswith(("{", "[", '"')):
        return _parse_json(text, rules)
    if _URL.fullmatch(text):
        return _parse_url(text)
    gs1 = _parse_gs1(text)
    if gs1 is not None:
        return gs1
    labelled = _parse_labelled(text)
    if labelled is not None and labelled.usable:
        return labelled
    plain = _parse_plain(text)  # "SN-1234" may be a serial, not the label "SN" and "-1234"
    return plain if plain.usable or labelled is None else labelled


def parse(text: str, rules: PayloadRules | None = None) -> ScanTarget:
    """What a symbol's text asks the app to look up. Stateless; never raises.

    ``rules`` are the extra regex rules from settings. A multi-block Autopilot code gives a
    rejected target with ``progress`` and a "keep the code in view" reason: feed such codes to
    a :class:`SequenceAssembler`.
    """
    try:
        if not isinstance(text, str):
            return _reject(BAD_DATA)
        if len(text) > MAX_TEXT:
            return _reject(TOO_LONG)
        text = _clean(text)
        if not text:
            return _reject(EMPTY)
        if _hidden_characters(text):
            return _reject(HIDDEN)
        return _parse_text(text, rules)
    except Exception:  # noqa: BLE001 - a parser bug must not stop the camera loop
        log.exception("payload parser failed on a %d-character code", len(text or ""))
        return _reject(INTERNAL)
