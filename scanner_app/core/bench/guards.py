"""Why Enter may not apply: the checks behind R1, R2, R3 and the plain "nothing to apply".

``why_not_apply`` holds whatever the time, so the snapshot's ``apply_enabled`` and
``apply_disabled_reason`` come from the same function that refuses the press. R1 depends on the
clock: ``CardWatch`` remembers when the card on screen last changed (its device, or whether it
is an offline copy; the operator's own edits to the planned change do not restart the wait), and
``BenchFlow.press_apply`` asks it. ``DeviceNames`` makes a card's device name once.
"""

from __future__ import annotations

from collections.abc import Callable

from scanner_app.core.bench.messages import Message
from scanner_app.core.bench.screen import Screen
from scanner_app.core.bench.states import ARMED, BenchState
from scanner_app.core.models import AutopilotDevice, DeviceChange

#: Refusals about the card on screen: said over it, in the banner (the rest are notices).
CARD_REFUSALS = frozenset({"card-changed", "no-user", "pick-one", "nothing-to-change",
                           "name-error", "no-journal"})  # fmt: skip


def why_not_apply(s: Screen, change: DeviceChange | None, name_error: str = "") -> Message | None:
    """Why Enter cannot apply ``change`` to the card of ``s`` now, or None when it can
    (the time apart). ``name_error``: why the name template makes no name for this device."""
    device = s.card()
    if s.state is BenchState.APPLYING:
        return Message("still-applying", kind="busy")
    if s.state not in ARMED or device is None:
        return Message("nothing-to-apply")
    if s.journal_problem:  # nothing is sent that could not be recorded first
        return Message("no-journal", (device.serial_number, s.journal_problem), "error")
    if s.state is BenchState.SEVERAL and s.chosen is None:  # R2: the operator picks, not us
        return Message("pick-one", (str(len(s.matches)),), "error")
    if s.plan.user_status == "unresolved":  # R3: never drop a user silently
        return Message("no-user", kind="error")
    if name_error:
        return Message("name-error", (device.serial_number, name_error), "error")
    if change is None or change.is_empty():
        return Message("nothing-to-change")
    return None


class DeviceNames:
    """The name the template makes for each device on the card (made once: a ``%RAND:n%``
    name must not change under the operator's eyes), or why it cannot make one."""

    def __init__(self, make: Callable[[AutopilotDevice], str | None] | None) -> None:
        self.make = make
        self._made: dict[str, tuple[str | None, str]] = {}

    def of(self, device: AutopilotDevice) -> tuple[str | None, str]:
        """``(name, "")``, ``(None, "")`` with no template, or ``(None, why not)``."""
        if self.make is None:
            return None, ""
        if device.id not in self._made:
            try:
                self._made[device.id] = (self.make(device), "")
            except ValueError as exc:  # DeviceNameError
                self._made[device.id] = (None, str(exc) or "invalid name")
        return self._made[device.id]


class CardWatch:
    """When the card on screen last changed (R1), and the refusal said over it, which stays
    in the banner as long as the screen it was said about (state, card, plan) does."""

    def __init__(self, now: float) -> None:
        self.face: object = None
        self.since = now
        self.hint: Message | None = None
        self._hint_key: object = None

    def update(self, now: float, face: object, screen_key: object) -> None:
        if face != self.face:
            self.face, self.since = face, now
        if self.hint is not None and self._hint_key is None:
            self._hint_key = screen_key
        elif self.hint is not None and self._hint_key != screen_key:
            self.hint = None

    def say(self, message: Message) -> None:
        """Show ``message`` over the card until the screen changes."""
        self.hint, self._hint_key = message, None

    def changed_recently(self, now: float, settle_s: float) -> Message | None:
        """R1: a card not on screen, unchanged, for ``settle_s`` cannot be applied to yet."""
        if now < self.since + settle_s:  # as the snapshot's apply_ready_at reads: no rounding gap
            return Message("card-changed", kind="busy")
        return None
