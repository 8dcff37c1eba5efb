"""Fixtures for the Graph client tests: tenants that validate every exchange, clients that
record their waits instead of sleeping, and a clock the tests move by hand."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from scanner_app.core.graph.client import GraphClient
from scanner_app.core.tenant_sim import SimulatedTenant
from tests.conftest import CONTRACT


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class SleepRecorder:
    """Stands in for time.sleep: records every wait, waits for none."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_tenant() -> Iterator[Callable[..., SimulatedTenant]]:
    """Start validating tenants; fail the test if any exchange broke the contract."""
    started: list[SimulatedTenant] = []

    def make(**options: Any) -> SimulatedTenant:
        options.setdefault("contract_path", CONTRACT)
        tenant = SimulatedTenant(validate_contract=True, **options)
        tenant.start()
        started.append(tenant)
        return tenant

    yield make
    for tenant in started:
        tenant.stop()
    for tenant in started:
        assert not tenant.contract_violations, "\n".join(tenant.contract_violations)


@pytest.fixture
def sim(make_tenant: Callable[..., SimulatedTenant]) -> SimulatedTenant:
    return make_tenant()


@pytest.fixture
def make_client(sleeps: SleepRecorder) -> Callable[..., GraphClient]:
    def make(tenant: SimulatedTenant, **options: Any) -> GraphClient:
        options.setdefault("sleep", sleeps)
        options.setdefault("rng", random.Random(7))
        options.setdefault("timeout", 5.0)
        return GraphClient(tenant.base_url, lambda **kw: tenant.issue_token(), **options)

    return make


@pytest.fixture
def client(sim: SimulatedTenant, make_client: Callable[..., GraphClient]) -> GraphClient:
    return make_client(sim)
