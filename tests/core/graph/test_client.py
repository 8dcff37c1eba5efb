"""GraphClient against the simulated tenant: retries that honour Graph, writes never re-sent
blindly, typed errors with request ids, paging, token refresh."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from scanner_app.core.graph.client import MAX_RETRY_AFTER, GraphClient
from scanner_app.core.graph.errors import (
    AuthenticationError,
    GraphError,
    GraphTooSlow,
    GraphUnreachable,
    NotFound,
    ServiceUnavailable,
    Throttled,
    WriteOutcomeUnknown,
    human_message,
)
from scanner_app.core.graph.sign_in_errors import SignInUnreachable
from scanner_app.core.tenant_sim import SimulatedTenant

from .conftest import FakeClock, SleepRecorder
from .slow_wire import slow_session

DEVICES = "/deviceManagement/windowsAutopilotDeviceIdentities"


def first_id(tenant: SimulatedTenant) -> str:
    return next(iter(tenant.devices))


def test_a_429_with_retry_after_waits_exactly_that_long(
    sim: SimulatedTenant, client: GraphClient, sleeps: SleepRecorder
) -> None:
    sim.faults.throttle(count=2, retry_after=7)
    page = client.get(DEVICES, {"$top": 5})
    assert len(page["value"]) == 5
    assert sleeps.waits == [7, 7]
    assert len(sim.requests) == 3


def test_a_429_without_retry_after_backs_off_exponentially_with_jitter(
    sim: SimulatedTenant, client: GraphClient, sleeps: SleepRecorder
) -> None:
    sim.faults.throttle(count=4)
    client.get(DEVICES, {"$top": 1})
    assert len(sleeps.waits) == 4
    for attempt, wait in enumerate(sleeps.waits):
        assert 0 <= wait <= 2**attempt  # full jitter under a doubling ceiling
    assert len(set(sleeps.waits)) == 4  # jittered, so bench PCs don't retry in lockstep


def test_throttling_that_never_ends_raises_throttled_after_the_retries(
    sim: SimulatedTenant, make_client: Callable[..., GraphClient], sleeps: SleepRecorder
) -> None:
    sim.faults.throttle(count=None, retry_after=3)
    with pytest.raises(Throttled) as err:
        make_client(sim, max_retries=2).get(DEVICES)
    assert sleeps.waits == [3, 3]
    assert err.value.retry_after == 3
    assert "busy" in str(err.value) and err.value.request_id


def test_a_retry_after_longer_than_we_wait_silently_goes_back_to_the_caller(
    sim: SimulatedTenant, client: GraphClient, sleeps: SleepRecorder
) -> None:
    sim.faults.throttle(count=1, retry_after=MAX_RETRY_AFTER + 630)  # the 12.5-minute sleep
    with pytest.raises(Throttled) as err:
        client.get(DEVICES)
    assert sleeps.waits == []
    assert err.value.retry_after == MAX_RETRY_AFTER + 630


def test_503_and_dropped_connections_are_retried_for_reads(
    sim: SimulatedTenant, client: GraphClient, sleeps: SleepRecorder
) -> None:
    sim.faults.error(503, count=1)
    sim.faults.drop(count=1)
    sim.faults.error(504, count=1)
    assert len(client.get(DEVICES, {"$top": 3})["value"]) == 3
    assert len(sleeps.waits) == 3
    assert len(sim.requests) == 4


def test_a_read_that_keeps_failing_ends_in_a_typed_error(
    sim: SimulatedTenant, make_client: Callable[..., GraphClient]
) -> None:
    sim.faults.error(503, count=None)
    with pytest.raises(ServiceUnavailable):
        make_client(sim, max_retries=1).get(DEVICES)
    sim.faults.clear()
    sim.faults.drop(count=None)
    with pytest.raises(GraphUnreachable) as err:
        make_client(sim, max_retries=1).get(DEVICES)
    assert "cannot be reached" in str(err.value)


def test_a_write_answered_429_or_503_is_sent_again_and_applied_once(
    sim: SimulatedTenant, client: GraphClient, sleeps: SleepRecorder
) -> None:
    device_id = first_id(sim)
    sim.faults.throttle(count=1, retry_after=2, method="POST")
    sim.faults.error(503, count=1, method="POST")
    client.post(f"{DEVICES}/{device_id}/updateDeviceProperties", {"groupTag": "Lab"})
    assert sleeps.waits[0] == 2 and len(sleeps.waits) == 2
    assert sim.applied_updates(device_id) == 1
    assert sim.devices[device_id]["groupTag"] == "Lab"


@pytest.mark.parametrize("after_processing", [False, True])
def test_a_write_whose_answer_was_lost_is_never_resent_by_the_client(
    sim: SimulatedTenant, client: GraphClient, after_processing: bool
) -> None:
    device_id = first_id(sim)
    sim.faults.drop(count=1, method="POST", after_processing=after_processing)
    with pytest.raises(WriteOutcomeUnknown) as err:
        client.post(f"{DEVICES}/{device_id}/updateDeviceProperties", {"groupTag": "Once"})
    assert "check the device" in str(err.value)
    posts = [r for r in sim.requests if r.method == "POST"]
    assert len(posts) == 1
    assert sim.applied_updates(device_id) == (1 if after_processing else 0)


def test_a_gateway_timeout_on_a_write_is_an_unknown_outcome(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    sim.faults.error(504, count=1, method="POST")
    with pytest.raises(WriteOutcomeUnknown):
        client.post(f"{DEVICES}/{first_id(sim)}/updateDeviceProperties", {"groupTag": "X"})
    assert sum(r.method == "POST" for r in sim.requests) == 1


def test_retry_unsafe_lets_an_idempotent_write_be_resent(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    device_id = first_id(sim)
    sim.faults.drop(count=1, method="POST")
    client.post(f"{DEVICES}/{device_id}/unassignUserFromDevice", None, retry_unsafe=True)
    assert sum(r.method == "POST" for r in sim.requests) == 2
    assert sim.devices[device_id]["userPrincipalName"] == ""


def test_a_malformed_answer_to_a_read_is_retried(
    sim: SimulatedTenant, make_client: Callable[..., GraphClient], sleeps: SleepRecorder
) -> None:
    sim.faults.malformed(count=1)
    assert len(make_client(sim).get(DEVICES, {"$top": 2})["value"]) == 2
    assert len(sleeps.waits) == 1
    sim.faults.malformed(count=None)
    with pytest.raises(GraphError) as err:
        make_client(sim, max_retries=1).get(DEVICES)
    assert err.value.code == "malformedResponse"


def test_a_malformed_answer_to_a_write_still_means_accepted(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    device_id = first_id(sim)
    sim.faults.malformed(count=1, method="POST")
    assert client.post(f"{DEVICES}/{device_id}/updateDeviceProperties", {"groupTag": "M"}) is None
    assert sim.applied_updates(device_id) == 1


def test_one_refresh_after_a_401_then_the_call_succeeds(sim: SimulatedTenant) -> None:
    calls: list[bool] = []
    stale = sim.tokens.issue(lifetime=-10)  # already expired

    def provider(*, force_refresh: bool = False) -> str:
        calls.append(force_refresh)
        return sim.issue_token() if force_refresh else stale

    client = GraphClient(sim.base_url, provider, sleep=lambda s: None)
    assert client.get(DEVICES, {"$top": 1})["value"]
    assert calls == [False, True]


def test_a_token_from_another_issuer_is_refused_plainly(sim: SimulatedTenant) -> None:
    with SimulatedTenant(validate_contract=True, device_count=1) as other:
        foreign = other.issue_token()
    client = GraphClient(sim.base_url, lambda: foreign, sleep=lambda s: None)
    with pytest.raises(AuthenticationError) as err:
        client.get(DEVICES)
    assert "sign in again" in str(err.value)
    assert len(sim.requests) == 2  # the original and one retry (the provider takes no kwargs)


def test_errors_carry_the_request_id_and_the_sentence_inside_intune_json(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    with pytest.raises(NotFound) as err:
        client.get(f"{DEVICES}/00000000-0000-4000-8000-000000000000")
    e = err.value
    assert e.status == 404 and e.request_id == client.last_request_id
    assert "No windowsAutopilotDeviceIdentity" in str(e)
    assert "{" not in str(e) and "Operation ID" not in str(e)


def test_human_message_unwraps_intune_json_and_keeps_plain_text() -> None:
    nested = '{"_version": 3, "Message": "Bad tag - Operation ID (for customer support): 1"}'
    assert human_message(nested) == "Bad tag"
    assert human_message('{"CustomApiErrorPhrase": "Tag too long", "Message": "x"}') == (
        "Tag too long"
    )
    assert human_message("plain words") == "plain words"


def test_paging_follows_next_links_with_the_same_headers(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    pages = list(client.get_pages(DEVICES, {"$top": 15}, {"X-Trace": "t1"}))
    assert [len(p["value"]) for p in pages] == [15, 15, 10]
    ids = [d["id"] for p in pages for d in p["value"]]
    assert ids == list(sim.devices)
    assert [r.header("X-Trace") for r in sim.requests] == ["t1"] * 3
    assert [r.query.get("$skiptoken") for r in sim.requests] == [None, "o15", "o30"]


def test_every_call_has_its_own_client_request_id_kept_across_retries(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    sim.faults.throttle(count=1, retry_after=0)
    client.get(DEVICES, {"$top": 1})
    client.get(DEVICES, {"$top": 1})
    ids = [r.header("client-request-id") for r in sim.requests]
    assert ids[0] == ids[1] != ids[2]


def test_spaces_in_queries_travel_as_percent_20_never_plus(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    client.get("/users", {"$filter": "startswith(displayName,'a b+c')"})
    raw = sim.requests[-1].raw_query
    assert "a%20b%2Bc" in raw and "+" not in raw
    assert sim.requests[-1].query["$filter"] == "startswith(displayName,'a b+c')"


def test_https_with_the_generated_certificate(sleeps: SleepRecorder) -> None:
    tenant = SimulatedTenant(validate_contract=True, device_count=3)
    url = tenant.start(tls=True)
    try:
        assert url.startswith("https://localhost:")
        client = GraphClient(
            url, lambda: tenant.issue_token(), verify=str(tenant.cert_path), sleep=sleeps
        )
        assert len(client.get(DEVICES)["value"]) == 3
        strict = GraphClient(url, lambda: tenant.issue_token(), max_retries=0, sleep=sleeps)
        with pytest.raises(GraphUnreachable) as err:
            strict.get(DEVICES)  # the system trust store does not know the loopback cert
        assert "certificate" in str(err.value)
    finally:
        tenant.stop()


def test_no_token_and_no_serial_in_logs_at_info(
    sim: SimulatedTenant, client: GraphClient, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from scanner_app.core.graph.autopilot import AutopilotService

    token = sim.issue_token()
    client.token_provider = lambda: token
    serial = next(iter(sim.devices.values()))["serialNumber"].strip()
    sim.faults.throttle(count=1, retry_after=0)
    with caplog.at_level(logging.INFO, logger="scanner_app"):
        AutopilotService(client).find_by_serial(serial)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "retrying" in text and "-> 200" in text
    assert token not in text and token[-20:] not in text
    assert serial not in text


def test_retry_after_as_seconds_or_http_date() -> None:
    import email.utils
    import time

    from scanner_app.core.graph.retry_rules import retry_after_seconds as _retry_after

    assert _retry_after("12") == 12.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (_retry_after(later) or 0) <= 31


def _closed_port_url() -> str:
    """A loopback URL where nothing listens: connecting is refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_graph_out_of_reach_fails_fast_so_the_caller_can_fall_back(
    sleeps: SleepRecorder,
) -> None:
    """Wi-Fi down: one more try, then GraphUnreachable (the look-up answers from the offline
    cache, the outbox keeps the change queued); not five backed-off tries over ~15 s."""
    client = GraphClient(_closed_port_url(), lambda: "token", sleep=sleeps)
    with pytest.raises(GraphUnreachable):
        client.get(DEVICES)
    assert len(sleeps.waits) == 1
    # A write that never connected was certainly not applied: unreachable, not "unknown".
    with pytest.raises(GraphUnreachable):
        client.post(f"{DEVICES}/abc/updateDeviceProperties", {"groupTag": "X"})


