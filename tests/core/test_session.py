"""Bench session: rows, duplicates, summary, CSV, and device names from a template."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.core.bench.session import (
    BenchSession,
    DeviceNameError,
    RowState,
    check_template,
    make_device_name,
)
from scanner_app.core.models import AutopilotDevice, ScanTarget


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def serial(value: str) -> ScanTarget:
    return ScanTarget("serial", value)


def test_sticky_choices_go_on_a_row_with_its_change_and_not_before() -> None:
    """A row only found (or waiting for a pick) has had nothing applied: its tag and user stay
    empty until Apply sends the sticky choices in force then."""
    session = BenchSession(group_tag="LAB", user_principal_name="ann@contoso.com")
    device = AutopilotDevice(id="dev-1", serial_number="SN1")
    first = session.add_scan(serial("SN1"))
    assert first.state is RowState.LOOKING_UP
    found = session.update(first.id, RowState.FOUND, device=device)
    several = session.add_scan(serial("SN2"))
    several = session.update(several.id, RowState.SEVERAL)
    for row in (first, found, several):
        assert (row.group_tag, row.user_principal_name) == ("", ""), row
    session.group_tag = "OFFICE"
    applying = session.update(first.id, RowState.APPLYING)
    assert (applying.group_tag, applying.user_principal_name) == ("OFFICE", "ann@contoso.com")
    assert session.update(first.id, RowState.VERIFIED).group_tag == "OFFICE"
    assert [line.count("OFFICE") for line in session.to_csv_text().splitlines()[1:]] == [1, 0]


def test_skip_marks_a_waiting_row_skipped_and_leaves_a_finished_one_alone() -> None:
    from scanner_app.core.models import Resolution

    session = BenchSession(group_tag="LAB")
    device = AutopilotDevice(id="dev-1", serial_number="SN1")
    found = session.add_scan(serial("SN1"))
    session.update(found.id, RowState.FOUND, device=device)
    skipped = session.skip(found.id)
    assert skipped.state is RowState.SKIPPED and skipped.group_tag == ""
    in_flight = session.add_scan(serial("SN3"))
    session.skip(in_flight.id)  # Esc while the look-up runs; its answer comes in later
    late = session.record_resolution(in_flight.id, Resolution(serial("SN3"), (device,)))
    assert late.state is RowState.SKIPPED
    done = session.add_scan(serial("SN2"))
    session.update(done.id, RowState.APPLYING)
    session.update(done.id, RowState.VERIFIED)
    assert session.skip(done.id).state is RowState.VERIFIED  # Esc after the green tick
    assert session.summary().counts[RowState.SKIPPED] == 2
    assert [r["state"] for r in csv.DictReader(io.StringIO(session.to_csv_text()))] == [
        "skipped",
        "skipped",
        "verified",
    ]


def test_a_change_queued_offline_reads_queued_not_failed() -> None:
    from scanner_app.core.models import DeviceChange
    from scanner_app.core.workflow import ApplyOutcome

    session = BenchSession(group_tag="LAB")
    device = AutopilotDevice(id="dev-1", serial_number="SN1")
    row = session.add_scan(serial("SN1"))
    session.update(row.id, RowState.APPLYING)
    message = "Queued: Graph is not reachable; it will be sent when it is."
    queued = session.record_outcome(
        row.id, ApplyOutcome(3, "pending", device, DeviceChange(group_tag="LAB"), message)
    )
    assert queued.state is RowState.QUEUED and queued.group_tag == "LAB"


def test_rows_that_will_get_no_change_do_not_show_the_sticky_choices() -> None:
    """A refused code, a serial not in Autopilot and a failed look-up get nothing: their rows
    (and the CSV an admin reads later) must not read as if the tag and user went to them."""
    from scanner_app.core.models import Resolution

    session = BenchSession(group_tag="LAB", user_principal_name="ann@contoso.com")
    refused = session.add_scan(ScanTarget("rejected", "", reason="not a serial"))
    missing = session.add_scan(serial("NOPE1"))
    missing = session.record_resolution(missing.id, Resolution(serial("NOPE1")))
    broken = session.add_scan(serial("SN9"))
    broken = session.record_resolution(broken.id, Resolution(serial("SN9"), error="Graph down"))
    for row in (refused, missing, broken):
        assert (row.group_tag, row.user_principal_name) == ("", ""), row
    assert (missing.state, broken.state) == (RowState.NOT_FOUND, RowState.FAILED)
    lines = session.to_csv_text().splitlines()[1:]
    assert not any("LAB" in line or "ann@" in line for line in lines)


def test_same_serial_twice_is_flagged_case_insensitively() -> None:
    session = BenchSession()
    first = session.add_scan(serial("5CG1234"))
    session.add_scan(serial("OTHER"))
    again = session.add_scan(serial("5cg1234"))
    assert not first.is_duplicate
    assert again.duplicate_of == first.id


def test_ztd_scan_of_a_device_scanned_by_serial_is_flagged_once_found() -> None:
    session = BenchSession()
    device = AutopilotDevice(id="dev-1", serial_number="SN9", model="Surface")
    by_serial = session.add_scan(serial("SN9"))
    session.update(by_serial.id, RowState.FOUND, device=device)
    by_ztd = session.add_scan(ScanTarget("ztd_id", "ztd-abc"))
    assert not by_ztd.is_duplicate  # nothing tells yet that it is the same device
    updated = session.update(by_ztd.id, RowState.FOUND, device=device)
    assert updated.duplicate_of == by_serial.id
    assert updated.serial == "SN9" and updated.model == "Surface"


def test_row_states_and_reasons_follow_updates() -> None:
    session = BenchSession()
    row = session.add_scan(serial("SN1"))
    session.update(row.id, RowState.APPLYING)
    failed = session.update(row.id, "failed", reason="Graph said 403")
    assert failed.state is RowState.FAILED and failed.reason == "Graph said 403"
    verified = session.update(row.id, RowState.VERIFIED)
    assert verified.reason == ""
    rejected = session.add_scan(ScanTarget("rejected", reason="Not an Autopilot code"))
    assert rejected.state is RowState.REFUSED and rejected.reason == "Not an Autopilot code"
    with pytest.raises(ValueError):
        session.update(row.id, "exploded")


def test_summary_counts_every_state_and_duration() -> None:
    clock = FakeClock()
    session = BenchSession(clock=clock)
    a = session.add_scan(serial("A"))
    b = session.add_scan(serial("B"))
    session.add_scan(serial("A"))
    clock.now += 125
    session.update(a.id, RowState.VERIFIED)
    session.update(b.id, RowState.NOT_FOUND)
    summary = session.summary()
    assert summary.total == 3
    assert summary.counts[RowState.VERIFIED] == 1
    assert summary.counts[RowState.NOT_FOUND] == 1
    assert summary.counts[RowState.LOOKING_UP] == 1
    assert summary.counts[RowState.APPLIED] == 0
    assert summary.duplicates == 1
    assert summary.duration_s == 125
    assert "3 scans" in summary.text() and "2 min 05 s" in summary.text()


def test_csv_export_to_file_and_stream(tmp_path: Path) -> None:
    session = BenchSession(group_tag="LAB")
    row = session.add_scan(serial("SN1"))
    session.update(row.id, RowState.APPLYING)
    session.update(row.id, RowState.FAILED, reason='=HYPERLINK("x")')
    session.add_scan(serial("SN1"))
    path = tmp_path / "Sitzung ä.csv"
    assert session.export_csv(path) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["serial"] for r in rows] == ["SN1", "SN1"]
    assert rows[0]["reason"].startswith("'=")  # no formula runs when opened in a spreadsheet
    assert rows[1]["duplicate_of"] == str(row.id)
    assert rows[0]["group_tag"] == "LAB" and rows[0]["state"] == "failed"
    stream = io.StringIO()
    session.export_csv(stream)
    assert stream.getvalue().splitlines()[0].startswith("time,serial,")


@pytest.mark.parametrize(
    ("template", "serial_number", "expected"),
    [
        ("LAB-%SERIAL%", "5CG1234567", "LAB-5CG1234567"),
        ("LAB-%serial%", "PF 2AB.C-9", "LAB-PF2ABC-9"),
        ("LAB-%SERIAL%", "ABCDEFGHIJKLMNOP", "LAB-FGHIJKLMNOP"),  # 15 chars, tail kept
    ],
)
def test_device_names_from_serial(template: str, serial_number: str, expected: str) -> None:
    name = make_device_name(template, serial_number)
    assert name == expected
    assert len(name) <= 15


def test_random_digits_are_the_requested_count() -> None:
    name = make_device_name("PC-%RAND:5%", "ignored", rng=random.Random(1))
    assert name.startswith("PC-") and len(name) == 8 and name[3:].isdigit()


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("", "empty"),
        ("LAB-PC", "%SERIAL% or %RAND:n%"),
        ("LAB_%SERIAL%", "letters, digits and hyphens"),
        ("LAB %SERIAL%", "letters, digits and hyphens"),
        ("CONTOSO-LAPTOP-%SERIAL%", "longer than 15"),
        ("X-%RAND:14%", "longer than 15"),
        ("%SERIAL%-%RAND:3%", "not both"),
        ("%DEVICE%-%SERIAL%", "Unknown macro"),
        ("A-%RAND:0%", "at least one digit"),
    ],
)
def test_bad_templates_say_why(template: str, message: str) -> None:
    with pytest.raises(DeviceNameError, match=message):
        check_template(template)


def test_template_check_reports_room_for_the_serial() -> None:
    check = check_template("LAB-%SERIAL%")
    assert check.serial_room == 11 and check.has_serial


def test_all_digit_name_is_refused() -> None:
    with pytest.raises(DeviceNameError, match="only digits"):
        make_device_name("%SERIAL%", "123456")


def test_serial_without_usable_characters_is_refused() -> None:
    with pytest.raises(DeviceNameError, match="no letters or digits"):
        make_device_name("LAB-%SERIAL%", "...")


# ---- a bench run on the simulated tenant -----------------------------------------------------
@pytest.fixture
def services(tenant: Any, tmp_path: Path) -> Iterator[Any]:
    from scanner_app.core.config import Settings
    from scanner_app.core.services import open_services

    settings = Settings.from_mapping({"demo": True})
    with open_services(settings, simulator=tenant, journal_path=tmp_path / "j.sqlite3") as s:
        yield s


def test_bench_run_applies_sticky_choices_and_flags_what_needs_a_person(
    services: Any, tenant: Any
) -> None:
    from scanner_app.core.payload import normalise_serial, parse

    counts = Counter(normalise_serial(d["serialNumber"]) for d in tenant.devices.values())
    unique = [s for s, n in counts.items() if n == 1 and s.isalnum()][:3]
    twice = next(s for s, n in counts.items() if n == 2)
    session = BenchSession(group_tag="Bench-Run", name_template="LAB-%SERIAL%")
    labels = [*unique, "NOPE0000000", twice, unique[0]]
    rows = [session.run_scan(services.workflow, parse(text)) for text in labels]
    states = [row.state for row in rows]
    assert states[:3] == [RowState.VERIFIED] * 3
    assert states[3:5] == [RowState.NOT_FOUND, RowState.SEVERAL]
    assert rows[5].duplicate_of == rows[0].id and rows[5].state is RowState.VERIFIED
    first = next(
        d for d in tenant.devices.values() if normalise_serial(d["serialNumber"]) == unique[0]
    )
    assert first["groupTag"] == "Bench-Run"
    assert first["displayName"] == make_device_name("LAB-%SERIAL%", first["serialNumber"])
    summary = session.summary()
    assert summary.counts[RowState.VERIFIED] == 4 and summary.duplicates == 1
