"""A device found through another reading of the code (a Dell Express Service Code is its
service tag in base 10) is never offered for Enter without the banner saying so (issue 15)."""

from __future__ import annotations

import time

from scanner_app.core.bench import BenchFlow, BenchState, Source
from scanner_app.core.device_cache import CachedResolution
from scanner_app.core.models import AutopilotDevice, Resolution
from scanner_app.core.payload import parse

ESC, TAG = "12542331601", "5RFDP01"


def _devices(count: int) -> tuple[AutopilotDevice, ...]:
    return tuple(AutopilotDevice(id=f"id-{n}", serial_number=TAG) for n in range(count))


def _looked_up(resolution_of: type[Resolution], count: int, **extra: object) -> BenchFlow:
    clock = [100.0]
    flow = BenchFlow(lambda: clock[0])
    target = parse(ESC)
    reading = next(r for r in target.readings if r.value == TAG)
    snap = flow.scan(target, Source.CAMERA)
    assert snap.lookup is not None
    answer = resolution_of(target, _devices(count), reading=reading, **extra)
    assert answer.found_as  # the code's first reading is the number itself
    flow.lookup_result(snap.lookup.ticket, answer)
    clock[0] += 5.0
    flow.set_group_tag("Kiosk")
    return flow


def _says_how(flow: BenchFlow) -> None:
    banner = flow.snapshot.banner.text()
    assert f"service tag {TAG} from Express Service Code {ESC}" in banner, banner


def test_found_live_says_which_reading_found_it() -> None:
    flow = _looked_up(Resolution, 1)
    assert flow.snapshot.state is BenchState.FOUND and flow.snapshot.apply_enabled
    _says_how(flow)


def test_found_in_the_offline_copy_says_which_reading_found_it() -> None:
    flow = _looked_up(CachedResolution, 1, seen_at=time.time() - 60)
    assert flow.snapshot.state is BenchState.OFFLINE and flow.snapshot.apply_enabled
    _says_how(flow)


def test_a_picked_match_says_which_reading_found_it() -> None:
    flow = _looked_up(Resolution, 2)
    flow.pick(1)
    assert flow.snapshot.apply_enabled
    _says_how(flow)
