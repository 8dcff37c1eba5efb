"""An admin's label rules (``payload_rules``) run in linear time: no rule can make a read hang.

They run with RE2. A rule that only a backtracking engine can run is refused when the settings
load, with a message naming the rule and what to write instead, and RE2 prints nothing itself.
"""

from __future__ import annotations

import time

import pytest

from scanner_app.core.payload import PayloadRules, parse

#: Overlapping alternatives under a repeat: with Python's re, each extra character of a code
#: that almost matches doubles the work (a 38-character code took about 15 s, 40 about 40 s).
CATASTROPHIC = r"^(?P<serial>([A-Z0-9]|[A-Z0-9]{2})+)$"


def test_a_catastrophic_rule_reads_a_near_miss_at_once() -> None:
    rules = PayloadRules.from_strings([CATASTROPHIC])
    near_miss = ("5CG1234XYZ" * 4)[:38] + "!"  # almost the rule's shape, then it fails
    started = time.perf_counter()
    target = parse(near_miss, rules)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"one read took {elapsed:.1f} s"
    assert target.kind == "rejected"
    assert parse("5CG1234XYZ", rules).value == "5CG1234XYZ"  # the rule still works


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (r"(?<=SN:)(?P<serial>[A-Z0-9]+)", "(?<="),  # look-behind
        (r"^(?P<serial>[A-Z0-9]+)(?=;)", "(?="),  # look-ahead
        (r"^(?P<p>[A-Z])(?P<serial>[A-Z0-9]+)(?P=p)$", "(?P"),  # back-reference by name
        (r"^([A-Z])(?P<serial>[A-Z0-9]+)\1$", "\\1"),  # back-reference by number
        (r"^(?P<serial>[A-Z0-9]+)\Z", r"\Z"),
    ],
)
def test_a_rule_only_backtracking_can_run_is_refused_with_what_to_do(
    rule: str, words: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError) as info:
        PayloadRules.from_strings([r"^SN:(?P<serial>\w+)$", rule])
    message = str(info.value)
    assert message.startswith("payload rule 2 is not supported by RE2")
    assert words in message and "look-arounds" in message and "docs/admin-presets.md" in message
    assert capfd.readouterr().err == ""  # RE2's own logging stays quiet
