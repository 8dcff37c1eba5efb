"""The bench flow: one Qt-free state machine from a scanned label to a verified change.

The window forwards what happens (a code was read, a look-up answered, a key pressed) and
renders the ``Snapshot`` each step returns; it keeps no state of its own. The rules every
snapshot and every send obey, and the tests that play random sequences against them:

- R1 Apply acts only on a card that has been on screen, unchanged, for ``card_settle_s``.
- R2 several matches: nothing is chosen (or applied) until the operator picks one.
- R3 the User field is empty or resolved to exactly one directory user; otherwise no Apply.
- R4 the banner tells the story of the card on screen: a code that is not used while a card is
  on screen becomes a notice, and Apply is never enabled under an error banner.
- R5 a new label replaces a card that waits for the operator (queue speed).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence

from scanner_app.core.bench.guards import CARD_REFUSALS, CardWatch, DeviceNames, why_not_apply
from scanner_app.core.bench.messages import Message
from scanner_app.core.bench.screen import Screen, banner_for
from scanner_app.core.bench.snapshot import (
    ApplyDecision,
    LookupRequest,
    Notice,
    SendRequest,
    Snapshot,
    Sound,
)
from scanner_app.core.bench.states import (
    ARMED,
    KEEPS_SCREEN,
    OUTCOME_STATES,
    SAME_LABEL_IGNORED,
    SOUNDS,
    BenchState,
    Source,
)
from scanner_app.core.device_cache import CachedResolution
from scanner_app.core.models import AutopilotDevice, DeviceChange, Resolution, ScanTarget, User
from scanner_app.core.workflow import ApplyOutcome

S = BenchState


def _local_time(epoch: float) -> str:
    return time.strftime("%d %b %H:%M", time.localtime(epoch))


class BenchFlow:
    """One bench's flow. ``now`` is the clock (seconds, monotonic); ``card_settle_s`` how long a
    card must stay unchanged before Enter applies to it (R1); ``device_name`` makes the device
    name from the name template (raising ``ValueError``, e.g. ``DeviceNameError``, when it
    cannot); ``format_time`` writes when an offline copy was seen."""

    def __init__(
        self,
        now: Callable[[], float] = time.monotonic,
        *,
        card_settle_s: float = 0.8,
        camera_available: bool = True,
        device_name: Callable[[AutopilotDevice], str | None] | None = None,
        format_time: Callable[[float], str] = _local_time,
    ) -> None:
        self._now = now
        self.card_settle_s = card_settle_s
        self._s = Screen(camera_available=camera_available)
        self._format_time = format_time
        self._tickets = 0
        self._names = DeviceNames(device_name)
        self._watch = CardWatch(now())
        self._last = self._commit(self._watch.since)

    @property
    def snapshot(self) -> Snapshot:
        """The screen as it stands (without the last step's look-up, notice and sound)."""
        return dataclasses.replace(self._last, lookup=None, notice=None, sound=None)

    # ---- codes -------------------------------------------------------------------------------
    def scan(self, target: ScanTarget, source: Source = Source.CAMERA) -> Snapshot:
        """A code was read (camera, typed, wedge scanner, photo): look it up, or say why not."""
        now = self._now()
        s = self._s
        if target.usable:
            if target == s.target and s.state in SAME_LABEL_IGNORED:
                return self._commit(now)  # the same label again: already on it
            if s.state is S.APPLYING:
                return self._notice(now, Message("still-applying", kind="busy"), target, source)
            self._show(S.LOOKING_UP, target, source)  # R5: the waiting card goes
            self._tickets += 1
            s.lookup_ticket = self._tickets
            return self._commit(now, lookup=LookupRequest(self._tickets, target, source))
        if target.progress is not None:
            seen, total = (str(n) for n in target.progress)
            if s.state in KEEPS_SCREEN:
                return self._notice(now, Message("reading-notice", (seen, total), "busy"))
            self._show(S.READING, None, source)
            s.progress = target.progress
            return self._commit(now)
        reason = target.reason or "unreadable code"
        if s.state in KEEPS_SCREEN:  # R4: not over the card on screen
            return self._notice(now, Message("refused-notice", (reason,), "error"), target, source)
        self._show(S.REFUSED, target, source)
        s.reason = reason
        return self._commit(now)

    def two_labels(
        self, candidates: Sequence[ScanTarget], source: Source = Source.CAMERA
    ) -> Snapshot:
        """Two devices' codes in view: neither is chosen; the operator shows one at a time."""
        now = self._now()
        names = ", ".join(t.describe() for t in candidates)
        if self._s.state in KEEPS_SCREEN:  # R4
            return self._notice(now, Message("two-labels-notice", (names,), "error"), None, source)
        self._show(S.TWO_LABELS, None, source)
        self._s.candidates = tuple(candidates)
        return self._commit(now)

    # ---- look-up -----------------------------------------------------------------------------
    def lookup_result(self, ticket: int, resolution: Resolution) -> Snapshot:
        """The answer to ``LookupRequest`` ``ticket`` (a late answer for an older label is
        ignored: the operator has moved on)."""
        now = self._now()
        s = self._s
        if s.state is not S.LOOKING_UP or ticket != s.lookup_ticket:
            return self._commit(now)
        stale = isinstance(resolution, CachedResolution) and resolution.stale
        s.seen_at = resolution.seen_at if isinstance(resolution, CachedResolution) else None
        s.stale, kind = stale, resolution.kind
        s.slow = isinstance(resolution, CachedResolution) and resolution.slow
        if kind == "found":
            s.device, s.found_as = resolution.devices[0], resolution.found_as
            s.state = S.OFFLINE if stale else S.FOUND
        elif kind == "several":
            s.matches, s.highlighted, s.chosen = tuple(resolution.devices), 0, None
            s.found_as = resolution.found_as
            s.state = S.SEVERAL
        elif kind == "not_found":
            s.state = S.NOT_FOUND
        else:
            s.state = S.LOOKUP_FAILED
            s.reason = resolution.error or resolution.target.reason or "look-up failed"
        return self._commit(now)

    def lookup_failed(self, ticket: int, reason: str) -> Snapshot:
        """Look-up ``ticket`` raised (Graph unreachable, signed out…): ``reason`` says why."""
        return self.lookup_result(ticket, Resolution(self._s.target or ScanTarget("serial"),
                                                     error=reason or "look-up failed"))  # fmt: skip

    # ---- several matches ---------------------------------------------------------------------
    def highlight(self, index: int) -> Snapshot:
        """The cursor moved to match ``index``: its card shows; a pick of another one is undone."""
        s = self._s
        if s.state is S.SEVERAL and 0 <= index < len(s.matches):
            s.highlighted = index
            if s.chosen != index:
                s.chosen = None
        return self._commit(self._now())

    def pick(self, index: int) -> Snapshot:
        """The operator picked match ``index`` (Enter or a double click): nothing is applied."""
        s = self._s
        if s.state is S.SEVERAL and 0 <= index < len(s.matches):
            s.highlighted = s.chosen = index
        return self._commit(self._now())

    # ---- the change --------------------------------------------------------------------------
    def set_group_tag(self, text: str) -> Snapshot:
        self._s.plan = dataclasses.replace(self._s.plan, group_tag=text.strip())
        return self._commit(self._now())

    def set_user_text(self, text: str) -> Snapshot:
        """The operator edited the User field: it names nobody until resolved or picked."""
        self._s.plan = self._s.plan.with_user_text(text)
        return self._commit(self._now())

    def pick_user(self, user: User | None) -> Snapshot:
        """A user picked from the list (``None``: the field was cleared)."""
        self._s.plan = self._s.plan.with_user(user)
        return self._commit(self._now())

    def user_resolved(self, text: str, users: Sequence[User]) -> Snapshot:
        """The directory's answer for ``text``: the field resolves only when exactly one user
        has that UPN or mail address (a name that several or no users match stays open)."""
        self._s.plan = self._s.plan.resolved_by(text, users)
        return self._commit(self._now())

    # ---- apply -------------------------------------------------------------------------------
    def press_apply(self) -> ApplyDecision:
        """Enter or the Apply button: send the planned change to the card's device, or say why
        not. The caller sends ``decision.send`` and nothing else."""
        now = self._now()
        refusal = self._refusal() or self._watch.changed_recently(now, self.card_settle_s)  # R1
        if refusal is not None:
            if refusal.key in CARD_REFUSALS:
                self._watch.say(refusal)
                return ApplyDecision(self._commit(now, sound="error"), None, refusal)
            return ApplyDecision(self._notice(now, refusal), None, refusal)
        s = self._s
        device, change = self._s.card(), self._change()
        assert device is not None and change is not None  # refusal() checked both
        self._tickets += 1
        s.send_ticket, s.device, s.state = self._tickets, device, S.APPLYING
        send = SendRequest(self._tickets, device, change)
        return ApplyDecision(self._commit(now), send)

    def apply_result(self, ticket: int, outcome: ApplyOutcome) -> Snapshot:
        """The answer to ``SendRequest`` ``ticket``: the card shows the device as it left it."""
        s = self._s
        if s.state is S.APPLYING and ticket == s.send_ticket:
            s.state = OUTCOME_STATES.get(outcome.state, S.APPLY_FAILED)
            s.device, s.outcome = outcome.device, outcome.message
        return self._commit(self._now())

    def apply_failed(self, ticket: int, reason: str) -> Snapshot:
        """Apply ``ticket`` raised before the outbox had an outcome: ``reason`` says why."""
        s = self._s
        if s.state is S.APPLYING and ticket == s.send_ticket:
            s.state, s.outcome = S.APPLY_FAILED, reason or "The change was not applied."
        return self._commit(self._now())

    def skip(self) -> Snapshot:
        """Esc / Skip: back to waiting for a label (the planned change stays)."""
        now = self._now()
        if self._s.state is S.APPLYING:
            return self._notice(now, Message("still-applying", kind="busy"))
        self._show(S.IDLE)
        return self._commit(now)

    def set_journal_problem(self, problem: str) -> Snapshot:
        """Why changes cannot be recorded ("" once they can): until then no Apply, and why."""
        self._s.journal_problem = problem
        return self._commit(self._now())

    def set_camera_available(self, available: bool) -> Snapshot:
        """The waiting line asks for a label held up to a camera only when there is one."""
        self._s.camera_available = available
        return self._commit(self._now())

    # ---- helpers -----------------------------------------------------------------------------
    def _show(
        self, state: BenchState, target: ScanTarget | None = None, source: Source | None = None
    ) -> None:
        """A new screen: the old card and everything about it go (the plan stays)."""
        self._s.clear_card()
        self._names = DeviceNames(self._names.make)
        self._s.state, self._s.target, self._s.source = state, target, source

    def _change(self) -> DeviceChange | None:
        device = self._s.card()
        if device is None or self._s.state not in ARMED:
            return None
        return self._s.plan.wanted(self._names.of(device)[0]).against(device)

    def _refusal(self) -> Message | None:
        device = self._s.card()
        return why_not_apply(self._s, self._change(), self._names.of(device)[1] if device else "")

    def _notice(
        self,
        now: float,
        message: Message,
        target: ScanTarget | None = None,
        source: Source | None = None,
    ) -> Snapshot:
        return self._commit(now, notice=Notice(message, target, source), sound="error")

    def _commit(
        self,
        now: float,
        *,
        lookup: LookupRequest | None = None,
        notice: Notice | None = None,
        sound: Sound | None = None,
    ) -> Snapshot:
        """Note when the card changed (R1), drop a refusal that no longer fits, take a snapshot."""
        s = self._s
        device = self._s.card()
        face = (device, s.stale and device is not None)
        self._watch.update(now, face, (s.state, face, s.plan, s.chosen))
        previous = getattr(self, "_last", None)
        if sound is None and (previous is None or previous.state is not s.state):
            sound = SOUNDS.get(s.state)
        refusal = self._refusal()
        seen = self._format_time(s.seen_at) if s.seen_at is not None else ""
        banner = banner_for(s, device, seen)
        if s.state in ARMED and refusal is not None and refusal.key in ("name-error", "no-journal"):
            banner = refusal  # "Found" would promise an Enter that cannot apply
        self._last = Snapshot(
            state=s.state,
            banner=self._watch.hint or banner,
            at=now,
            card_device=device,
            card_since=self._watch.since,
            change=self._change(),
            apply_enabled=refusal is None,
            apply_disabled_reason=refusal,
            apply_ready_at=self._watch.since + self.card_settle_s if device is not None else None,
            lookup=lookup,
            notice=notice,
            sound=sound,
            **s.shown(),
        )
        return self._last
