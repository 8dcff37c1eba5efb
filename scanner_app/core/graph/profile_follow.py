"""Follow a device's Autopilot profile assignment until it settles, so the card shows it move.

Bench staff tag a device so that Intune assigns the right Autopilot profile; assignment takes
a while (seconds in the demo, minutes on a real tenant: "Assigning", then "Assigned"). After a
card appears, and again after a verified change, the GUI runs ``follow_profile`` on a worker:
it reads the profile (``AutopilotService.profile``, one beta request), reports every reading,
and reads again with growing pauses while it is worth it, never past ``bound`` seconds.

When it stops:
- on a plain look-up, as soon as the assignment is not ``pending``;
- after a change of group tag (``after_change``), only once a ``pending`` has come *and gone*:
  right after the write, Intune may still show the old assignment (its dynamic groups are
  re-evaluated later), and that is not the answer the operator is waiting for;
- at once when beta is unavailable (no point in asking a refusing service again);
- when ``wait`` says stop (the operator moved on to another device, or the window closes).

Qt-free: the clock and the wait are injected, so tests move time by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from scanner_app.core.models import ProfileState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FollowPlan:
    """Pauses between readings: ``first`` seconds, doubling up to ``longest``; no reading
    starts after ``bound`` seconds. (2, 4, 8, 15, 15… s: eleven reads in two minutes.)"""

    first: float = 2.0
    longest: float = 15.0
    bound: float = 120.0

    def pauses(self) -> list[float]:
        found, pause, spent = [], self.first, 0.0
        while pause > 0 and spent + pause <= self.bound:
            found.append(pause)
            spent += pause
            pause = min(pause * 2, self.longest)
        return found


def follow_profile(
    read: Callable[[str], ProfileState],
    device_id: str,
    report: Callable[[ProfileState], None],
    *,
    wait: Callable[[float], bool],
    clock: Callable[[], float],
    plan: FollowPlan | None = None,
    after_change: bool = False,
) -> ProfileState:
    """Read until settled (see the module doc); ``report`` gets every reading. ``wait(seconds)``
    pauses and returns True when the follow must stop. Returns the last reading."""
    plan = plan or FollowPlan()
    started = clock()
    seen_pending = False
    state = read(device_id)
    report(state)
    for pause in plan.pauses():
        seen_pending = seen_pending or state.pending
        if not state.available or (not state.pending and (seen_pending or not after_change)):
            break
        if clock() - started + pause > plan.bound or wait(pause):
            break
        state = read(device_id)
        report(state)
    log.debug("profile of %s: %s", device_id, state.describe())
    return state
