"""Keeps the outside world out in one place (STYLE.md #10).

- Qt runs offscreen; config, data and logs go to a temporary home, never the real profile.
- Graph and Entra ID are the simulated tenant on loopback (the ``tenant`` fixture); every
  request it receives is validated against Microsoft's OpenAPI description, and a test whose
  client sent anything the contract does not allow fails.
- A test that leaves a QThread running fails.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = tempfile.mkdtemp(prefix="scanner-app-tests-")
os.environ["SCANNER_APP_HOME"] = _HOME
os.environ["SCANNER_APP_SITE_CONFIG"] = str(Path(_HOME) / "no-site-config.toml")
for _key in [
    k
    for k in os.environ
    if k.startswith("SCANNER_APP_") and k not in {"SCANNER_APP_HOME", "SCANNER_APP_SITE_CONFIG"}
]:
    del os.environ[_key]

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO / "tests" / "contracts" / "DeviceManagement.Enrollment.yml"
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path | None:
    """A path under ../shared when the shared folder is beside the checkout, else None."""
    path = SHARED.joinpath(*parts)
    return path if path.exists() else None


# ---- QThreads left running -----------------------------------------------------------------
_started_qthreads: list[object] = []


def _track_qthreads() -> None:
    from PySide6.QtCore import QThread

    if getattr(QThread.start, "_tracked", False):
        return
    original = QThread.start

    def start(self: QThread, *args: object) -> None:
        _started_qthreads.append(self)
        original(self, *args)

    start._tracked = True  # type: ignore[attr-defined]
    QThread.start = start  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    _track_qthreads()


@pytest.fixture(autouse=True)
def _no_thread_left_running() -> Iterator[None]:
    before = set(threading.enumerate())
    _started_qthreads.clear()
    yield
    running = []
    for thread in _started_qthreads:
        try:
            if thread.isRunning() and not thread.wait(5000):  # type: ignore[attr-defined]
                running.append(repr(thread))
        except RuntimeError:  # the C++ object is already gone: not running
            pass
    _started_qthreads.clear()
    assert not running, f"QThread(s) left running after the test: {running}"
    leaked = [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.daemon and not t.join(5) and t.is_alive()
    ]
    assert not leaked, f"thread(s) left running after the test: {leaked}"


# ---- the simulated tenant ------------------------------------------------------------------
@pytest.fixture
def tenant() -> Iterator[object]:
    """A small simulated tenant on a free loopback port, validating against the contract."""
    from scanner_app.core.tenant_sim import SimulatedTenant

    sim = SimulatedTenant(validate_contract=True, contract_path=CONTRACT)
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()
    assert not sim.contract_violations, "\n".join(sim.contract_violations)


@pytest.fixture
def graph(tenant: object) -> object:
    """A GraphClient talking to ``tenant`` with a token it issued."""
    from scanner_app.core.graph.client import GraphClient

    def token(*, force_refresh: bool = False) -> str:
        return str(tenant.issue_token())  # type: ignore[attr-defined]

    return GraphClient(tenant.base_url, token)  # type: ignore[attr-defined]

