"""A code read another way than its first reading (a Dell Express Service Code is its service
tag in base 10) finds the device only with that said; a change needs the device named."""

from __future__ import annotations

import copy
import uuid

import pytest

from .conftest import Bench

TAG, ESC = "5RFDP01", "12542331601"  # Dell: the tag read as a base-36 number, in base 10


@pytest.fixture
def dell(bench: Bench) -> tuple[Bench, str]:
    record = copy.deepcopy(next(iter(bench.tenant.devices.values())))
    device_id = str(uuid.uuid4())
    record.update(id=device_id, serialNumber=TAG, manufacturer="Dell Inc.", groupTag="")
    bench.tenant.store.add_device(record)
    return bench, device_id


def test_lookup_says_which_reading_found_the_device(dell: tuple[Bench, str]) -> None:
    bench, device_id = dell
    ran = bench.cli("lookup", ESC)
    assert ran.code == 0, ran.err
    assert ran.out.splitlines()[0] == f"Found as service tag {TAG} from Express Service Code {ESC}."
    assert device_id in ran.out


def test_assign_through_another_reading_needs_the_device_named(dell: tuple[Bench, str]) -> None:
    bench, device_id = dell
    ran = bench.cli("assign", ESC, "--group-tag", "Kiosk")
    assert ran.code == 4 and ran.out == ""
    (line,) = [x for x in ran.err_lines if x.startswith("scanner-app:")]
    assert f"found as service tag {TAG}" in line and f"--device-id {device_id}" in line
    assert bench.tenant.applied_updates(device_id) == 0

    ran = bench.cli("assign", ESC, "--group-tag", "Kiosk", "--device-id", device_id)
    assert ran.code == 0, ran.err
    assert bench.tenant.applied_updates(device_id) == 1
