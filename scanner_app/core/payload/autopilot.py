"""The Autopilot pre-provisioning ``BlockSequence`` JSON: one block, read and validated.

The pre-provisioning screen shows a QR code with the device id (ZtdId) or, in one or more
blocks, the hardware hash. This module turns one decoded JSON object into a validated
:class:`_Block` or a rejection; :class:`~scanner_app.core.payload.parser.SequenceAssembler`
collects the blocks of a multi-block code across frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.reasons import (
    BAD_BLOCKS,
    BAD_DATA,
    BAD_HASH,
    BAD_ZTD,
    NO_DEVICE,
    _reject,
    keep_in_view,
)
from scanner_app.core.payload.safety import MAX_TEXT, _clean, _hidden_characters, _unwrap_json
from scanner_app.core.payload.serials import (
    _BASE64,
    _serial_target,
    valid_hardware_hash,
    valid_ztd_id,
)

#: A hardware hash is a few kB of base64; 32 QR codes of ~2.9 kB each is far more than any needs.
MAX_BLOCKS = 32


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
