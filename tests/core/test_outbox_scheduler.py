"""The outbox's scheduler with jobs that are only a key and a list of steps: it needs nothing
else of a job, keeps each key in order, runs keys side by side, honours waits and their order,
lets a key go when its job holds, and stops on the first error with every claim given back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from scanner_app.core.outbox.scheduler import Claims, End, Later, Next, run_pass

Log = list[tuple[str, str]]


class StepJob:
    """``key`` and ``step()``, nothing more: each step records itself, then says what is next."""

    def __init__(self, key: str, name: str, log: Log, *steps: Callable[[], Next]) -> None:
        self.key, self.name, self.log = key, name, log
        self.steps = list(steps) or [lambda: End.DONE]

    def step(self) -> Next:
        self.log.append((self.key, self.name))
        return self.steps.pop(0)()


def run(jobs: list[StepJob], *, workers: int = 4, claims: Claims | None = None) -> None:
    run_pass(
        jobs, claims=claims or Claims(), clock=time.monotonic, workers=workers, wait_for_keys=False
    )


def test_one_keys_jobs_run_in_order_each_once_the_one_before_is_final() -> None:
    log: Log = []
    soon = lambda: Later(time.monotonic() + 0.02)  # noqa: E731
    jobs = [
        StepJob("dev-1", "first", log, soon, soon, lambda: End.DONE),
        StepJob("dev-1", "second", log),
        StepJob("dev-1", "third", log),
    ]
    run(jobs)
    assert log == [("dev-1", n) for n in ("first", "first", "first", "second", "third")]


def test_keys_proceed_side_by_side_on_several_threads() -> None:
    both = threading.Barrier(2, timeout=5)  # only two steps running at once get past it

    def meet() -> Next:
        both.wait()
        return End.DONE

    log: Log = []
    run([StepJob("dev-1", "a", log, meet), StepJob("dev-2", "b", log, meet)], workers=2)
    assert sorted(log) == [("dev-1", "a"), ("dev-2", "b")]


def test_a_wait_is_honoured_and_due_urgent_steps_go_first() -> None:
    log: Log = []
    start = time.monotonic()
    ran_at: dict[str, float] = {}

    def later(urgent: bool) -> Callable[[], Next]:
        return lambda: Later(start + 0.1, urgent=urgent)

    def done(name: str) -> Callable[[], Next]:
        def step() -> Next:
            ran_at[name] = time.monotonic()
            return End.DONE

        return step

    jobs = [
        StepJob("verify", "v", log, later(False), done("v")),
        StepJob("send", "s", log, later(True), done("s")),
    ]
    run(jobs, workers=1)  # one thread: the order of due steps shows
    assert min(ran_at.values()) >= start + 0.1
    assert log[2:] == [("send", "s"), ("verify", "v")]


def test_hold_lets_the_key_go_and_its_later_jobs_wait_for_the_next_pass() -> None:
    log: Log = []
    claims = Claims()
    jobs = [
        StepJob("dev-1", "held", log, lambda: End.HOLD),
        StepJob("dev-1", "after", log),
        StepJob("dev-2", "other", log),
    ]
    run(jobs, claims=claims)
    assert sorted(log) == [("dev-1", "held"), ("dev-2", "other")]
    assert claims.take("dev-1", wait=False) and claims.take("dev-2", wait=False)


def test_the_first_error_stops_the_pass_and_every_claim_is_given_back() -> None:
    log: Log = []
    claims = Claims()

    def boom() -> Next:
        raise RuntimeError("Graph is away")

    jobs = [
        StepJob("dev-1", "fails", log, boom),
        StepJob("dev-1", "never", log),
        StepJob("dev-2", "waits", log, lambda: Later(time.monotonic() + 30)),
    ]
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="Graph is away"):
        run(jobs, claims=claims, workers=1)
    assert time.monotonic() - started < 5  # the 30 s wait was not waited for
    assert ("dev-1", "never") not in log
    assert claims.take("dev-1", wait=False) and claims.take("dev-2", wait=False)


def test_a_key_another_pass_holds_is_left_to_it_or_waited_for() -> None:
    claims = Claims()
    assert claims.take("dev-1", wait=False)
    log: Log = []
    run([StepJob("dev-1", "skipped", log), StepJob("dev-2", "ran", log)], claims=claims)
    assert log == [("dev-2", "ran")]

    waiting = threading.Thread(
        target=run_pass,
        args=([StepJob("dev-1", "waited", log)],),
        kwargs={"claims": claims, "clock": time.monotonic, "workers": 1, "wait_for_keys": True},
    )
    waiting.start()
    waiting.join(0.1)
    assert waiting.is_alive() and ("dev-1", "waited") not in log
    claims.give_back("dev-1")
    waiting.join(5)
    assert not waiting.is_alive() and log[-1] == ("dev-1", "waited")
