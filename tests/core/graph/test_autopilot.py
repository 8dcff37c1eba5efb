"""AutopilotService against the simulated tenant: one request per lookup, escaped literals,
exact matches, writes applied once, sync's refusals explained, imports polled."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scanner_app.core.device_cache import CachedAutopilot, CachedResolution, DeviceCache
from scanner_app.core.graph.autopilot import AutopilotService, serial_filter
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.errors import GraphError, SyncRefused, WriteOutcomeUnknown
from scanner_app.core.graph.profile_follow import FollowPlan, follow_profile
from scanner_app.core.models import DeviceChange, ProfileState, ScanTarget
from scanner_app.core.payload import express_service_code, normalise_serial, parse
from scanner_app.core.tenant_sim import SimulatedTenant
from tests.conftest import CONTRACT

from .conftest import FakeClock, SleepRecorder

DEVICES = "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities"


@pytest.fixture
def service(client: GraphClient) -> AutopilotService:
    return AutopilotService(client)


def lookups(tenant: SimulatedTenant) -> list[str]:
    return [r.query["$filter"] for r in tenant.requests if r.path == DEVICES]


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        ("5cg1234xyz", "contains(serialNumber,'5CG1234XYZ')"),
        ("O'BRIEN1", "contains(serialNumber,'O''BRIEN1')"),
        ("X' or 1 eq 1 or '", "contains(serialNumber,'X''OR1EQ1OR''')"),
        ("'')", "contains(serialNumber,''''')')"),
        ("ABC)(DEF", "contains(serialNumber,'ABC)(DEF')"),
        ("ünï序列№5", "contains(serialNumber,'ÜNÏ序列№5')"),
        ("A&B#C+D%20", "contains(serialNumber,'A&B#C+D%20')"),
        ("0000-1111-2222-33", "contains(serialNumber,'0000')"),
        ("X" * 2000, "contains(serialNumber,'" + "X" * 2000 + "')"),
    ],
)
def test_hostile_serials_reach_graph_as_one_escaped_literal(
    sim: SimulatedTenant, service: AutopilotService, serial: str, expected: str
) -> None:
    assert service.find_by_serial(serial) == []
    assert lookups(sim) == [expected]
    assert serial_filter(serial) == expected
    raw = sim.requests[0].raw_query
    assert " " not in raw and "+" not in raw.replace("%2B", "")


def test_an_unescaped_literal_would_have_been_refused(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    with pytest.raises(GraphError) as err:
        client.get(DEVICES[5:], {"$filter": "contains(serialNumber,'X' or 1 eq 1 or '')"})
    assert err.value.status == 400


def test_eq_on_serial_number_is_a_400_as_on_graph(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    serial = next(iter(sim.devices.values()))["serialNumber"]
    with pytest.raises(GraphError) as err:
        client.get(DEVICES[5:], {"$filter": f"serialNumber eq '{serial}'"})
    assert err.value.status == 400 and "contains" in str(err.value)


def test_a_lookup_costs_exactly_one_request_and_matches_exactly(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    device = next(iter(sim.devices.values()))
    serial = device["serialNumber"].strip()
    found = service.find_by_serial(serial.lower())
    assert [d.id for d in found] == [device["id"]]
    assert len(sim.requests) == 1
    # A substring of a real serial is not that device.
    assert service.find_by_serial(serial[:-1]) == []


def test_lowercase_trailing_space_hyphenated_and_duplicate_serials(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    devices = list(sim.devices.values())
    lower, hyperv, spaced = devices[4], devices[6], devices[7]
    assert lower["serialNumber"].islower() and spaced["serialNumber"].endswith(" ")
    assert [d.id for d in service.find_by_serial(lower["serialNumber"].upper())] == [lower["id"]]
    assert [d.id for d in service.find_by_serial(hyperv["serialNumber"])] == [hyperv["id"]]
    assert [d.id for d in service.find_by_serial(spaced["serialNumber"].strip())] == [spaced["id"]]
    twins = service.find_by_serial(devices[1]["serialNumber"])
    assert sorted(d.id for d in twins) == sorted([devices[1]["id"], devices[37]["id"]])
    assert len(sim.requests) == 4


def test_lookups_and_updates_complete_under_throttling_and_outages(
    sim: SimulatedTenant, service: AutopilotService, sleeps: SleepRecorder
) -> None:
    device = list(sim.devices.values())[8]
    sim.faults.throttle(count=1, retry_after=4)
    sim.faults.throttle(count=1)
    sim.faults.error(503, count=1)
    sim.faults.drop(count=1, method="GET")
    found = service.find_by_serial(device["serialNumber"])
    assert [d.id for d in found] == [device["id"]]
    sim.faults.throttle(count=1, method="POST")
    sim.faults.error(503, count=1, method="POST")
    service.update(device["id"], DeviceChange(group_tag="Bench-7"))
    assert sim.applied_updates(device["id"]) == 1
    assert service.get(device["id"]).group_tag == "Bench-7"
    assert sleeps.waits[0] == 4 and len(sleeps.waits) == 6


@pytest.mark.parametrize("applied_before_drop", [True, False])
def test_a_lost_answer_is_resolved_by_rereading_never_by_resending_blindly(
    sim: SimulatedTenant, service: AutopilotService, applied_before_drop: bool
) -> None:
    device_id = list(sim.devices)[9]
    change = DeviceChange(group_tag="Once-Only")
    sim.faults.drop(count=1, method="POST", after_processing=applied_before_drop)
    with pytest.raises(WriteOutcomeUnknown):
        service.update(device_id, change)
    # The caller's protocol (the outbox does this): re-read, resend only if not shown.
    if not change.shown_in(service.get(device_id)):
        service.update(device_id, change)
    assert service.get(device_id).group_tag == "Once-Only"
    assert sim.applied_updates(device_id) == 1


def test_update_sends_only_the_fields_that_change(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    device_id = list(sim.devices)[10]
    service.update(device_id, DeviceChange(group_tag="Sales"))
    service.update(device_id, DeviceChange())  # nothing to send: no request
    service.update(device_id, DeviceChange(user_principal_name="", group_tag="Kiosk"))
    posts = [(r.path.rsplit("/", 1)[1], r.json) for r in sim.requests if r.method == "POST"]
    assert posts == [
        ("updateDeviceProperties", {"groupTag": "Sales"}),
        ("unassignUserFromDevice", None),
        ("updateDeviceProperties", {"groupTag": "Kiosk"}),
    ]
    assert sim.devices[device_id]["userPrincipalName"] == ""


def test_assign_and_unassign_a_user(sim: SimulatedTenant, service: AutopilotService) -> None:
    device_id = list(sim.devices)[11]
    service.assign_user(device_id, "ada.baker@contoso.example", "Ada Baker")
    assert service.get(device_id).user_principal_name == "ada.baker@contoso.example"
    service.unassign_user(device_id)
    assert service.get(device_id).user_principal_name == ""


def test_reads_show_a_change_only_after_the_consistency_delay(
    make_tenant: Callable[..., SimulatedTenant],
    make_client: Callable[..., GraphClient],
    clock: FakeClock,
) -> None:
    tenant = make_tenant(consistency_delay=5.0, clock=clock)
    service = AutopilotService(make_client(tenant))
    device_id = next(iter(tenant.devices))
    before = service.get(device_id).group_tag
    service.update(device_id, DeviceChange(group_tag="Later"))
    assert service.get(device_id).group_tag == before
    clock.advance(5.0)
    assert service.get(device_id).group_tag == "Later"


def test_sync_refusals_say_when_the_next_sync_is_possible(
    make_tenant: Callable[..., SimulatedTenant],
    make_client: Callable[..., GraphClient],
    clock: FakeClock,
) -> None:
    tenant = make_tenant(clock=clock)
    when = [dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone.utc)]
    service = AutopilotService(make_client(tenant), now=lambda: when[0])
    service.sync()
    with pytest.raises(SyncRefused) as running:
        service.sync()
    assert running.value.status == 409 and "already running" in str(running.value)
    clock.advance(120)
    when[0] += dt.timedelta(seconds=120)
    with pytest.raises(SyncRefused) as soon:
        service.sync()
    assert soon.value.status == 429
    assert soon.value.next_possible_at == dt.datetime(2026, 11, 27, 9, 10, tzinfo=dt.timezone.utc)
    assert "next sync possible at" in str(soon.value)
    clock.advance(480)
    service.sync()
    syncs = [r for r in tenant.requests if r.path.endswith("/sync")]
    assert len(syncs) == 4 and all(r.path.startswith("/beta/") for r in syncs)


def test_group_tags_in_use_are_distinct_sorted_and_cached(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    expected = sorted({d["groupTag"] for d in sim.devices.values() if d["groupTag"]})
    assert service.group_tags_in_use() == expected
    count = len(sim.requests)
    assert service.group_tags_in_use() == expected
    assert len(sim.requests) == count
    service.update(next(iter(sim.devices)), DeviceChange(group_tag="Zeta-New"))
    assert "Zeta-New" in service.group_tags_in_use()


def test_import_a_hardware_hash_and_poll_until_it_completes(
    sim: SimulatedTenant, client: GraphClient, sleeps: SleepRecorder
) -> None:
    service = AutopilotService(client)
    blob = base64.b64encode(b"hardware hash bytes" * 20).decode()
    result = service.import_hardware_hash("NEW-SERIAL-1", blob, group_tag="Lab", poll_interval=3)
    assert result.status == "complete"
    assert sim.devices[result.device_id]["groupTag"] == "Lab"
    assert sleeps.waits == [3]
    again = service.import_hardware_hash("NEW-SERIAL-1", blob, poll_interval=3)
    assert (again.status, again.error_name) == ("error", "ZtdDeviceAlreadyAssigned")


def test_resolve_turns_every_outcome_into_a_resolution(
    sim: SimulatedTenant, make_client: Callable[..., GraphClient]
) -> None:
    service = AutopilotService(make_client(sim, max_retries=0))
    devices = list(sim.devices.values())
    serial = devices[0]["serialNumber"]
    assert service.resolve(ScanTarget("serial", serial)).kind == "found"
    assert service.resolve(ScanTarget("serial", devices[1]["serialNumber"])).kind == "several"
    assert service.resolve(ScanTarget("ztd_id", devices[2]["id"])).kind == "found"
    assert service.resolve(ScanTarget("ztd_id", "not-a-guid")).kind == "not_found"
    assert service.resolve(ScanTarget("serial", "NOSUCHSERIAL")).kind == "not_found"
    assert service.resolve(ScanTarget("rejected", reason="blurred")).kind == "rejected"
    sim.faults.error(500, count=1)
    failed = service.resolve(ScanTarget("serial", serial))
    assert failed.kind == "error" and "temporarily unavailable" in failed.error


@pytest.fixture(scope="module")
def shared_tenant() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(device_count=20, validate_contract=True, contract_path=CONTRACT) as t:
        yield t
        assert not t.contract_violations, "\n".join(t.contract_violations)


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=40))
def test_any_text_reaches_graph_as_exactly_that_literal(
    shared_tenant: SimulatedTenant, text: str
) -> None:
    wanted = normalise_serial(text)
    assume(wanted and "-" not in wanted)
    client = GraphClient(shared_tenant.base_url, lambda: shared_tenant.issue_token())
    AutopilotService(client).find_by_serial(text)
    received = shared_tenant.requests[-1].query["$filter"]
    match = re.fullmatch(r"contains\(serialNumber,'((?:[^']|'')*)'\)", received)
    assert match is not None, received
    assert match.group(1).replace("''", "'") == wanted


def test_an_import_that_never_finishes_times_out_without_spinning(
    sim: SimulatedTenant, client: GraphClient, sleeps: SleepRecorder
) -> None:
    sim.api.import_polls = 10**9
    blob = base64.b64encode(b"x" * 64).decode()
    result = AutopilotService(client).import_hardware_hash(
        "SLOW1", blob, poll_interval=30, timeout=120
    )
    assert result.status == "timeout"
    assert sleeps.waits == [30, 30, 30, 30]


def test_a_vm_serial_stored_with_spaces_is_found_from_its_label(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    """VMware reports ``VMware-56 4d …`` (spaces between hex pairs) and Intune keeps it so; the
    serial typed or scanned without spaces still finds the VM, with a second query by name."""
    vm = dict(next(iter(sim.devices.values())))
    vm.update(
        id="0f7c3a52-6d1e-4c8b-9a0e-2b5d7f1e9c41",
        serialNumber="VMware-56 4d 2f 1a 3b 5c 6d 7e-8f 90 a1 b2 c3 d4 e5 f6",
        manufacturer="VMware, Inc.",
        model="VMware7,1",
    )
    sim.store.add_device(vm)
    found = service.find_by_serial("vmware-564d2f1a3b5c6d7e-8f90a1b2c3d4e5f6")
    assert [d.id for d in found] == [vm["id"]]
    assert lookups(sim) == [
        "contains(serialNumber,'564D2F1A3B5C6D7E')",
        "contains(serialNumber,'VMWARE')",
    ]
    # A serial that is simply not there costs the second query only when it has a name prefix.
    before = len(lookups(sim))
    assert service.find_by_serial("VMware-56 4d 00 00 00 00 00 00-00 00") == []
    assert service.find_by_serial("5CG0000000") == []
    assert len(lookups(sim)) - before == 3


# -- the Profile row: beta's profile assignment, read apart from the look-up -------------------
BETA_DEVICES = "/beta/deviceManagement/windowsAutopilotDeviceIdentities"


def first_with(sim: SimulatedTenant, **wanted: str) -> dict[str, Any]:
    return next(d for d in sim.devices.values() if all(d.get(k) == v for k, v in wanted.items()))


def test_the_profile_is_a_second_beta_read_and_the_lookup_stays_one_v1_request(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    kiosk = first_with(sim, groupTag="Kiosk")
    found = service.find_by_serial(kiosk["serialNumber"])
    assert [r.path for r in sim.requests] == [DEVICES]
    assert "deploymentProfileAssignmentStatus" not in sim.requests[0].query["$select"]
    state = service.profile(found[0].id)
    assert state.describe() == "Kiosk — assigned"
    read = sim.requests[-1]
    assert (read.method, read.path) == ("GET", f"{BETA_DEVICES}/{kiosk['id']}")
    assert read.query == {"$expand": "deploymentProfile,intendedDeploymentProfile"}
    assert len(sim.requests) == 2


def test_every_seeded_kind_of_device_reads_in_the_operators_words(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    words = {service.profile(i).describe() for i in sim.devices}
    assert {"Kiosk — assigned", "Staff laptop — assigned", "not assigned"} <= words
    assert "Shared device — assignment failed" in words  # a VM given a self-deploying profile
    assert "not assigned · hash needs remediation (manual)" in words  # the board swapped


@pytest.mark.parametrize(
    ("status", "remediation", "expected"),
    [
        ("assignedInSync", "noRemediationRequired", "Kiosk — assigned"),
        ("assignedOutOfSync", "unknown", "Kiosk — assigned, not synced"),
        ("assignedUnkownSyncState", "", "Kiosk — assigned"),  # Graph's spelling
        ("notAssigned", "noRemediationRequired", "not assigned"),
        ("pending", "", "Kiosk — pending"),
        ("failed", "", "Kiosk — assignment failed"),
        ("unknown", "", "Kiosk — status unknown"),
        ("unknownFutureValue", "", "status unknown"),
        ("assignedInSync", "automaticRemediationRequired", "Kiosk — assigned · hash needs "
         "remediation (automatic)"),
        ("notAssigned", "manualRemediationRequired", "not assigned · hash needs remediation "
         "(manual)"),
    ],
)  # fmt: skip
def test_every_documented_status_has_short_operator_words(
    status: str, remediation: str, expected: str
) -> None:
    assigned = status.startswith("assigned") or status == "unknown"
    profile = {"displayName": "Kiosk"}
    obj = {
        "id": "d1",
        "deploymentProfileAssignmentStatus": status,
        "remediationState": remediation,
        "deploymentProfile": profile if assigned else None,
        "intendedDeploymentProfile": profile if status in {"pending", "failed"} else None,
    }
    assert ProfileState.from_graph(obj).describe() == expected


@pytest.mark.parametrize(
    "refusal",
    ["403", "400", "404", "network"],
)
def test_when_beta_refuses_the_profile_is_unavailable_and_the_lookup_still_works(
    sim: SimulatedTenant, service: AutopilotService, refusal: str
) -> None:
    device = first_with(sim, groupTag="Kiosk")
    device_id = device["id"]
    if refusal == "network":
        sim.faults.drop(count=None, path=f"{BETA_DEVICES}*")
    elif refusal == "404":
        device_id = "00000000-0000-4000-8000-000000000000"
    else:
        sim.faults.error(int(refusal), count=None, path=f"{BETA_DEVICES}*")
    state = service.profile(device_id)
    assert not state.available and state.describe() == "unavailable"
    assert state.device_id == device_id and state.error
    assert [d.id for d in service.find_by_serial(device["serialNumber"])] == [device["id"]]


def test_a_new_tag_is_followed_from_pending_to_assigned_on_an_injected_clock(
    make_tenant: Callable[..., SimulatedTenant],
    make_client: Callable[..., GraphClient],
    clock: FakeClock,
) -> None:
    sim = make_tenant(clock=clock)
    service = AutopilotService(make_client(sim))
    device = first_with(sim, groupTag="Kiosk")
    service.update(device["id"], DeviceChange(group_tag="Sales"))
    waits: list[float] = []

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        clock.advance(seconds)
        return False

    seen: list[ProfileState] = []
    last = follow_profile(
        service.profile, device["id"], seen.append, wait=wait, clock=clock, after_change=True
    )
    assert [s.describe() for s in seen] == [
        "Staff laptop — pending",
        "Staff laptop — pending",
        "Staff laptop — assigned",
    ]
    assert last == seen[-1] and waits == [2.0, 4.0]  # 6 s: past the tenant's 5 s


def test_a_follow_ends_at_its_bound_and_when_told_to_stop(
    sim: SimulatedTenant, service: AutopilotService, clock: FakeClock
) -> None:
    device = first_with(sim, groupTag="Sales")
    service.update(device["id"], DeviceChange(group_tag="Finance"))  # the same profile
    plan = FollowPlan(first=2, longest=15, bound=120)
    reads: list[ProfileState] = []

    def wait(seconds: float) -> bool:
        clock.advance(seconds)
        return False

    follow_profile(
        service.profile, device["id"], reads.append, wait=wait, clock=clock, plan=plan,
        after_change=True,
    )  # fmt: skip
    # Never pending: read on until the bound, eleven reads in two minutes, none past it.
    assert len(reads) == len(plan.pauses()) + 1 == 11
    assert sum(plan.pauses()) <= 120
    # A plain look-up stops at the first settled reading; a stop request ends it at once.
    assert_reads = len(sim.requests)
    follow_profile(service.profile, device["id"], reads.append, wait=wait, clock=clock)
    assert len(sim.requests) == assert_reads + 1
    pending = first_with(sim, groupTag="")
    service.update(pending["id"], DeviceChange(group_tag="Kiosk"))
    before = len(sim.requests)
    follow_profile(service.profile, pending["id"], reads.append, wait=lambda s: True, clock=clock)
    assert len(sim.requests) == before + 1 and reads[-1].pending


# -- several readings, one look-up (issue 15) -----------------------------------------------------
def add_device(sim: SimulatedTenant, serial: str, device_id: str) -> dict[str, Any]:
    device = dict(next(iter(sim.devices.values())), id=device_id, serialNumber=serial)
    sim.store.add_device(device)
    return device


ID_A = "0f7c3a52-6d1e-4c8b-9a0e-2b5d7f1e9c41"
ID_B = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def test_an_express_service_code_finds_the_tag_with_a_second_request_and_says_so(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    add_device(sim, "7XK2LM3", ID_A)
    code = express_service_code("7XK2LM3")
    resolution = service.resolve(parse(code))
    assert [d.id for d in resolution.devices] == [ID_A]
    assert lookups(sim) == [f"contains(serialNumber,'{code}')", "contains(serialNumber,'7XK2LM3')"]
    assert resolution.found_as == f"service tag 7XK2LM3 from Express Service Code {code}"
    assert resolution.describe() == f"Found as {resolution.found_as}."
    # The tag itself is the code's first reading: nothing to point out.
    assert service.resolve(parse("7XK2LM3")).found_as == ""


def test_readings_that_contain_one_another_are_one_request(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    """Lenovo's 1S code: the serial is a substring of type-model + serial, so one contains query
    serves both, and the exact match on the client says which one Intune holds."""
    add_device(sim, "20S0CTO1WWPF1ABCDE", ID_A)  # a device registered with MTM + serial
    resolution = service.resolve(parse("1S20S0CTO1WWPF1ABCDE"))
    assert [d.id for d in resolution.devices] == [ID_A]
    assert lookups(sim) == ["contains(serialNumber,'PF1ABCDE')"]
    assert "type-model and serial 20S0CTO1WWPF1ABCDE" in resolution.found_as
    # Apple's S code: with and without the S, one request.
    add_device(sim, "C02XL0GHJGH5", ID_B)
    before = len(lookups(sim))
    assert [d.id for d in service.resolve(parse("SC02XL0GHJGH5")).devices] == [ID_B]
    assert lookups(sim)[before:] == ["contains(serialNumber,'C02XL0GHJGH5')"]


def test_the_first_reading_wins_when_both_readings_name_a_device(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    add_device(sim, "PF1ABCDE", ID_A)
    add_device(sim, "20S0CTO1WWPF1ABCDE", ID_B)
    resolution = service.resolve(parse("1S20S0CTO1WWPF1ABCDE"))
    assert [d.id for d in resolution.devices] == [ID_A] and resolution.found_as == ""


def test_a_bare_guid_is_a_ztd_id_first_and_a_serial_second(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    device = list(sim.devices.values())[3]
    assert service.resolve(parse(device["id"].upper())).devices[0].id == device["id"]
    assert len(sim.requests) == 1
    guid = "4c4c4544-0042-3510-8052-b4c04f384d32"  # a UUID some firmware reports as serial
    add_device(sim, guid.upper(), ID_A)
    resolution = service.resolve(parse(guid))
    assert [d.id for d in resolution.devices] == [ID_A]
    assert len(sim.requests) == 3  # GET by id (404), then one contains query
    assert resolution.found_as.startswith(f"serial {guid.upper()}")


def test_a_serial_stored_with_inner_spaces_is_found_as_printed_or_typed(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    add_device(sim, "TB 33-0042 A", ID_A)
    for text in ("TB 33-0042 A", "TB33-0042A", "tb33-0042a"):
        before = len(sim.requests)
        assert [d.id for d in service.resolve(parse(text)).devices] == [ID_A], text
        assert len(sim.requests) - before == 2
    assert lookups(sim)[-2:] == ["contains(serialNumber,'0042A')", "contains(serialNumber,'0042')"]


def test_a_vmware_serial_read_with_its_spaces_costs_one_request(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    serial = "VMware-56 4d 2f 1a 3b 5c 6d 7e-8f 90 a1 b2 c3 d4 e5 f6"
    add_device(sim, serial, ID_A)
    for text in (serial, "S/N: " + serial, serial.upper()):
        assert [d.id for d in service.resolve(parse(text)).devices] == [ID_A], text
    assert lookups(sim) == ["contains(serialNumber,'VMWARE')"] * 3


def test_a_lookup_never_costs_more_than_two_requests(
    sim: SimulatedTenant, service: AutopilotService
) -> None:
    """A ZtdId that is not there, with a hyphenated serial that is not there either: the
    budget is two requests, not one per reading and fallback."""
    text = json.dumps({"BlockSequence": {"Id": "", "ZtdId": ID_B, "SerialNumber": "AB-12-CD-34",
                                         "SequenceBlockNumber": 1, "TotalBlocks": 1}})  # fmt: skip
    resolution = service.resolve(parse(text))
    assert resolution.kind == "not_found" and len(sim.requests) == 2


def test_the_offline_cache_says_which_reading_found_the_device_too(
    sim: SimulatedTenant, service: AutopilotService, tmp_path: Path
) -> None:
    add_device(sim, "7XK2LM3", ID_A)
    cached = CachedAutopilot(service, DeviceCache(tmp_path / "devices.sqlite3"))
    code = express_service_code("7XK2LM3")
    online = cached.resolve(parse(code))
    assert online.found_as == f"service tag 7XK2LM3 from Express Service Code {code}"
    sim.stop()
    offline = cached.resolve(parse(code))
    assert isinstance(offline, CachedResolution) and offline.stale
    assert [d.id for d in offline.devices] == [ID_A] and offline.found_as == online.found_as
