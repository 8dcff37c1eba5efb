"""What the screen says in each of the flow's states, and the messages the GUI translates."""

from __future__ import annotations

import re

import pytest

from scanner_app.core.bench import MESSAGES, BenchFlow, BenchState, Message, Source
from scanner_app.core.bench.device_names import DeviceNameError, make_device_name
from scanner_app.core.bench.messages import fill
from scanner_app.core.device_cache import CachedResolution
from scanner_app.core.models import AutopilotDevice, Resolution, ScanTarget
from scanner_app.core.workflow import ApplyOutcome

S = BenchState
A = AutopilotDevice("a", "5CG3810DNA", group_tag="Old")
SERIAL = ScanTarget("serial", A.serial_number)


class Clock:
    def __init__(self) -> None:
        self.now = 10.0

    def __call__(self) -> float:
        return self.now


def looked_up(flow: BenchFlow, seen_at: float | None = None) -> None:
    """SERIAL is read and found (in the offline copy when ``seen_at`` is given)."""
    request = flow.scan(SERIAL).lookup
    assert request is not None
    if seen_at is None:
        flow.lookup_result(request.ticket, Resolution(SERIAL, (A,)))
    else:
        flow.lookup_result(request.ticket, CachedResolution(SERIAL, (A,), seen_at=seen_at))


def test_the_waiting_line_asks_for_a_camera_only_when_there_is_one() -> None:
    flow = BenchFlow(Clock())
    assert flow.snapshot.state is S.IDLE
    assert flow.snapshot.banner.text() == "Ready: hold a device label up to the camera."
    without = flow.set_camera_available(False)
    assert without.banner.key == "ready-no-camera" and without.banner.kind == "info"


def test_an_autopilot_code_being_read_shows_its_progress_unless_a_card_waits() -> None:
    flow = BenchFlow(Clock())
    reading = flow.scan(ScanTarget("rejected", reason="keep it in view", progress=(1, 3)))
    assert (
        reading.state is S.READING and reading.banner.text() == "Autopilot code: block 1 of 3 read…"
    )
    flow.set_group_tag("Lab")
    looked_up(flow)
    over_card = flow.scan(ScanTarget("rejected", reason="keep it in view", progress=(2, 3)))
    assert over_card.state is S.FOUND and over_card.banner.key == "found"
    assert over_card.notice is not None and over_card.notice.message.key == "reading-notice"


def test_two_labels_in_view_are_refused_or_noted() -> None:
    flow = BenchFlow(Clock())
    pair = (SERIAL, ScanTarget("serial", "8Q6YF1L"))
    shown = flow.two_labels(pair)
    assert shown.state is S.TWO_LABELS and shown.banner.kind == "error"
    assert "serial 5CG3810DNA, serial 8Q6YF1L" in shown.banner.text()
    looked_up(flow)
    noted = flow.two_labels(pair)
    assert noted.state is S.FOUND and noted.notice is not None


def test_an_offline_copy_says_when_it_was_seen_and_can_still_be_queued() -> None:
    clock = Clock()
    flow = BenchFlow(clock, format_time=lambda t: f"at {t:.0f}")
    flow.set_group_tag("Lab")
    looked_up(flow, seen_at=1_700_000_000.0)
    offline = flow.snapshot
    assert offline.state is S.OFFLINE and offline.stale_seen_at == 1_700_000_000.0
    assert offline.banner.kind == "busy" and "seen at 1700000000" in offline.banner.text()
    clock.now += 1.0
    send = flow.press_apply().send
    assert send is not None
    outcome = ApplyOutcome(5, "pending", A, send.change, "Queued: Graph is not reachable.")
    queued = flow.apply_result(send.ticket, outcome)
    assert queued.state is S.QUEUED and queued.banner.kind == "busy" and not queued.apply_enabled


def test_not_found_and_failed_look_ups_name_the_label() -> None:
    flow = BenchFlow(Clock())
    request = flow.scan(SERIAL).lookup
    assert request is not None
    missing = flow.lookup_result(request.ticket, Resolution(SERIAL))
    assert missing.state is S.NOT_FOUND
    assert missing.banner.text() == "No Autopilot device found for serial 5CG3810DNA."
    request = flow.scan(SERIAL).lookup  # the same label again: looked up again now
    assert request is not None
    failed = flow.lookup_failed(request.ticket, "Graph is not reachable")
    assert failed.state is S.LOOKUP_FAILED and failed.banner.kind == "error"
    assert failed.banner.text() == "Look-up of serial 5CG3810DNA failed: Graph is not reachable"


