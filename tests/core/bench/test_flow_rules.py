"""R1–R5 over random bench sessions: camera reads, typed and wedge scans, look-up answers (found,
several, not found, failed, offline, late), Enter, picks, user typing and the directory's
answers, Skip, apply outcomes and the clock moving on.

Each test plays ``EXAMPLES`` random sessions of up to 45 actions (five tests: 10,500 sessions
in all, about 25 s on a 2-core machine; ``BENCH_FLOW_EXAMPLES`` scales it for a longer local
hunt). A failure prints the shortest session hypothesis found that breaks the rule, step by step.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from hypothesis import HealthCheck, event, given, note, settings

from tests.core.bench import rules
from tests.core.bench.actions import Action
from tests.core.bench.sessions import sessions
from tests.core.bench.world import Bench

EXAMPLES = int(os.environ.get("BENCH_FLOW_EXAMPLES", "2100"))
RULES = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EVERYDAY = dict(reads=1, handles=2, answers=1, enter=3, waits=3, skip=1, group_tags=1,
                typed_users=1, matches=1, misreads=1, results=2)  # fmt: skip


def judged(check: Callable[[Bench], None], actions: list[Action]) -> None:
    """Play ``actions``, then judge the session by ``check`` (on failure, print it step by step)."""
    bench = Bench().play(actions)
    sends = sum(1 for step in bench.steps if step.send is not None)
    event(f"applies per sequence: {min(sends, 3)}{'+' if sends >= 3 else ''}")
    try:
        check(bench)
    except AssertionError:
        note("the session, step by step (ms, action, state, card, banner or what was sent):")
        note(bench.trace())
        raise


@RULES
@given(sessions(**EVERYDAY))
def test_r1_enter_applies_only_to_a_card_that_has_been_on_screen_for_a_while(
    actions: list[Action],
) -> None:
    judged(rules.check_r1, actions)


@RULES
@given(sessions(**(EVERYDAY | dict(matches=4, answers=2))))
def test_r2_with_several_matches_nothing_is_applied_until_the_operator_picks(
    actions: list[Action],
) -> None:
    judged(rules.check_r2, actions)


@RULES
@given(sessions(**(EVERYDAY | dict(users=3, typed_users=2))))
def test_r3_the_user_is_empty_or_exactly_one_directory_user(actions: list[Action]) -> None:
    judged(rules.check_r3, actions)


@RULES
@given(sessions(**(EVERYDAY | dict(misreads=3, cameras=1))))
def test_r4_the_banner_tells_the_story_of_the_card_on_screen(actions: list[Action]) -> None:
    judged(rules.check_r4, actions)


@RULES
@given(sessions(**(EVERYDAY | dict(reads=3, handles=3, skip=0))))
def test_r5_a_new_label_replaces_a_waiting_card_and_r1_to_r4_still_hold(
    actions: list[Action],
) -> None:
    judged(rules.check_all, actions)
