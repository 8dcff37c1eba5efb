"""The bench rules R1–R5, judged on a played sequence of steps (``world.Bench.steps``).

Each check keeps its own account of what the operator did and saw (which card was on screen
since when, which match they picked, what the User field holds) and never trusts the flow's
own bookkeeping for it: the flow's snapshot is only what the screen showed.
"""

from __future__ import annotations

from scanner_app.core.bench import BenchState, Snapshot
from scanner_app.core.models import AutopilotDevice, User
from tests.core.bench.actions import (
    Blocks,
    DirectoryAnswers,
    Enter,
    Highlight,
    Misread,
    Pick,
    PickUser,
    Read,
    TwoLabels,
    UserText,
)
from tests.core.bench.world import LABELS, Bench, Step

S = BenchState
SETTLE_MS = 800
CARD_CHANGED = "The card just changed: check it, then press Enter"
NO_USER = "No user picked: choose one from the list or clear the field"
#: A card waits for the operator: Enter may apply to it.
WAITING = {S.FOUND, S.OFFLINE, S.SEVERAL}
#: What a code that is not used must not cover (R4): a waiting card, work under way, a result.
KEPT = WAITING | {S.LOOKING_UP, S.APPLYING, S.VERIFIED, S.ACCEPTED, S.QUEUED, S.CONFLICT,
                  S.APPLY_FAILED}  # fmt: skip
#: The banner each state may show; the ones after "|" are refusals said over a waiting card.
HINTS = {"card-changed", "no-user", "pick-one", "nothing-to-change", "name-error"}
BANNERS: dict[BenchState, set[str]] = {
    S.IDLE: {"ready", "ready-no-camera"},
    S.READING: {"reading"},
    S.LOOKING_UP: {"looking-up"},
    S.FOUND: {"found", "found-as"} | HINTS,
    S.OFFLINE: {"offline", "slow"} | HINTS,
    S.SEVERAL: {"several", "picked"} | HINTS,
    S.NOT_FOUND: {"not-found"},
    S.LOOKUP_FAILED: {"lookup-failed"},
    S.REFUSED: {"refused"},
    S.TWO_LABELS: {"two-labels"},
    S.APPLYING: {"applying"},
    S.VERIFIED: {"verified"},
    S.ACCEPTED: {"accepted"},
    S.QUEUED: {"queued"},
    S.CONFLICT: {"conflict"},
    S.APPLY_FAILED: {"apply-failed"},
}
#: Banners whose first argument names the device on the card, or the label looked up.
NAMES_DEVICE = {"found", "found-as", "offline", "slow", "picked", "applying", "verified",
                "accepted", "queued", "conflict", "apply-failed"}  # fmt: skip
NAMES_LABEL = {"looking-up", "not-found", "lookup-failed"}


def card(screen: Snapshot) -> tuple[AutopilotDevice | None, bool]:
    """What the operator sees on the card: a device (or none), marked as an offline copy."""
    return screen.card_device, screen.stale_seen_at is not None


def card_shown_since(bench: Bench, index: int) -> int:
    """When (ms) the card on screen before step ``index`` appeared."""
    shown = card(bench.steps[index].before)
    k = index - 1
    while k >= 0 and card(bench.steps[k].before) == shown:
        k -= 1
    return bench.steps[k].at_ms if k >= 0 else 0


def check_r1(bench: Bench) -> None:
    """Enter applies only to the card on screen, once it has been there unchanged for 0.8 s;
    an earlier Enter applies nothing and says so. Once settled, Enter does apply."""
    for i, step in enumerate(bench.steps):
        if not isinstance(step.action, Enter):
            continue
        elapsed = step.at_ms - card_shown_since(bench, i)
        before, send = step.before, step.send
        if send is not None:
            assert before.card_device is not None and send.device == before.card_device, step
            assert send.device_id == before.card_device.id
            assert elapsed >= SETTLE_MS, f"applied {elapsed} ms after the card changed"
        elif before.apply_enabled and elapsed < SETTLE_MS:
            assert step.decision is not None and step.decision.refusal is not None
            assert step.decision.refusal.text() == CARD_CHANGED
            assert step.after.banner.text() == CARD_CHANGED
        elif before.apply_enabled:
            assert elapsed <= SETTLE_MS, "Enter on a settled card with Apply enabled sent nothing"