def test_a_name_template_that_cannot_name_the_device_keeps_apply_off() -> None:
    def refuse(device: AutopilotDevice) -> str:
        raise DeviceNameError("The name would be longer than 15 characters.")

    flow = BenchFlow(Clock(), device_name=refuse)
    flow.set_group_tag("Lab")
    looked_up(flow)
    shown = flow.snapshot
    assert shown.banner.kind == "error" and "longer than 15" in shown.banner.text()
    assert not shown.apply_enabled and shown.apply_disabled_reason == shown.banner


def test_the_device_name_is_made_once_per_card() -> None:
    clock = Clock()
    flow = BenchFlow(clock, device_name=lambda d: make_device_name("PC-%RAND:5%", d.serial_number))
    looked_up(flow)
    first = flow.snapshot.change
    flow.set_group_tag("Lab")
    assert first is not None and flow.snapshot.change is not None
    assert flow.snapshot.change.display_name == first.display_name
    clock.now += 1.0
    send = flow.press_apply().send
    assert send is not None and send.change.display_name == first.display_name


def test_nothing_to_change_and_nothing_to_apply_are_said() -> None:
    flow = BenchFlow(Clock())
    refused = flow.press_apply()
    assert refused.refusal is not None and refused.refusal.key == "nothing-to-apply"
    assert refused.snapshot.notice is not None and refused.snapshot.banner.key == "ready"
    looked_up(flow)
    assert flow.snapshot.apply_disabled_reason == Message("nothing-to-change")
    flow.set_group_tag("Old")  # what the device already has
    assert not flow.snapshot.apply_enabled


def test_skip_goes_back_to_waiting_and_keeps_the_planned_change() -> None:
    flow = BenchFlow(Clock())
    flow.set_group_tag("Lab")
    looked_up(flow)
    skipped = flow.skip()
    assert skipped.state is S.IDLE and skipped.card_device is None
    assert skipped.plan.group_tag == "Lab" and skipped.target is None


def test_a_scan_remembers_where_it_came_from() -> None:
    flow = BenchFlow(Clock())
    for source in Source:
        shown = flow.scan(ScanTarget("serial", f"SN{source.value.upper()}1"), source)
        assert shown.source is source and shown.lookup is not None
        assert shown.lookup.source is source


def test_every_message_fills_its_arguments_once() -> None:
    for key, template in MESSAGES.items():
        wanted = {int(n) for n in re.findall(r"%(\d+)", template)}
        assert wanted == set(range(1, len(wanted) + 1)), key
    assert fill("%1 and %2", ("a %2", "b")) == "a %2 and b"
    with pytest.raises(KeyError):
        Message("no-such-key")


def test_graph_being_slow_and_a_second_reading_are_said() -> None:
    flow = BenchFlow(Clock(), format_time=lambda t: f"at {t:.0f}")
    request = flow.scan(SERIAL).lookup
    assert request is not None
    copy = CachedResolution(SERIAL, (A,), seen_at=5.0, slow=True)
    slow = flow.lookup_result(request.ticket, copy)
    assert slow.state is S.OFFLINE and slow.banner.key == "slow"
    assert slow.banner.args == (A.serial_number, "at 5")
    assert slow.label_ticket == request.ticket  # the caller's key for this label's records
    flow.skip()
    assert flow.snapshot.label_ticket is None


def test_a_device_found_by_another_reading_says_which_before_enter() -> None:
    from scanner_app.core.models import Reading

    target = ScanTarget(
        "serial",
        "17266573803",
        readings=(
            Reading("serial", "17266573803"),
            Reading("serial", "7XK2LM3", "service tag", "Express Service Code 17266573803"),
        ),
    )
    found = Resolution(target, (A,), reading=target.readings[1])
    assert found.found_as  # the payload's words for the second reading
    flow = BenchFlow(Clock())
    request = flow.scan(target).lookup
    assert request is not None
    shown = flow.lookup_result(request.ticket, found)
    assert shown.banner.key == "found-as"
    assert shown.banner.args == (A.serial_number, found.found_as)
