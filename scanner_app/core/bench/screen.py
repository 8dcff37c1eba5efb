"""What the bench flow holds between steps (``Screen``), and the banner each state shows.

Kept apart from ``flow.py`` (the steps and the rules) so the one place that says what the
banner reads in each state is short enough to check by eye against the table in
``docs/architecture.md``: every banner names the card it is about (R4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner_app.core.bench.messages import BannerKind, Message
from scanner_app.core.bench.snapshot import Plan
from scanner_app.core.bench.states import APPLIED, ARMED, BenchState, Source
from scanner_app.core.models import AutopilotDevice, ScanTarget

S = BenchState
HAS_DEVICE = ARMED | APPLIED | {BenchState.APPLYING}


@dataclass
class Screen:
    """The flow's working state (mutable, private to ``BenchFlow``; snapshots copy it)."""

    camera_available: bool = True
    journal_problem: str = ""  # why changes cannot be recorded (then Apply refuses), or ""
    state: BenchState = BenchState.IDLE
    plan: Plan = field(default_factory=Plan)
    target: ScanTarget | None = None
    source: Source | None = None
    progress: tuple[int, int] | None = None
    candidates: tuple[ScanTarget, ...] = ()
    device: AutopilotDevice | None = None  # found, being applied to, or as the apply left it
    matches: tuple[AutopilotDevice, ...] = ()
    highlighted: int | None = None
    chosen: int | None = None
    stale: bool = False
    slow: bool = False  # the offline copy stands in for a Graph that answered too late
    seen_at: float | None = None
    found_as: str = ""  # how a second reading of the code found the device (else "")
    reason: str = ""  # why a code was refused or a look-up failed
    outcome: str = ""  # the outbox's sentence about the last apply
    lookup_ticket: int | None = None
    send_ticket: int | None = None

    def card(self) -> AutopilotDevice | None:
        """The device the card shows: the found one, the match under the cursor (or picked),
        the one being applied to or as the apply left it; None for a message or nothing."""
        if self.state is S.SEVERAL:
            index = self.chosen if self.chosen is not None else self.highlighted
            return self.matches[index] if index is not None else None
        return self.device if self.state in HAS_DEVICE else None

    def shown(self) -> dict[str, Any]:
        """The snapshot's fields copied as they are."""
        return {
            "target": self.target,
            "source": self.source,
            "progress": self.progress,
            "candidates": self.candidates,
            "matches": self.matches,
            "highlighted": self.highlighted,
            "chosen": self.chosen,
            "plan": self.plan,
            "stale_seen_at": self.seen_at if self.stale else None,
            "label_ticket": self.lookup_ticket,
        }

    def clear_card(self) -> None:
        """Forget the label and its card; keep the plan (sticky) and the camera's presence."""
        self.target = self.source = self.progress = self.device = None
        self.highlighted = self.chosen = self.seen_at = None
        self.lookup_ticket = self.send_ticket = None
        self.candidates, self.matches = (), ()
        self.stale = self.slow = False
        self.reason, self.outcome, self.found_as = "", "", ""


def banner_for(s: Screen, device: AutopilotDevice | None, seen: str) -> Message:
    """The banner of state ``s.state`` for the card showing ``device`` (``seen``: when the
    offline copy was read, already written for the operator)."""
    state = s.state
    what = s.target.describe() if s.target is not None else ""
    serial = device.serial_number if device is not None else what
    # A device found through another reading of the code (an Express Service Code read as its
    # service tag) is never offered for Enter without saying so, whatever the state.
    named = f"{serial} ({s.found_as})" if s.found_as and device is not None else serial

    def say(key: str, kind: BannerKind, *args: str) -> Message:
        return Message(key, args, kind)

    if state is S.IDLE:
        return say("ready" if s.camera_available else "ready-no-camera", "info")
    if state is S.READING:
        seen_blocks, total = s.progress or (0, 0)
        return say("reading", "busy", str(seen_blocks), str(total))
    if state is S.LOOKING_UP:
        return say("looking-up", "busy", what)
    if state is S.FOUND and s.found_as:  # found by another reading of the code: say which
        return say("found-as", "info", serial, s.found_as)
    if state is S.FOUND:
        return say("found", "info", serial)
    if state is S.OFFLINE:
        return say("slow" if s.slow else "offline", "busy", named, seen)
    if state is S.SEVERAL:
        count = str(len(s.matches))
        if s.chosen is None:
            value = s.target.value if s.target is not None else ""
            return say("several", "error", count, value)
        return say("picked", "info", named, str(s.chosen + 1), count)
    if state is S.NOT_FOUND:
        return say("not-found", "error", what)
    if state is S.LOOKUP_FAILED:
        return say("lookup-failed", "error", what, s.reason)
    if state is S.REFUSED:
        return say("refused", "error", s.reason)
    if state is S.TWO_LABELS:
        return say("two-labels", "error", ", ".join(t.describe() for t in s.candidates))
    if state is S.APPLYING:
        return say("applying", "busy", serial)
    return say(*_RESULTS[state], serial, s.outcome)


_RESULTS: dict[BenchState, tuple[str, BannerKind]] = {
    S.VERIFIED: ("verified", "ok"),
    S.ACCEPTED: ("accepted", "busy"),
    S.QUEUED: ("queued", "busy"),
    S.CONFLICT: ("conflict", "error"),
    S.APPLY_FAILED: ("apply-failed", "error"),
}
