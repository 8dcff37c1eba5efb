"""Symbol text -> ScanTarget: what a scanned code asks the app to look up, or why it cannot.

Every symbol the camera reads is untrusted input: a label can be damaged, a QR code can be made
by anyone. So this module turns text into one of three clean values (a normalised serial number,
an Autopilot device id (ZtdId) or an Autopilot hardware hash) or into a rejection whose reason an
operator understands. Nothing it returns carries raw symbol text: a serial is only accepted when
it consists of the characters serial numbers really use, a ZtdId only when it is a GUID, a hash
only when it is base64, and rejection reasons show at most a short, sanitised preview.

The forms come from the makers' and standards' own documentation (each module names its
sources), not from what a parser happens to accept. A code that can be read more than one way
(an Apple ``S`` code, a Lenovo ``1S`` code, a number that may be a Dell Express Service Code, a
bare GUID) gives one target with several ``readings``, most likely first; the look-up tries
them in at most two requests and says which one found the device. Forms understood, in order:

1. extra regex rules from settings (:class:`PayloadRules`), so a site can teach the app its own
   asset labels without a code change;
2. ISO/IEC 15434 envelopes (``[)>`` RS ``06``...) with the ANSI MH10.8.2 data identifier ``S``
   (``labels``);
3. JSON: the Autopilot pre-provisioning ``BlockSequence`` object (also flat, also wrapped as a
   JSON-encoded string), or an object with a serial-number field (``autopilot``);
4. web links: GS1 Digital Link (``/01/<GTIN>/21/<serial>``), a serial query parameter or a
   path segment after ``/servicetag/`` (``urls``);
5. GS1 element strings with AI ``(21)`` (``vendors.gs1``);
6. whole codes in a maker's form (``vendors``): a bare ZtdId GUID, a VMware or Parallels serial
   with its spaces, Lenovo ``1S`` codes, ``S`` + serial, Dell Express Service Codes; and the
   refusals of codes that hold a product: HP product numbers (``#ABA``), ``1P`` part numbers;
7. labelled text: ``S/N:``, ``Serial No.``, ``Service Tag:``..., alone or among ``key: value``
   pairs; a code whose labels name only a part or product number, type-model, model, UPC or
   SNID is refused with what it holds (``text``);
8. a plain value with a serial's shape (letters only included: Graph decides) (``text``).

Multi-block Autopilot codes (``TotalBlocks > 1``) are collected across frames by
:class:`SequenceAssembler`; :func:`parse` alone answers "keep the code in view".
:func:`same_device` tells whether two codes in view name one device (a label's ``1S`` code and
its S/N barcode, an Acer S/N and its SNID).

Modules: ``parser`` (the two entry points and the order above), ``safety`` (size, character
and JSON guards), ``reasons`` (rejection texts), ``serials`` (the value rules, readings),
``text`` (7, 8), ``rules`` (1), ``autopilot`` (3), ``urls`` (4), ``labels`` (2), ``vendors``
(5, 6). Import from the package, not from these modules.
"""

from __future__ import annotations

from scanner_app.core.payload.autopilot import MAX_BLOCKS
from scanner_app.core.payload.parser import SequenceAssembler, parse
from scanner_app.core.payload.reasons import (
    AMBIGUOUS,
    BAD_BLOCKS,
    BAD_DATA,
    BAD_HASH,
    BAD_SERIAL,
    BAD_ZTD,
    DEEP_DATA,
    DUPLICATE,
    EMPTY,
    HIDDEN,
    INTERNAL,
    LONG_SERIAL,
    NO_DEVICE,
    NO_GS1_SERIAL,
    NO_SERIAL,
    NO_URL_SERIAL,
    NOT_AUTOPILOT,
    SHORT_SERIAL,
    TOO_LONG,
    keep_in_view,
)
from scanner_app.core.payload.rules import MAX_RULES, PayloadRules
from scanner_app.core.payload.safety import MAX_JSON_DEPTH, MAX_TEXT
from scanner_app.core.payload.serials import (
    LETTERS_ONLY,
    normalise_serial,
    valid_hardware_hash,
    valid_serial,
    valid_ztd_id,
)
from scanner_app.core.payload.vendors import same_device
from scanner_app.core.payload.vendors.dell import express_service_code, service_tag

__all__ = [
    "AMBIGUOUS",
    "BAD_BLOCKS",
    "BAD_DATA",
    "BAD_HASH",
    "BAD_SERIAL",
    "BAD_ZTD",
    "DEEP_DATA",
    "DUPLICATE",
    "EMPTY",
    "HIDDEN",
    "LETTERS_ONLY",
    "INTERNAL",
    "LONG_SERIAL",
    "MAX_BLOCKS",
    "MAX_JSON_DEPTH",
    "MAX_RULES",
    "MAX_TEXT",
    "NOT_AUTOPILOT",
    "NO_DEVICE",
    "NO_GS1_SERIAL",
    "NO_SERIAL",
    "NO_URL_SERIAL",
    "SHORT_SERIAL",
    "TOO_LONG",
    "PayloadRules",
    "SequenceAssembler",
    "keep_in_view",
    "normalise_serial",
    "express_service_code",
    "parse",
    "same_device",
    "service_tag",
    "valid_hardware_hash",
    "valid_serial",
    "valid_ztd_id",
]