def check_r2(bench: Bench) -> None:
    """Several matches: nothing is chosen until the operator picks; Apply stays disabled until
    then; a pick applies nothing; Enter then applies to the one picked."""
    picked: int | None = None
    for step in bench.steps:
        a, before, after = step.action, step.before, step.after
        if before.state is not S.SEVERAL:
            picked = None  # a new list (or none)
        elif isinstance(a, Pick) and 0 <= a.index < len(before.matches):
            picked = a.index
        elif isinstance(a, Highlight) and 0 <= a.index < len(before.matches) and a.index != picked:
            picked = None  # the operator moved on to another row
        if isinstance(a, Pick | Highlight):
            assert after.state is before.state and step.send is None, "a pick applied"
        if after.state is S.SEVERAL:
            assert after.chosen == picked, f"chosen {after.chosen}, the operator picked {picked}"
            assert picked is not None or not after.apply_enabled, "Apply enabled with no pick"
        if before.state is S.SEVERAL and step.send is not None:
            assert picked is not None, "applied with several matches and no pick"
            assert step.send.device == before.matches[picked], "applied to another match"
        if before.state is S.SEVERAL and picked is None and isinstance(a, Enter):
            assert step.decision is not None and step.decision.refusal is not None
            assert step.decision.refusal.key == "pick-one", step.decision.refusal


def check_r3(bench: Bench) -> None:
    """The User field is empty or resolved to exactly one directory user; a change is sent with
    that user (or none when empty), and otherwise Enter is refused and says why."""
    text, user = "", None
    for step in bench.steps:
        a = step.action
        if isinstance(a, UserText):
            text, user = a.text, None
        elif isinstance(a, PickUser) and isinstance(step.note, User):
            text, user = step.note.user_principal_name, step.note
        elif isinstance(a, DirectoryAnswers) and user is None and isinstance(step.note, tuple):
            answered, found = step.note
            key = text.strip().casefold()
            if key and answered.strip().casefold() == key:
                exact = [u for u in found if key in {u.user_principal_name.casefold(),
                                                     u.mail.casefold()}]  # fmt: skip
                user = exact[0] if len(exact) == 1 else None
        _check_user(step, text, user)


def _check_user(step: Step, text: str, user: User | None) -> None:
    before, send = step.before, step.send
    unresolved = bool(text.strip()) and user is None
    if unresolved:
        assert not step.after.apply_enabled, f"Apply enabled with the User field {text!r}"
    if send is not None:
        assert not unresolved, f"sent with the User field {text!r} naming nobody"
        upn = send.change.user_principal_name
        if user is None:
            assert upn is None
        elif send.device.user_principal_name.casefold() != user.user_principal_name.casefold():
            assert upn == user.user_principal_name, (upn, user)
    elif isinstance(step.action, Enter) and unresolved and before.state in WAITING:
        if before.state is not S.SEVERAL or before.chosen is not None:
            assert step.decision is not None and step.decision.refusal is not None
            assert step.decision.refusal.text() == NO_USER
            assert step.after.banner.text() == NO_USER


def check_r4(bench: Bench) -> None:
    """One story on screen: the banner is about the card shown; a code that is not used while
    a card is shown goes to the notice, not over the card; no Apply under an error banner."""
    for step in bench.steps:
        before, after = step.before, step.after
        banner = after.banner
        assert not (after.apply_enabled and banner.kind == "error"), f"Apply under {banner}"
        assert banner.key in BANNERS[after.state], f"{after.state} card under {banner}"
        if banner.key in NAMES_DEVICE:
            assert after.card_device is not None
            assert banner.args[0] == after.card_device.serial_number, (banner, after.card_device)
        if banner.key in NAMES_LABEL:
            assert after.target is not None and banner.args[0] == after.target.describe()
        if step.send is not None:
            assert before.banner.kind != "error", f"applied under {before.banner.text()!r}"
        if isinstance(step.action, Misread | TwoLabels | Blocks) and before.state in KEPT:
            assert (after.state, card(after), after.banner) == (
                before.state,
                card(before),
                before.banner,
            ), f"a code that was not used changed the screen of a {before.state} card"
            assert after.apply_enabled == before.apply_enabled, "Apply changed by a misread"
            assert after.notice is not None and after.lookup is None, "no notice of the misread"


def check_r5(bench: Bench) -> None:
    """Queue speed: a new label replaces the card that waits (or any result on screen) at
    once, with its own look-up; the old card can no longer be applied to."""
    for step in bench.steps:
        a, before, after = step.action, step.before, step.after
        if not isinstance(a, Read):
            continue
        label = LABELS[a.label % len(LABELS)]
        if before.state is S.APPLYING:
            assert after.state is S.APPLYING and after.lookup is None, "a scan broke an apply"
        elif label != before.target or before.state not in WAITING | {S.LOOKING_UP}:
            new = f"{label.value} read over a {before.state} card"
            assert after.state is S.LOOKING_UP and after.target == label, f"{new}: not looked up"
            assert after.card_device is None and after.matches == (), f"{new}: old card kept"
            assert after.lookup is not None and after.lookup.target == label, new
            assert after.notice is None, f"{new}: {after.notice}"
        else:  # the same label again (its QR and its barcode): the card stays
            assert card(after) == card(before) and after.lookup is None, "same label, new card"


def check_all(bench: Bench) -> None:
    for check in (check_r1, check_r2, check_r3, check_r4, check_r5):
        check(bench)
