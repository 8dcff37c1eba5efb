"""What issue 14's operator ran into, replayed against the bench flow: each story is a short
session an operator could have, and what the screen and the tenant must show for it."""

from __future__ import annotations

from scanner_app.core.bench import BenchFlow, BenchState, Source
from scanner_app.core.models import AutopilotDevice, Resolution, ScanTarget, User
from scanner_app.core.workflow import ApplyOutcome

S = BenchState
CARD_CHANGED = "The card just changed: check it, then press Enter"
NO_USER = "No user picked: choose one from the list or clear the field"
A = AutopilotDevice("a", "5CG3810DNA", "HP", "EliteBook", group_tag="Old")
B = AutopilotDevice("b", "8Q6YF1L", "Dell", "Latitude")
TWINS = (AutopilotDevice("t1", "PFRH6CT6", model="T14"), AutopilotDevice("t2", "PFRH6CT6"))
ADELE = User("u1", "Adele Vance", "adele@contoso.com", mail="adele@contoso.com")


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def bench(group_tag: str = "Kiosk") -> tuple[BenchFlow, Clock]:
    clock = Clock()
    flow = BenchFlow(clock)
    flow.set_group_tag(group_tag)
    return flow, clock


def found(flow: BenchFlow, device: AutopilotDevice, source: Source = Source.CAMERA) -> None:
    target = ScanTarget("serial", device.serial_number)
    request = flow.scan(target, source).lookup
    assert request is not None and request.target == target
    flow.lookup_result(request.ticket, Resolution(target, (device,)))


def test_enter_just_after_the_next_label_replaced_the_card_applies_nothing() -> None:
    flow, clock = bench()
    found(flow, A)
    clock.now += 5.0  # the operator reads card A…
    found(flow, B)  # …and the camera sees the next laptop's label
    clock.now += 0.3
    early = flow.press_apply()
    assert early.send is None
    assert early.snapshot.banner.text() == CARD_CHANGED
    assert early.snapshot.card_device == B  # the card the operator is now told to check
    clock.now += 0.6  # 0.9 s after B's card appeared: Enter applies, to B only
    late = flow.press_apply()
    assert late.send is not None and late.send.device_id == "b"
    assert late.send.change.group_tag == "Kiosk"


def test_several_matches_enter_enter_applies_nothing_until_one_is_picked() -> None:
    flow, clock = bench()
    target = ScanTarget("serial", "PFRH6CT6")
    request = flow.scan(target).lookup
    assert request is not None
    shown = flow.lookup_result(request.ticket, Resolution(target, TWINS))
    assert shown.state is S.SEVERAL and shown.chosen is None and not shown.apply_enabled
    assert shown.card_device == TWINS[0]  # the row under the cursor, shown, not chosen
    clock.now += 2.0
    for _ in range(2):
        refused = flow.press_apply()
        assert refused.send is None and refused.refusal is not None
        assert refused.refusal.key == "pick-one"
    moved = flow.highlight(1)
    picked = flow.pick(1)
    assert moved.card_device == picked.card_device == TWINS[1] and picked.chosen == 1
    assert flow.press_apply().send is None  # the card changed to the second twin just now
    clock.now += 0.8
    sent = flow.press_apply().send
    assert sent is not None and sent.device_id == "t2"


def test_a_user_that_matches_nobody_is_never_dropped_silently() -> None:
    flow, clock = bench()
    found(flow, A)
    flow.set_user_text("zzq")
    flow.user_resolved("zzq", [])  # the directory knows nobody by that name
    clock.now += 2.0
    refused = flow.press_apply()  # Enter in the User field
    assert refused.send is None and refused.snapshot.banner.text() == NO_USER
    found(flow, B)  # the next device, Enter in the scan field
    clock.now += 2.0
    assert flow.press_apply().send is None
    assert flow.snapshot.apply_disabled_reason is not None
    assert flow.snapshot.apply_disabled_reason.text() == NO_USER
    flow.set_user_text("adele@contoso.com")  # a UPN the directory knows exactly once
    resolved = flow.user_resolved("adele@contoso.com", [ADELE])
    assert resolved.plan.user == ADELE and resolved.apply_enabled
    sent = flow.press_apply().send
    assert sent is not None and sent.change.user_principal_name == "adele@contoso.com"
    assert sent.change.addressable_user_name == "Adele Vance"


