"""One RetryPolicy holds the outbox's numbers: its defaults are the ones the outbox was measured
with, and the steps, the learned lag and the background loop wait exactly what it says."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.core.graph.errors import GraphUnreachable
from scanner_app.core.journal.journal import Journal
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.outbox import Backoff, Offline, Outbox, OutboxStatus, RetryPolicy
from scanner_app.core.outbox.delivery import Delivery, Lag
from scanner_app.core.outbox.pacing import WriteLimiter

DEVICE = AutopilotDevice(id="dev-1", serial_number="SN1", group_tag="OLD")


def waits(backoff: Backoff, n: int) -> list[float]:
    out, wait = [], 0.0
    for _ in range(n):
        wait = backoff.after(wait)
        out.append(wait)
    return out


def test_the_defaults_are_the_numbers_the_outbox_was_measured_with() -> None:
    assert RetryPolicy() == RetryPolicy(
        verify_timeout=30.0,
        poll=Backoff(0.25, 1.5, 2.0),
        lag_shrink=0.8,
        lag_most=5.0,
        lag_share=0.25,
        read_retries=0,
        read_backoff=Backoff(1.0, 2.0, 30.0),
        max_sends=3,
        reread_after=2.0,
        wake_early=1.5,
        slot_recheck=0.01,
        idle=5.0,
        offline=Backoff(1.0, 2.0, 60.0),
        tick=0.05,
    )
    assert waits(RetryPolicy().poll, 7) == [0.25, 0.375, 0.5625, 0.84375, 1.265625, 1.8984375, 2.0]
    assert waits(RetryPolicy().offline, 8) == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    assert waits(RetryPolicy().read_backoff, 6) == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0]


def test_the_policy_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RetryPolicy().idle = 1.0  # type: ignore[misc]


def test_the_learned_lag_keeps_within_the_policys_bounds() -> None:
    policy = RetryPolicy(verify_timeout=8.0)
    lag = Lag()
    lag.learn(1.5, first_look=False, policy=policy)
    assert lag.seconds == 1.5
    lag.learn(0.0, first_look=True, policy=policy)  # shown at the first look: look earlier
    assert lag.seconds == pytest.approx(1.2)
    lag.learn(9.0, first_look=False, policy=policy)
    assert lag.seconds == 2.0  # a quarter of verify_timeout
    lag.learn(9.0, first_look=False, policy=RetryPolicy())
    assert lag.seconds == 5.0  # never more than lag_most


class AwayThenBack:
    """Graph unreachable for the first ``away`` reads, then showing ``device``."""

    def __init__(self, away: int, device: AutopilotDevice = DEVICE) -> None:
        self.away, self.device = away, device

    def get(self, device_id: str) -> AutopilotDevice:
        if self.away:
            self.away -= 1
            raise GraphUnreachable(0, "", "no route to host")
        return self.device

    def update(self, device_id: str, change: DeviceChange) -> str:
        raise AssertionError("nothing is sent in these tests")


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    journal = Journal(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


def delivery(
    journal: Journal, graph: AwayThenBack, policy: RetryPolicy, slept: list[float]
) -> Delivery:
    limiter = WriteLimiter(100, 20.0, lambda: 0.0, recheck=policy.slot_recheck)
    return Delivery(
        journal, graph, policy=policy, limiter=limiter, lag=Lag(), clock=lambda: 0.0,
        sleep=slept.append,
    )  # fmt: skip


def test_a_failed_reread_is_tried_again_after_the_policys_waits(journal: Journal) -> None:
    policy = RetryPolicy(read_retries=3, read_backoff=Backoff(0.5, 3.0, 2.0))
    entry = journal.get(
        journal.record(DEVICE, DeviceChange(group_tag="NEW"), operator="", tenant="")
    )
    slept: list[float] = []
    assert delivery(journal, AwayThenBack(away=3), policy, slept).read(entry) == DEVICE
    assert slept == [0.5, 1.5, 2.0]
    slept.clear()
    with pytest.raises(Offline):  # one failure more than read_retries: the pass stops
        delivery(journal, AwayThenBack(away=4), policy, slept).read(entry)
    assert slept == [0.5, 1.5, 2.0]


def test_the_background_loop_backs_off_and_idles_as_the_policy_says(journal: Journal) -> None:
    policy = RetryPolicy(offline=Backoff(0.01, 2.0, 0.04), idle=0.02, tick=0.005)
    shown = dataclasses.replace(DEVICE, group_tag="NEW")  # back: it shows, nothing to send
    outbox = Outbox(journal, AwayThenBack(away=4, device=shown), policy=policy)
    outbox.enqueue(DEVICE, DeviceChange(group_tag="NEW"))
    stop = threading.Event()
    seen: list[OutboxStatus] = []

    def on_status(status: OutboxStatus) -> None:
        seen.append(status)
        if len(seen) == 5:
            stop.set()

    outbox.run_forever(stop, on_status=on_status)
    # Graph away for four passes: 0.01, 0.02, 0.04, 0.04 (the most); then back: idle.
    assert [s.retry_in for s in seen] == [0.01, 0.02, 0.04, 0.04, 0.02]
    assert [s.online for s in seen] == [False] * 4 + [True]
