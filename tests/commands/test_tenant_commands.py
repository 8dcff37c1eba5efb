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


def test_assign_to_an_unknown_serial_exits_3_and_changes_nothing(capsys: Any) -> None:
    assert main(["assign", "--demo", "NOSUCH42", "--group-tag", "Bench-CLI"]) == 3
    assert "no Autopilot device found for serial NOSUCH42" in capsys.readouterr().err


def test_assign_to_a_serial_on_two_devices_asks_which_and_changes_nothing(capsys: Any) -> None:
    from scanner_app.core.tenant_sim.seed import make_devices

    devices = make_devices(40)
    twin = devices[1]["serialNumber"]
    ids = sorted(d["id"] for d in devices if d["serialNumber"] == twin)
    assert len(ids) == 2
    assert main(["assign", "--demo", twin, "--group-tag", "Bench-CLI"]) == 4
    err = capsys.readouterr().err
    assert "2 devices match" in err and "nothing changed" in err and ids[0] in err
    code = main(["assign", "--demo", "--json", twin, "--group-tag", "Bench-CLI",
                 "--device-id", ids[1]])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["device"]["id"] == ids[1] and out["state"] == "verified"


def test_sync_asks_intune_to_sync(capsys: Any) -> None:
    assert main(["sync", "--demo"]) == 0
    assert capsys.readouterr().out.strip() == "Sync requested."
