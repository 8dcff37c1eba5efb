"""`scanner-app lookup` and `assign` on the demo tenant, as a script would call them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scanner_app.cli import main
from scanner_app.core.tenant_sim.seed import demo_labels


@pytest.fixture
def serial() -> str:
    return str(demo_labels()[0]["serial"])


def test_lookup_prints_the_device_as_json(capsys: Any, serial: str) -> None:
    assert main(["lookup", "--demo", "--json", serial]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [d["serial_number"].upper() for d in out["devices"]] == [serial.upper()]


def test_flags_before_the_subcommand_count_too(capsys: Any, serial: str) -> None:
    assert main(["--demo", "lookup", serial]) == 0
    assert serial.upper() in capsys.readouterr().out.upper()


def test_assign_journals_applies_and_verifies(capsys: Any, serial: str) -> None:
    code = main(["assign", "--demo", "--json", serial, "--group-tag", "Bench-CLI"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["state"] == "verified"
    assert out["device"]["group_tag"] == "Bench-CLI"


def test_unknown_serial_exits_3_and_says_so(capsys: Any) -> None:
    assert main(["lookup", "--demo", "NOSUCH42"]) == 3
    assert "No Autopilot device found" in capsys.readouterr().out


@pytest.mark.parametrize("payload", ["X' or 1 eq 1 or '", "a\u202eb", ""])
def test_hostile_input_is_refused_before_any_request(capsys: Any, payload: str) -> None:
    assert main(["lookup", "--demo", payload]) == 2
    assert "scanner-app:" in capsys.readouterr().err


def test_assign_needs_something_to_assign(capsys: Any, serial: str) -> None:
    assert main(["assign", "--demo", serial]) == 2
    assert "nothing to assign" in capsys.readouterr().err


def test_unbuilt_real_tenant_settings_are_a_clear_error(capsys: Any, serial: str) -> None:
    assert main(["lookup", serial]) == 2
    assert "tenant" in capsys.readouterr().err
