"""A bench without Qt for the rule tests: labels, devices, a directory, and a ``Bench`` that
plays an operator's actions (``actions.py``) against a ``BenchFlow`` on a fake clock.

The bench answers the flow's requests the way the window's workers do, late and out of order
when an action says so: a look-up may answer found, several, not found, failed, offline, or
arrive after the operator moved on; an apply may end verified, accepted, queued, in conflict or
failed. Every step is recorded (the action, the screen before and after, what was sent) for the
rules in ``rules.py`` to judge.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from scanner_app.core.bench import ApplyDecision, BenchFlow, LookupRequest, SendRequest, Snapshot
from scanner_app.core.device_cache import CachedResolution
from scanner_app.core.models import AutopilotDevice, DeviceChange, Resolution, ScanTarget, User
from scanner_app.core.workflow import ApplyOutcome
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

SETTLE_S = 0.8

DEVICES = (
    AutopilotDevice("d1", "5CG3810DNA", "HP", "EliteBook 840", group_tag="Old"),
    AutopilotDevice("d2", "8Q6YF1L", "Dell", "Latitude 5440"),
    AutopilotDevice("d3", "PFRH6CT6", "Lenovo", "T14", user_principal_name="alex@contoso.com"),
    AutopilotDevice("d4", "PFRH6CT6", "Lenovo", "T14s", group_tag="Kiosk"),
    AutopilotDevice("d5", "PFRH6CT6", "Lenovo", "X1"),
)
LABELS = (
    ScanTarget("serial", "5CG3810DNA"),
    ScanTarget("serial", "8Q6YF1L"),
    ScanTarget("serial", "PFRH6CT6"),
    ScanTarget("serial", "NOTREG01"),
    ScanTarget("ztd_id", "668123dd-e1ee-4727-b01c-77a963d6e7a2"),
)
REFUSED = (
    ScanTarget("rejected", reason="8Q6YF1? is not a serial number"),
    ScanTarget("rejected", reason="a web link, not a device label"),
)
USERS = (
    User("u1", "Adele Vance", "adele@contoso.com", mail="adele@contoso.com"),
    User("u2", "Adele Varga", "adele.varga@contoso.com"),
    User("u3", "Alex Wilber", "alex@contoso.com", mail="alex@contoso.com"),
)
USER_TEXTS = ("", "zzq", "ad", "Adele", "adele@contoso.com", "alex@contoso.com", "ALEX@contoso.com")
GROUP_TAGS = ("", "Kiosk", "Lab")


def directory(text: str) -> tuple[User, ...]:
    """What the directory's type-ahead search answers for ``text``."""
    key = text.strip().casefold()
    if len(key) < 2:
        return ()
    return tuple(u for u in USERS if key in f"{u.display_name} {u.user_principal_name}".casefold())


@dataclass
class Step:
    """One action and what it did: the screen before and after, the look-up it asked for and
    the change it sent (only an Enter sends)."""

    action: object
    at_ms: int
    before: Snapshot
    after: Snapshot
    decision: ApplyDecision | None = None
    note: object = None  # what the world answered: (text, users) for a directory answer,
    # the User picked for PickUser

    @property
    def send(self) -> SendRequest | None:
        return self.decision.send if self.decision else None


