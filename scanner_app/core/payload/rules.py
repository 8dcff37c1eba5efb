"""Site-specific serial rules from settings, so a site can teach the app its own asset labels.

The rules are tried before every built-in form. They come from the settings file, so they are
compiled and checked once, with a message naming the faulty rule, and what they capture still
has to pass the serial rule.

They run on every code the camera reads, and an admin writes them, so they run with RE2
(google-re2), whose time is linear in the text: no rule can make a read hang. With Python's
``re`` a rule such as ``(a|aa)+$`` backtracks exponentially (50 s for one read of a 40-character
code). RE2 has the syntax of ``re`` less the features that need backtracking: look-arounds
(``(?=``, ``(?!``, ``(?<=``, ``(?<!``), back-references (``\\1``, ``(?P=name)``), possessive
and atomic groups, and ``\\Z`` (RE2 writes ``\\z``). A rule using one is refused with what to
change. ``\\d``, ``\\w`` and ``\\s`` are ASCII-only in RE2 (serials are ASCII anyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import re2

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.serials import _serial_target

MAX_RULES = 50
MAX_RULE_LENGTH = 1000

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print its own copy of each error to stderr


def compile_rule(rule: object, number: int = 1) -> Any:
    """One rule compiled with RE2, or ``ValueError`` saying what is wrong with rule ``number``."""
    if not isinstance(rule, str) or not rule:
        raise ValueError(f"payload rule {number} is empty or not text")
    if len(rule) > MAX_RULE_LENGTH:
        raise ValueError(f"payload rule {number} is longer than {MAX_RULE_LENGTH} characters")
    try:
        pattern = re2.compile(rule, _OPTIONS)
    except re2.error as exc:
        raise ValueError(_refusal(rule, number, exc)) from None
    if "serial" not in pattern.groupindex:
        raise ValueError(f"payload rule {number} has no named group (?P<serial>...)")
    return pattern


def _refusal(rule: str, number: int, exc: Exception) -> str:
    """Why RE2 refused ``rule``: a typo (Python's ``re`` refuses it too) or a backtracking-only
    feature (``re`` accepts it), each with the message that helps."""
    try:
        re.compile(rule)
    except (re.error, RecursionError, OverflowError, ValueError) as typo:
        return f"payload rule {number} is not a valid regular expression: {typo}"
    reason = exc.args[0] if exc.args else exc
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", "replace")
    return (
        f"payload rule {number} is not supported by RE2, which runs rules in linear time "
        f"({reason}): write it without look-arounds or back-references, with \\z for \\Z "
        "and repetition counts of at most 1000 (see docs/admin-presets.md)"
    )


@dataclass(frozen=True)
class PayloadRules:
    """Site-specific regular expressions with a named group ``serial``, tried before built-ins.

    Build with :meth:`from_strings` (settings hold plain strings); it raises ``ValueError`` with a
    message naming the faulty rule, for the settings module to report. A rule matches anywhere
    in the text (``search``); anchor it with ``^``/``$`` to match the whole text. The captured
    serial still has to pass the serial rule. Patterns are RE2's (see the module's doc).
    """

    patterns: tuple[Any, ...] = ()

    @classmethod
    def from_strings(cls, rules: Iterable[str]) -> PayloadRules:
        compiled: list[Any] = []
        for number, rule in enumerate(rules, start=1):
            if number > MAX_RULES:
                raise ValueError(f"at most {MAX_RULES} payload rules are allowed")
            compiled.append(compile_rule(rule, number))
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
