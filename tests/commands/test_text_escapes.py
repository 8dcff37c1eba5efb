"""Text from outside reaches the terminal with its control and bidi characters made visible.

A display name or group tag in Intune, a file name, a fault spec: any of them can hold
``ESC ] 0 ; … BEL`` (retitles the terminal), ``ESC [ 2 J`` (clears it) or U+202E (shows what
follows backwards). Every command prints them as escapes (``\\x1b``, ``\\u202e``), and ``--json``
stays exact JSON that holds the original text.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import pytest

from .conftest import Bench, run_cli

#: What a hostile or careless admin could type into a device's name or group tag in Intune.
EVIL = "Kiosk\x1b]0;pwned\x07\x1b[2J\u202egnp.exe\u200b\x9b"
#: How the operator must see it: every invisible character as its escape, the rest as it is.
SHOWN = "Kiosk\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp.exe\\u200b\\x9b"
#: Characters that must never reach a terminal raw.
RAW = ("\x1b", "\x07", "\u202e", "\u200b", "\x9b")
SERIAL = "EVIL0001X"


def no_raw(text: str) -> bool:
    return not any(c in text for c in RAW)


@pytest.fixture
def hostile(bench: Bench) -> Bench:
    """A device whose group tag and display name hold terminal escapes and a bidi override."""
    record = copy.deepcopy(next(iter(bench.tenant.devices.values())))
    record.update(id=str(uuid.uuid4()), serialNumber=SERIAL, groupTag=EVIL, displayName=EVIL)
    bench.tenant.store.add_device(record)
    return bench


def test_visible_escapes_controls_bidi_and_zero_width_and_keeps_the_rest() -> None:
    from scanner_app.commands._text import visible

    assert visible(EVIL) == SHOWN
    assert visible("line\nbreak\ttab\x7f\x00") == "line\\nbreak\\ttab\\x7f\\x00"
    assert visible("\u2066a\u2069\u202ab\u202c\ufeff\u00a0") == (
        "\\u2066a\\u2069\\u202ab\\u202c\\ufeff\\xa0"
    )
    assert visible("bad byte \udcff, tag \U000e0041") == "bad byte \\udcff, tag \\U000e0041"
    # What is readable stays as it is: accents, other scripts, Windows paths.
    assert visible("Müller 日本 C:\\Users\\op") == "Müller 日本 C:\\Users\\op"
    assert visible("x" * 10, limit=4) == "xxxx..."


def test_lookup_shows_graph_text_escaped(hostile: Bench) -> None:
    ran = hostile.cli("lookup", SERIAL)
    assert ran.code == 0, ran.err
    assert no_raw(ran.out) and no_raw(ran.err)
    assert f"Group tag    {SHOWN}" in ran.out
    assert f"Name         {SHOWN}" in ran.out


def test_lookup_json_is_exact_and_safe_on_a_terminal(hostile: Bench) -> None:
    ran = hostile.cli("lookup", "--json", SERIAL)
    assert ran.code == 0, ran.err
    assert no_raw(ran.out)  # every non-ASCII character is a \\u escape inside the JSON
    (device,) = json.loads(ran.out)["devices"]
    assert device["group_tag"] == EVIL and device["display_name"] == EVIL


def test_assign_shows_graph_text_escaped(hostile: Bench) -> None:
    ran = hostile.cli("assign", SERIAL, "--group-tag", "Kiosk")
    assert ran.code == 0, ran.err
    assert no_raw(ran.out) and no_raw(ran.err)
    assert f"Name         {SHOWN}" in ran.out


def test_a_file_name_in_an_error_is_escaped(tmp_path: Path) -> None:
    config = tmp_path / f"{EVIL}.toml"
    config.write_text("tenant = \n", encoding="utf-8")  # not valid TOML
    ran = run_cli("lookup", "--config", str(config), "5CG1234XYZ")
    assert ran.code == 2
    (line,) = ran.err_lines
    assert no_raw(line)
    assert f"{SHOWN}.toml" in line and "not valid TOML" in line


def test_doctor_shows_paths_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / EVIL
    monkeypatch.setenv("SCANNER_APP_HOME", str(home))
    ran = run_cli("doctor")
    assert no_raw(ran.out) and no_raw(ran.err)
    assert str(tmp_path / SHOWN / "data") in ran.out


def test_bench_shows_a_missing_file_name_escaped(tmp_path: Path) -> None:
    ran = run_cli("bench", str(tmp_path / f"{EVIL}.mp4"), "--seconds", "0.1")
    assert ran.code == 2
    assert no_raw(ran.err) and no_raw(ran.out)
    assert SHOWN in ran.err


def test_simulate_shows_a_fault_path_escaped() -> None:
    ran = run_cli("simulate", "--fault", f"error:path=/{EVIL}", "--duration", "0.01")
    assert ran.code == 0, ran.err
    assert no_raw(ran.out) and no_raw(ran.err)
    assert f"on /{SHOWN}" in ran.out  # "Faults: error x1 on <path>"


def test_whoami_shows_the_sign_in_file_escaped(
    bench: Bench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path / EVIL))
    bench.sign_in_and_remember(bench.serials[0])
    ran = bench.cli("whoami")
    assert ran.code == 0, ran.err
    assert no_raw(ran.out) and no_raw(ran.err)
    assert SHOWN in ran.err  # "Sign-in kept ...: <path>"
