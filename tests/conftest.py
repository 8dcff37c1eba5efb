"""Keeps the outside world out in one place (STYLE.md #10).

- Qt runs offscreen; config, data and logs go to a temporary home, never the real profile.
- Graph and Entra ID are the simulated tenant on loopback (the ``tenant`` fixture). Every
  ``SimulatedTenant`` a test creates says ``validate_contract=True``: it checks what it receives
  and answers against Microsoft's OpenAPI description (so do the tenants the app starts for
  itself in-process during a test), and a test during which any of them recorded a violation
  fails (a test that provokes one on purpose clears it).
- A test that leaves a QThread running fails.
- A test marked ``needs_zbar`` skips, saying why, where the zbar library is missing, except in
  CI (``CI`` set), which installs it (.ci/run): there it runs and fails if zbar is missing.
"""

from __future__ import annotations

import os
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# ---- every simulated tenant checks the contract ---------------------------------------------
_tenants: weakref.WeakSet[Any] = weakref.WeakSet()


def _remember_tenants() -> None:
    """Every simulated tenant made during the tests checks the contract and is remembered for
    ``_no_contract_violation``. Tests say ``validate_contract=True`` where they make one; this
    covers the tenants the app makes for itself in-process (``--demo`` services, CLI runs). The
    installed app never validates: openapi-core is a development dependency."""
    from scanner_app.core.tenant_sim import SimulatedTenant

    if getattr(SimulatedTenant.__init__, "_remembering", False):
        return
    original = SimulatedTenant.__init__

    def init(self: SimulatedTenant, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validate_contract", True)
        original(self, *args, **kwargs)
        _tenants.add(self)

    init._remembering = True  # type: ignore[attr-defined]
    SimulatedTenant.__init__ = init  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _no_contract_violation() -> Iterator[None]:
    """Fails the test during which any simulated tenant (its own or a shared one) saw one."""
    before = {id(t): len(t.contract_violations) for t in _tenants}
    yield
    found = [v for t in _tenants for v in t.contract_violations[before.get(id(t), 0) :]]
    assert not found, "the simulated tenant saw a contract violation:\n" + "\n".join(found)


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
    config.addinivalue_line("markers", "needs_zbar: uses the zbar library (the pyzbar engine)")
    _track_qthreads()
    _remember_tenants()


# ---- the zbar library: the README's two commands work without it ----------------------------
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanting = [item for item in items if item.get_closest_marker("needs_zbar")]
    if not wanting or os.environ.get("CI"):
        return  # CI installs libzbar0 (.ci/run): there a missing zbar fails these tests
    from scanner_app.core.vision.engines import available_engines

    reason = available_engines().get("pyzbar")
    if reason:
        why = reason.split(". Install")[0]  # "pyzbar cannot run: the zbar shared library ..."
        skip = pytest.mark.skip(reason=f"{why}; sudo apt install libzbar0 (CI runs this test)")
        for item in wanting:
            item.add_marker(skip)


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


@pytest.fixture
def graph(tenant: object) -> object:
    """A GraphClient talking to ``tenant`` with a token it issued."""
    from scanner_app.core.graph.client import GraphClient

    def token(*, force_refresh: bool = False) -> str:
        return str(tenant.issue_token())  # type: ignore[attr-defined]

    return GraphClient(tenant.base_url, token)  # type: ignore[attr-defined]