def test_a_failed_dns_look_up_counts_as_never_sent(sleeps: SleepRecorder) -> None:
    """The first thing to fail when the network drops is the DNS look-up; requests reports it
    as a ConnectionError like a dropped connection, but nothing reached Graph."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection
    from urllib3.exceptions import MaxRetryError, NameResolutionError

    class NoDns(HTTPAdapter):
        def send(self, request: requests.PreparedRequest, *args: object, **kw: object) -> None:  # type: ignore[override]
            conn = HTTPConnection("graph.example")
            cause = NameResolutionError("graph.example", conn, OSError(-2, "Name unknown"))
            raise requests.ConnectionError(MaxRetryError(None, request.url, cause))  # type: ignore[arg-type]

    session = requests.Session()
    session.mount("http://", NoDns())
    client = GraphClient("http://graph.example", lambda: "token", session=session, sleep=sleeps)
    with pytest.raises(GraphUnreachable):
        client.post(f"{DEVICES}/abc/updateDeviceProperties", {"groupTag": "X"})
    with pytest.raises(GraphUnreachable):
        client.get(DEVICES)
    assert len(sleeps.waits) == 2  # one more try each: nothing was sent, so a write may retry


# ---- a look-up's deadline ------------------------------------------------------------------
def _slow_client(sim: SimulatedTenant, clock: FakeClock, seconds: float) -> GraphClient:
    session, _ = slow_session(clock, seconds)
    return GraphClient(
        sim.base_url, lambda **kw: sim.issue_token(), session=session,
        sleep=clock.advance, clock=clock, rng=random.Random(7),
    )  # fmt: skip


def test_a_graph_answering_in_35_s_ends_a_read_at_its_deadline(
    sim: SimulatedTenant, clock: FakeClock
) -> None:
    """The tester's 195 s look-up: six 30 s read timeouts with backoff in between. Under a
    20 s deadline the one request is sent with a 20 s timeout and the read ends there."""
    client = _slow_client(sim, clock, 35.0)
    started = clock.now
    with pytest.raises(GraphUnreachable) as unlimited:
        client.get(DEVICES)
    assert not isinstance(unlimited.value, GraphTooSlow)
    assert clock.now - started > 180  # what a look-up cost before it had a deadline

    started = clock.now
    with pytest.raises(GraphTooSlow) as slow, client.read_deadline(20):
        client.get(DEVICES)
    assert clock.now - started == pytest.approx(20)
    assert "too slow" in str(slow.value) and "20 s" in str(slow.value)


def test_retry_waits_count_against_the_deadline_and_none_outlasts_it(
    sim: SimulatedTenant, clock: FakeClock
) -> None:
    sim.faults.throttle(count=None, retry_after=8)
    client = _slow_client(sim, clock, 0.0)
    started = clock.now
    with pytest.raises(GraphTooSlow), client.read_deadline(20):
        client.get(DEVICES)
    # Waited 8 + 8 s; a third 8 s wait would pass the deadline, so it is not waited at all.
    assert clock.now - started == pytest.approx(16)
    assert len(sim.requests) == 3


def test_the_deadline_limits_reads_inside_its_block_only_and_never_writes(
    sim: SimulatedTenant, clock: FakeClock
) -> None:
    client = _slow_client(sim, clock, 0.0)
    device_id = first_id(sim)
    with client.read_deadline(5):
        clock.advance(6)
        with pytest.raises(GraphTooSlow):
            client.get(f"{DEVICES}/{device_id}")
        client.post(f"{DEVICES}/{device_id}/updateDeviceProperties", {"groupTag": "Late"})
    assert sim.applied_updates(device_id) == 1
    assert client.get(f"{DEVICES}/{device_id}")["groupTag"] == "Late"  # no limit after it


def test_a_sign_in_server_out_of_reach_is_graph_out_of_reach(sleeps: SleepRecorder) -> None:
    """No network: the token provider cannot reach the sign-in server either. That is the same
    "Graph away" a caller with a fallback (the offline cache, the outbox) knows what to do with."""

    def token(**kw: object) -> str:
        raise SignInUnreachable("login.example", "the connection failed")

    client = GraphClient("https://graph.example", token, sleep=sleeps)
    with pytest.raises(GraphUnreachable) as err:
        client.get(DEVICES)
    assert "sign-in server login.example" in str(err.value)
    assert sleeps.waits == []  # nothing to wait for: the caller falls back at once
