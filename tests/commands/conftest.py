"""Running the CLI as a user would, and a tenant that behaves like a real one.

``run_cli`` runs ``scanner-app ARGS…`` in this process and fails the test when anything a user
would see holds a traceback: stdout, stderr, the console log (WARNING and up, as the CLI shows
it) or an exception escaping ``main`` (Python would print it). ``bench`` is a Graph-compatible
endpoint and identity provider over HTTPS, as on a real tenant (real MSAL, device-code sign-in
approved at once), that a test can take off the network, put behind a certificate nobody
trusts, or revoke the sign-in of.
"""

from __future__ import annotations

import io
import logging
import time
import traceback
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from scanner_app.cli import main
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.tenant_sim.identity import SimulatedIdentityProvider
from scanner_app.core.tenant_sim.seed import demo_labels


@dataclass(frozen=True)
class Ran:
    """One CLI run: exit code, what it printed, what it logged to the console, how long."""

    argv: tuple[str, ...]
    code: int
    out: str
    err: str
    console_log: str
    seconds: float

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_cli(*argv: str) -> Ran:
    """``scanner-app *argv`` in this process; the test fails on a traceback anywhere."""
    out, err, console = io.StringIO(), io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(console)  # what the CLI's console handler would show
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    # The CLI's own console handler writes to whatever sys.stderr is (scanner_app.logs), so
    # what it shows lands in ``err`` below, as an operator would see it.
    root.addHandler(handler)
    started = time.perf_counter()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = int(main(list(argv)))
            except SystemExit as exc:  # argparse: usage errors
                code = int(exc.code or 0)
            except Exception:  # what Python would print before exiting with 1
                err.write(traceback.format_exc())
                code = 1
    finally:
        root.removeHandler(handler)
    ran = Ran(
        tuple(argv), code, out.getvalue(), err.getvalue(), console.getvalue(),
        time.perf_counter() - started,
    )  # fmt: skip
    for name, text in (("stdout", ran.out), ("stderr", ran.err), ("log", ran.console_log)):
        assert "Traceback" not in text, f"{' '.join(argv)}: a traceback on {name}:\n{text}"
    return ran


@dataclass
class Bench:
    """A real-like tenant (Graph + identity provider over HTTPS) and the CLI flags for it."""

    tenant: SimulatedTenant
    idp: SimulatedIdentityProvider
    args: list[str]
    serials: list[str] = field(default_factory=list)

    def cli(self, *argv: str) -> Ran:
        return run_cli(*argv, *self.args)

    def sign_in_and_remember(self, serial: str) -> None:
        """The first look-up signs in (device code) and puts the device in the offline cache."""
        ran = self.cli("lookup", serial)
        assert ran.code == 0, ran.err
        assert "enter the code" in ran.err

    def off_the_network(self) -> None:
        """Graph and the sign-in server gone: connections are refused, like a dead Wi-Fi."""
        self.idp.stop()
        self.tenant.stop()


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bench]:
    tenant = SimulatedTenant(validate_contract=True)
    base_url = tenant.start(tls=True)
    idp = SimulatedIdentityProvider(
        tenant.tokens, list(tenant.users.values()), cert=tenant.cert_pair
    )
    idp.device_code_pending_polls = 0  # the "user" approves before the first poll
    idp.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tenant.cert_path))
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path))
    args = [
        "--graph-endpoint", base_url,
        "--authority-host", idp.authority.rsplit("/", 1)[0],
        "--tenant", idp.tenant,
        "--client-id", idp.client_id,
    ]  # fmt: skip
    serials = [str(label["serial"]) for label in demo_labels()]
    try:
        yield Bench(tenant, idp, args, serials)
    finally:
        idp.stop()
        tenant.stop()
    assert not tenant.contract_violations, "\n".join(tenant.contract_violations)
