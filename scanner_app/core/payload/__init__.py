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

Modules: ``parser`` (the two entry points and the order above), ``safety`` (size, character
and JSON guards), ``reasons`` (rejection texts), ``serials`` (the value rules, labelled and
plain text), ``rules`` (1), ``autopilot`` (2), ``urls`` (3), ``labels`` (4). Import from the
package, not from these modules.
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
    normalise_serial,
    valid_hardware_hash,
    valid_serial,
    valid_ztd_id,
)

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
    "parse",
    "valid_hardware_hash",
    "valid_serial",
    "valid_ztd_id",
]