@dataclass
class Bench:
    """Plays actions against a BenchFlow; records every step."""

    settle_s: float = SETTLE_S
    ms: int = 1_000_000
    steps: list[Step] = field(default_factory=list)
    lookups: list[LookupRequest] = field(default_factory=list)  # outstanding, oldest first
    sends: list[SendRequest] = field(default_factory=list)
    user_texts: list[str] = field(default_factory=lambda: [""])  # as typed, newest last
    suggestions: tuple[User, ...] = ()
    group_tag: str = "Lab"  # the session's sticky tag, chosen before the first label

    def __post_init__(self) -> None:
        self.flow = BenchFlow(lambda: self.ms / 1000.0, card_settle_s=self.settle_s)
        self.flow.set_group_tag(self.group_tag)

    @property
    def screen(self) -> Snapshot:
        return self.steps[-1].after if self.steps else self.flow.snapshot

    def trace(self) -> str:
        """One line per step: what happened, and what the screen said (for a failing case)."""
        lines = []
        for step in self.steps:
            after, sent = step.after, step.send
            what = f"SENT {sent.change} to {sent.device_id}" if sent else after.banner.text()
            card = after.card_device.id if after.card_device else "-"
            lines.append(
                f"{step.at_ms:>9} {step.action!r:<60} {after.state.value:<13} {card:<3} {what}"
            )
        return "\n".join(lines)

    def play(self, actions: list[Action]) -> Bench:
        for action in actions:
            for part in parts(action):
                self.do(part)
        return self

    def do(self, action: Action) -> Step:
        before = self.screen
        decision: ApplyDecision | None = None
        self._note: object = None
        after = self._act(action)
        if isinstance(after, ApplyDecision):
            decision, after = after, after.snapshot
            if decision.send is not None:
                self.sends.append(decision.send)
        if after.lookup is not None:
            self.lookups.append(after.lookup)
        step = Step(action, self.ms, before, after, decision, self._note)
        self.steps.append(step)
        return step

    def _act(self, a: Action) -> Snapshot | ApplyDecision:
        f = self.flow
        if isinstance(a, Read):
            return f.scan(LABELS[a.label % len(LABELS)], a.source)
        if isinstance(a, Misread):
            return f.scan(REFUSED[a.which % len(REFUSED)], a.source)
        if isinstance(a, Blocks):
            keep = "keep the code in view"
            return f.scan(ScanTarget("rejected", reason=keep, progress=(a.seen, a.total)))
        if isinstance(a, TwoLabels):
            return f.two_labels(LABELS[:2])
        if isinstance(a, Answer):
            return self._answer(a)
        if isinstance(a, Highlight):
            return f.highlight(a.index)
        if isinstance(a, Pick):
            return f.pick(a.index)
        if isinstance(a, GroupTag):
            return f.set_group_tag(a.text)
        if isinstance(a, UserText):
            self.user_texts.append(a.text)
            self.suggestions = ()
            return f.set_user_text(a.text)
        if isinstance(a, DirectoryAnswers):
            text = self.user_texts[-2 if a.late and len(self.user_texts) > 1 else -1]
            if not a.late:
                self.suggestions = directory(text)
            self._note = (text, directory(text))
            return f.user_resolved(text, directory(text))
        if isinstance(a, PickUser):
            if not self.suggestions:
                return f.snapshot
            user = self.suggestions[a.index % len(self.suggestions)]
            self._note = user
            return f.pick_user(user)
        if isinstance(a, Enter):
            return f.press_apply()
        if isinstance(a, Skip):
            return f.skip()
        if isinstance(a, Applied):
            return self._applied(a)
        if isinstance(a, Wait):
            self.ms += a.ms
            return f.snapshot
        if isinstance(a, Camera):
            return f.set_camera_available(a.available)
        raise TypeError(f"{a!r} is played as its parts (see play)")

    def _answer(self, a: Answer) -> Snapshot:
        if not self.lookups:
            return self.flow.snapshot
        request = self.lookups.pop(0 if a.late or len(self.lookups) == 1 else -1)
        target, one = request.target, DEVICES[a.device % len(DEVICES)]
        several = DEVICES[2:] if a.device % 2 else DEVICES[2:4]
        resolution: Resolution = {
            "found": Resolution(target, (one,)),
            "several": Resolution(target, several),
            "not-found": Resolution(target),
            "failed": Resolution(target, error="Graph said 403: not allowed"),
            "offline": CachedResolution(target, (one,), seen_at=1_700_000_000.0),
            "offline-several": CachedResolution(target, several, seen_at=1_700_000_000.0),
        }.get(a.kind, Resolution(target))
        if a.kind == "raised":
            return self.flow.lookup_failed(request.ticket, "Graph is not reachable")
        return self.flow.lookup_result(request.ticket, resolution)

    def _applied(self, a: Applied) -> Snapshot:
        if not self.sends:
            return self.flow.snapshot
        send = self.sends.pop(0)
        if a.state == "raised":
            return self.flow.apply_failed(send.ticket, "Apply failed: Graph is not reachable")
        landed = a.state in {"verified", "accepted", "nothing-to-do"}
        device = landed_on(send.device, send.change) if landed else send.device
        outcome = ApplyOutcome(7, a.state, device, send.change, f"outcome {a.state}")
        return self.flow.apply_result(send.ticket, outcome)


def parts(action: Action) -> list[Action]:
    """A composite action as the single actions it stands for."""
    if isinstance(action, Arrives):
        return [Read(action.label, action.source), Answer(action.kind, action.device)]
    if isinstance(action, Handles):
        arrives = parts(Arrives(action.label, action.source, action.kind, action.device))
        return [*arrives, Wait(action.look_ms), Enter()]
    if isinstance(action, TypesUser):
        picks = [] if action.pick is None else [PickUser(action.pick)]
        return [UserText(action.text), DirectoryAnswers(), *picks]
    return [action]


def landed_on(device: AutopilotDevice, change: DeviceChange) -> AutopilotDevice:
    return dataclasses.replace(device, **change.changed_fields())
