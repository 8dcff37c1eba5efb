"""`scanner-app simulate` runs the tenant alone and tells the operator how to use it."""

from __future__ import annotations

import re

import pytest

from scanner_app.cli import main


def test_simulate_prints_the_endpoint_and_stops_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", "--devices", "5", "--users", "3", "--duration", "0.2",
                 "--fault", "429:count=2:retry_after=1", "--latency", "5"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"Graph endpoint:\s+http://127\.0\.0\.1:\d+", out)
    assert "Faults: throttle x2 on *; latency" in out
    assert "Stopped after 0 request(s)." in out


def test_a_bad_fault_spec_is_refused_plainly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--fault", "explode", "--duration", "0.1"]) == 2
    assert "unknown fault kind" in capsys.readouterr().err
