"""Random bench sessions for hypothesis: which actions, how often, and how they are drawn."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from scanner_app.core.bench import Source as Src
from tests.core.bench.actions import (
    Action,
    Answer,
    Applied,
    Arrives,
    Blocks,
    Camera,
    DirectoryAnswers,
    Enter,
    GroupTag,
    Handles,
    Highlight,
    Misread,
    Pick,
    PickUser,
    Read,
    Skip,
    TwoLabels,
    TypesUser,
    UserText,
    Wait,
)
from tests.core.bench.world import DEVICES, GROUP_TAGS, LABELS, USER_TEXTS

# Each part is one or more small spaces of concrete actions (every combination of a few values);
# an action is drawn as at most two integers (which space, which combination), so drawing is
# cheap (over 10,000 sessions fit in CI time) and shrinks towards simple actions.
WAIT_MS = (50, 0, 120, 300, 500, 700, 790, 799, 800, 801, 810, 1000, 1200, 2000, 3000)
ANSWERS = ("found", "several", "not-found", "failed", "raised", "offline", "offline-several")
LIKELY = ("found",) * 6 + ("offline",) * 2 + ANSWERS  # what a look-up mostly answers
OUTCOMES = ("verified", "accepted", "pending", "conflict", "failed", "nothing-to-do", "raised")
N_LABELS, N_DEVICES, SOURCES = range(len(LABELS)), range(len(DEVICES)), tuple(Src)


@dataclass(frozen=True)
class Space:
    """Every ``make(a, b, …)`` for ``a`` in the first domain, ``b`` in the second…"""

    make: Callable[..., Action]
    domains: tuple[Sequence[object], ...]

    def __len__(self) -> int:
        return math.prod(len(d) for d in self.domains)

    def at(self, n: int) -> Action:
        values = []
        for domain in self.domains:
            n, i = divmod(n, len(domain))
            values.append(domain[i])
        return self.make(*values)


def space(make: Callable[..., Action], *domains: Sequence[object]) -> Space:
    return Space(make, domains)


PARTS: dict[str, tuple[Space, ...]] = {
    "reads": (space(Read, N_LABELS, SOURCES), space(Arrives, N_LABELS, SOURCES, LIKELY, N_DEVICES)),
    "handles": (space(Handles, N_LABELS, SOURCES, LIKELY, N_DEVICES, WAIT_MS),),
    "answers": (space(Answer, ANSWERS, N_DEVICES, (False, True)),),
    "misreads": (
        space(Misread, (0, 1), SOURCES),
        space(Blocks, (1, 2), (3,)),
        space(TwoLabels),
    ),
    "enter": (space(Enter),),
    "waits": (space(Wait, WAIT_MS),),
    "skip": (space(Skip),),
    "matches": (space(Highlight, range(4)), space(Pick, range(4))),
    "group_tags": (space(GroupTag, GROUP_TAGS),),
    "users": (
        space(UserText, USER_TEXTS),
        space(DirectoryAnswers, (False, True)),
        space(PickUser, range(3)),
    ),
    # The User field as an operator mostly fills it: typed, answered, picked from the list.
    "typed_users": (space(TypesUser, USER_TEXTS, (None, 0, 1, 2, 0)),),
    "results": (space(Applied, OUTCOMES),),
    "cameras": (space(Camera, (True, False)),),
}


def sessions(**weights: int) -> st.SearchStrategy[list[Action]]:
    """Random sessions of up to 45 actions mixed by ``weights`` (``enter=3``: Enter three
    times as likely as each kind of action in a part of weight 1). Drawn by hand rather than
    with ``st.lists``: one number for the length, one per action, and one more only for actions
    with variants, which keeps a session to ~40 choices (over 10,000 sessions fit in CI time).
    Choice 0 is "no action", so what a failing session does not need shrinks away instead of
    staying as padding."""
    spaces = [sp for name, weight in weights.items() for _ in range(weight) for sp in PARTS[name]]
    which = st.integers(0, len(spaces))
    variant = st.integers(0, 4095)

    @st.composite
    def session(draw: st.DrawFn) -> list[Action]:
        actions = []
        for _ in range(draw(st.integers(2, 45))):
            n = draw(which)
            if n == 0:
                continue
            chosen = spaces[n - 1]
            v = draw(variant) if len(chosen) > 1 else 0
            # Spread the (mostly small) drawn number over the combinations: 0 stays 0.
            actions.append(chosen.at(v * 0x9E3779B1 % len(chosen)))
        return actions

    return session()
