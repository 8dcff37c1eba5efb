"""Site-specific serial rules from settings, so a site can teach the app its own asset labels.

The rules are tried before every built-in form. They come from the settings file, so they are
compiled and checked once, with a message naming the faulty rule, and what they capture still
has to pass the serial rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload.serials import _serial_target

MAX_RULES = 50


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
