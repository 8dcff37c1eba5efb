"""`lookup` and `assign` against a Graph-compatible endpoint and identity provider over HTTPS,
as on a real tenant: device-code sign-in on the first run (code and link on stderr, nothing else
to do), the cached sign-in reused on the next, and no token in any output or log file."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.cli import main
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.tenant_sim.identity import SimulatedIdentityProvider
from scanner_app.core.tenant_sim.seed import demo_labels


@pytest.fixture
def real_like(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    tenant = SimulatedTenant(validate_contract=True)
    base_url = tenant.start(tls=True)
    idp = SimulatedIdentityProvider(
        tenant.tokens, list(tenant.users.values()), cert=tenant.cert_pair
    )
    idp.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tenant.cert_path))
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    try:
        yield [
            "--graph-endpoint", base_url,
            "--authority-host", idp.authority.rsplit("/", 1)[0],
            "--tenant", idp.tenant,
            "--client-id", idp.client_id,
        ]  # fmt: skip
    finally:
        idp.stop()
        tenant.stop()
    assert not tenant.contract_violations


def test_device_code_once_then_the_cached_sign_in(
    real_like: list[str], capsys: Any, caplog: Any, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)  # every record any module or library logs, at any level
    serial = str(demo_labels()[0]["serial"])
    assert main(["lookup", serial, *real_like]) == 0
    first = capsys.readouterr()
    assert serial.upper() in first.out.upper()
    assert "devicelogin" in first.err and "enter the code" in first.err

    assert main(["assign", serial, "--group-tag", "Bench-Real", *real_like]) == 0
    second = capsys.readouterr()
    assert "verified" in second.out
    assert "devicelogin" not in second.err  # the cached sign-in, silently refreshed if needed

    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "logs").glob("*.log"))
    assert "msal" in caplog.text.lower() or caplog.records  # the log really was captured
    for text in (first.out, first.err, second.out, second.err, logs, caplog.text):
        assert "eyJ" not in text  # no JWT (access or id token) anywhere
