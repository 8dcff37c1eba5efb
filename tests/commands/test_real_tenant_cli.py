"""`lookup` and `assign` against a Graph-compatible endpoint and identity provider over HTTPS,
as on a real tenant: device-code sign-in on the first run (code and link on stderr, nothing else
to do), the cached sign-in reused on the next, and no token in any output or log file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .conftest import Bench


def test_device_code_once_then_the_cached_sign_in(
    bench: Bench, caplog: Any, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)  # every record any module or library logs, at any level
    serial = bench.serials[0]
    first = bench.cli("lookup", serial)
    assert first.code == 0
    assert serial.upper() in first.out.upper()
    assert "devicelogin" in first.err and "enter the code" in first.err

    second = bench.cli("assign", serial, "--group-tag", "Bench-Real")
    assert second.code == 0
    assert "verified" in second.out
    assert "devicelogin" not in second.err  # the cached sign-in, silently refreshed if needed

    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "logs").glob("*.log"))
    assert "msal" in caplog.text.lower() or caplog.records  # the log really was captured
    for text in (first.out, first.err, second.out, second.err, logs, caplog.text):
        assert "eyJ" not in text  # no JWT (access or id token) anywhere
