"""The plain values the bench flow hands out: the planned change, what the screen shows after a
step (``Snapshot``), and what a step asks of its caller (look this up, send this change).

All frozen: the GUI renders a snapshot and keeps nothing of the flow; a test compares them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from scanner_app.core.bench.messages import Message
from scanner_app.core.bench.states import BenchState, Sound, Source
from scanner_app.core.models import AutopilotDevice, DeviceChange, ScanTarget, User

UserStatus = Literal["empty", "resolved", "unresolved"]


@dataclass(frozen=True)
class Plan:
    """What Apply will write, kept from one device to the next (the bench's sticky choices).

    ``group_tag`` "" keeps the device's tag. The User field is ``user_text``; ``user`` is the one
    directory user it is resolved to (picked from the list, or a typed UPN the directory knows
    exactly once). Text that names nobody yet is "unresolved", and Apply refuses it (R3).
    """

    group_tag: str = ""
    user_text: str = ""
    user: User | None = None

    @property
    def user_status(self) -> UserStatus:
        if self.user is not None:
            return "resolved"
        return "unresolved" if self.user_text.strip() else "empty"

    def with_user_text(self, text: str) -> Plan:
        """The field edited by hand: it names nobody until resolved or picked."""
        return Plan(self.group_tag, text, None)

    def with_user(self, user: User | None) -> Plan:
        """A user picked from the list (``None``: the field cleared)."""
        return Plan(self.group_tag, user.user_principal_name if user else "", user)

    def resolved_by(self, text: str, users: Sequence[User]) -> Plan:
        """The directory's answer for ``text``: the field resolves only when exactly one user
        has that UPN or mail address (a name that several or no users match stays open)."""
        key = text.strip().casefold()
        if self.user is not None or not key or key != self.user_text.strip().casefold():
            return self  # resolved already, or the operator typed on
        exact = {u.id: u for u in users if key in {u.user_principal_name.casefold(),
                                                   u.mail.casefold()}}  # fmt: skip
        return Plan(self.group_tag, self.user_text, *exact.values()) if len(exact) == 1 else self

    def wanted(self, display_name: str | None = None) -> DeviceChange:
        """The values wanted on any device (``None``: leave that field as it is)."""
        user = self.user
        return DeviceChange(
            group_tag=self.group_tag or None,
            user_principal_name=user.user_principal_name if user else None,
            addressable_user_name=(user.display_name or None) if user else None,
            display_name=display_name,
        )


@dataclass(frozen=True)
class LookupRequest:
    """Look ``target`` up now and answer with ``BenchFlow.lookup_result(ticket, …)``."""

    ticket: int
    target: ScanTarget
    source: Source


@dataclass(frozen=True)
class SendRequest:
    """Send ``change`` to the device ``device_id`` (and to no other), then answer with
    ``BenchFlow.apply_result(ticket, …)``. ``change`` holds only the fields that differ."""

    ticket: int
    device: AutopilotDevice
    change: DeviceChange

    @property
    def device_id(self) -> str:
        return self.device.id


@dataclass(frozen=True)
class Notice:
    """Something for the status bar and the session table, not for the banner (R4): a code
    that was not used while a card waits, an Enter with nothing to apply…"""

    message: Message
    target: ScanTarget | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Snapshot:
    """The screen after one step, and what that step asks of the caller.

    The card: ``card_device`` (``None`` when the card shows a message or nothing) has been on
    screen unchanged since ``card_since``; Apply acts on it from ``apply_ready_at`` on (R1).
    ``change`` is what Apply would send to it now. ``apply_enabled`` is False with
    ``apply_disabled_reason`` when Enter cannot apply whatever the time.
    ``label_ticket`` is the ticket of the look-up of the label on screen (``None`` when none was
    looked up): the caller's key for its own records of that label, such as its session row.
    The last three fields concern this step only: ``lookup`` (start this look-up), ``notice``
    (show it in the status bar / session table) and ``sound`` (read, success or error).
    """

    state: BenchState
    banner: Message
    at: float
    target: ScanTarget | None = None
    source: Source | None = None
    progress: tuple[int, int] | None = None
    candidates: tuple[ScanTarget, ...] = ()
    card_device: AutopilotDevice | None = None
    card_since: float = 0.0
    stale_seen_at: float | None = None
    matches: tuple[AutopilotDevice, ...] = ()
    highlighted: int | None = None
    chosen: int | None = None
    plan: Plan = field(default_factory=Plan)
    change: DeviceChange | None = None
    apply_enabled: bool = False
    apply_disabled_reason: Message | None = None
    apply_ready_at: float | None = None
    label_ticket: int | None = None
    lookup: LookupRequest | None = None
    notice: Notice | None = None
    sound: Sound | None = None


@dataclass(frozen=True)
class ApplyDecision:
    """The answer to Enter / Apply: ``send`` is the one change to send (``None``: send
    nothing), else ``refusal`` says why not (over the card, or as the snapshot's notice)."""

    snapshot: Snapshot
    send: SendRequest | None = None
    refusal: Message | None = None
