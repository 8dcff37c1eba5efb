"""The two entry points: :func:`parse` for one symbol text, :class:`SequenceAssembler` for many.

:func:`parse` applies the input guards, then tries the forms in the order the package
docstring gives, each from its own module; it never raises. :class:`SequenceAssembler` sits
in front of it for the camera loop, collecting multi-block Autopilot codes across frames.
"""

from __future__ import annotations

import logging

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.autopilot import (
    _autopilot_block,
    _Block,
    _block_from_object,
    _block_target,
)
from scanner_app.core.payload.labels import _parse_iso15434
from scanner_app.core.payload.reasons import (
    BAD_DATA,
    BAD_HASH,
    EMPTY,
    HIDDEN,
    INTERNAL,
    NOT_AUTOPILOT,
    TOO_LONG,
    _reject,
    keep_in_view,
)
from scanner_app.core.payload.rules import PayloadRules
from scanner_app.core.payload.safety import MAX_TEXT, _clean, _hidden_characters, _unwrap_json
from scanner_app.core.payload.serials import _one_serial, valid_hardware_hash
from scanner_app.core.payload.text import _parse_words
from scanner_app.core.payload.urls import _SERIAL_KEYS, _URL, _canonical, _parse_url
from scanner_app.core.payload.vendors import vendor_target
from scanner_app.core.payload.vendors.gs1 import parse_element_string

#: Records keep the package's name, as before it was split into modules.
log = logging.getLogger(__package__)


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
    gs1 = parse_element_string(text)
    if gs1 is not None:
        return gs1
    maker = vendor_target(text)
    if maker is not None:
        return maker
    return _parse_words(text)


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