def test_a_name_several_users_share_stays_open_until_one_is_picked() -> None:
    flow, _clock = bench()
    twin = User("u2", "Adele Varga", "adele.varga@contoso.com")
    flow.set_user_text("Adele")
    assert flow.user_resolved("Adele", [ADELE, twin]).plan.user_status == "unresolved"
    flow.set_user_text("Adel")
    late = flow.user_resolved("Adele", [ADELE])  # the answer for what was typed before
    assert late.plan.user_status == "unresolved"
    assert flow.pick_user(twin).plan.user == twin
    assert flow.set_user_text("").plan.user_status == "empty"


def test_a_misread_code_over_a_waiting_card_goes_to_the_status_bar() -> None:
    flow, clock = bench()
    found(flow, A)
    card = flow.snapshot
    for reason in ("8Q6YF1? is not a serial number", "a web link, not a device label"):
        misread = flow.scan(ScanTarget("rejected", reason=reason))
        assert misread.banner == card.banner and misread.card_device == A
        assert misread.apply_enabled and misread.sound == "error"
        assert misread.notice is not None and reason in misread.notice.message.text()
        assert misread.notice.target is not None and misread.notice.target.reason == reason
    clock.now += 1.0
    sent = flow.press_apply().send  # the misreads did not make the card "new"
    assert sent is not None and sent.device_id == "a"


def test_with_nothing_on_screen_a_misread_is_the_banner() -> None:
    flow, _clock = bench()
    shown = flow.scan(ScanTarget("rejected", reason="a web link, not a device label"))
    assert shown.state is S.REFUSED and shown.banner.kind == "error"
    assert shown.banner.text() == "a web link, not a device label"
    assert shown.notice is None and not shown.apply_enabled


def test_the_next_label_replaces_a_waiting_card_at_once() -> None:
    flow, clock = bench()
    found(flow, A)
    next_label = flow.scan(ScanTarget("serial", "8Q6YF1L"), Source.WEDGE)
    assert next_label.state is S.LOOKING_UP and next_label.card_device is None
    assert next_label.lookup is not None and next_label.source is Source.WEDGE
    clock.now += 5.0
    assert flow.press_apply().send is None  # card A is gone: nothing is armed for Enter


def test_the_same_label_read_again_keeps_the_card_and_its_time() -> None:
    flow, clock = bench()
    found(flow, A)
    clock.now += 0.5
    again = flow.scan(ScanTarget("serial", A.serial_number))
    assert again.lookup is None and again.card_device == A and again.card_since == 500.0
    clock.now += 0.4
    assert flow.press_apply().send is not None


def test_a_late_look_up_answer_for_a_label_the_operator_left_is_ignored() -> None:
    flow, clock = bench()
    first = flow.scan(ScanTarget("serial", A.serial_number)).lookup
    second = flow.scan(ScanTarget("serial", B.serial_number)).lookup
    assert first is not None and second is not None
    ignored = flow.lookup_result(first.ticket, Resolution(first.target, (A,)))
    assert ignored.state is S.LOOKING_UP and ignored.card_device is None
    assert flow.lookup_result(second.ticket, Resolution(second.target, (B,))).card_device == B


def test_an_apply_runs_to_its_outcome_and_enter_waits_for_it() -> None:
    flow, clock = bench()
    found(flow, A)
    clock.now += 1.0
    decision = flow.press_apply()
    send = decision.send
    assert send is not None and decision.snapshot.state is S.APPLYING
    assert flow.press_apply().send is None  # a second Enter while applying
    busy = flow.scan(ScanTarget("serial", B.serial_number))
    assert busy.state is S.APPLYING and busy.notice is not None and busy.lookup is None
    after = AutopilotDevice("a", A.serial_number, "HP", "EliteBook", group_tag="Kiosk")
    outcome = ApplyOutcome(3, "verified", after, send.change, "Applied and verified in Intune.")
    done = flow.apply_result(send.ticket, outcome)
    assert done.state is S.VERIFIED and done.banner.kind == "ok" and done.sound == "success"
    assert done.card_device == after and not done.apply_enabled
    assert done.banner.text() == "✔ 5CG3810DNA: Applied and verified in Intune."


def test_a_conflict_or_a_failure_is_shown_with_apply_off() -> None:
    for state, shown in (("conflict", S.CONFLICT), ("failed", S.APPLY_FAILED)):
        flow, clock = bench()
        found(flow, A)
        clock.now += 1.0
        send = flow.press_apply().send
        assert send is not None
        result = flow.apply_result(send.ticket, ApplyOutcome(4, state, A, send.change, "No."))
        assert result.state is shown and result.banner.kind == "error"
        assert not result.apply_enabled and flow.press_apply().send is None
