"""The outbox against the simulated tenant over loopback: applied once, verified, paced, undoable,
conflict-aware, and patient while Graph is away."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.errors import Throttled
from scanner_app.core.journal.journal import Journal, JournalError
from scanner_app.core.models import DeviceChange
from scanner_app.core.outbox import Backoff, Outbox, OutboxStatus, RetryPolicy, WriteLimiter
from scanner_app.core.tenant_sim import SimulatedTenant


@pytest.fixture
def tenant() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(validate_contract=True, device_count=30, consistency_delay=0.2) as t:
        yield t


#: Fast enough for tests: Graph is given 3 s to show a write and re-read every 0.05 s at first.
FAST = RetryPolicy(verify_timeout=3.0, poll=Backoff(0.05, 1.5, 2.0))
POLICY_FIELDS = {f.name for f in dataclasses.fields(RetryPolicy)}


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Callable[..., Outbox]]:
    journals: list[Journal] = []

    def make(tenant: SimulatedTenant, **options: Any) -> Outbox:
        """An outbox on a journal of its own; a ``RetryPolicy`` field among ``options`` changes
        that number of ``FAST``."""
        client = GraphClient(
            tenant.base_url,
            lambda **kw: tenant.issue_token(),
            max_retries=options.pop("max_retries", 2),
        )
        journal = Journal(tmp_path / f"journal{len(journals)}.sqlite3")
        journals.append(journal)
        timing = {name: options.pop(name) for name in POLICY_FIELDS & set(options)}
        options["policy"] = dataclasses.replace(FAST, **timing)
        return Outbox(journal, AutopilotService(client), operator="op@contoso.example", **options)

    yield make
    for journal in journals:
        journal.close()


def ids(tenant: SimulatedTenant) -> list[str]:
    return sorted(tenant.devices)


def posts(tenant: SimulatedTenant) -> int:
    return sum(1 for r in tenant.requests if r.method == "POST")


def test_a_change_is_applied_once_and_verified_by_rereading(make) -> None:
    with SimulatedTenant(validate_contract=True, device_count=5, consistency_delay=1.0) as tenant:
        outbox = make(tenant)
        device = outbox.autopilot.get(ids(tenant)[0])
        entry = outbox.submit(device, DeviceChange(group_tag="BENCH-A"))
        seen = [r.method for r in tenant.requests if device.id in r.path]
        assert entry.state == "verified"
        assert entry.before == {"group_tag": device.group_tag}
        assert entry.request_ids and entry.attempts == 1
        assert tenant.applied_updates(device.id) == 1
        assert outbox.autopilot.get(device.id).group_tag == "BENCH-A"
        # Graph showed the old value for a second: the outbox re-read until it showed.
        assert seen[seen.index("POST") + 1 :].count("GET") >= 2
        assert outbox.pending_count() == 0


def test_undo_restores_the_before_values(tenant: SimulatedTenant, make) -> None:
    outbox = make(tenant)
    device = outbox.autopilot.get(ids(tenant)[1])
    first = outbox.submit(device, DeviceChange(group_tag="NEW", user_principal_name="x@contoso.io"))
    assert first.state == "verified"
    undo = outbox.undo(first.id)
    assert (undo.state, undo.undo_of) == ("verified", first.id)
    again = outbox.autopilot.get(device.id)
    assert (again.group_tag, again.user_principal_name) == (
        device.group_tag,
        device.user_principal_name,
    )
    # each sent once (removing a user is a Graph call of its own), nothing applied twice
    assert (first.attempts, undo.attempts) == (1, 1)
    assert tenant.applied_updates(device.id) == posts(tenant)


def test_a_device_changed_elsewhere_waits_for_the_operator(make) -> None:
    with SimulatedTenant(validate_contract=True, device_count=5) as tenant:
        mine, portal = make(tenant), make(tenant)
        device = mine.autopilot.get(ids(tenant)[0])  # the operator reads the device...
        portal.autopilot.update(device.id, DeviceChange(group_tag="PORTAL"))  # ...someone else
        entry = mine.submit(device, DeviceChange(group_tag="MINE"))
        assert entry.state == "conflict"
        assert entry.current == {"group_tag": "PORTAL"}
        assert tenant.applied_updates(device.id) == 1  # only the portal's write
        assert [e.id for e in mine.conflicts()] == [entry.id]
        assert mine.discard(entry.id).state == "superseded"
        assert mine.autopilot.get(device.id).group_tag == "PORTAL"

        other = mine.submit(device, DeviceChange(group_tag="MINE"))
        assert other.state == "conflict"
        kept = mine.overwrite(other.id)
        assert (kept.state, kept.before) == ("verified", {"group_tag": "PORTAL"})
        assert mine.undo(kept.id).state == "verified"  # undo gives the portal's value back
        assert mine.autopilot.get(device.id).group_tag == "PORTAL"


def test_no_answer_after_graph_applied_it_is_not_sent_again(tenant: SimulatedTenant, make) -> None:
    outbox = make(tenant)
    device = outbox.autopilot.get(ids(tenant)[2])
    tenant.faults.drop(method="POST", after_processing=True)
    entry = outbox.submit(device, DeviceChange(group_tag="ONCE"))
    assert entry.state == "verified"
    assert (entry.attempts, posts(tenant)) == (1, 1)
    assert tenant.applied_updates(device.id) == 1


def test_no_answer_and_not_applied_is_sent_again_once(tenant: SimulatedTenant, make) -> None:
    outbox = make(tenant, verify_timeout=0.6)
    device = outbox.autopilot.get(ids(tenant)[3])
    tenant.faults.drop(method="POST")  # connection closed before Graph processed it
    entry = outbox.submit(device, DeviceChange(group_tag="TWICE-SENT"))
    assert entry.state == "verified"
    assert (entry.attempts, posts(tenant)) == (2, 2)
    assert tenant.applied_updates(device.id) == 1


def test_an_unknown_device_fails_plainly(tenant: SimulatedTenant, make) -> None:
    outbox = make(tenant)
    device = outbox.autopilot.get(ids(tenant)[4])
    ghost = device.__class__(id="00000000-0000-0000-0000-000000000000", serial_number="GHOST")
    entry = outbox.submit(ghost, DeviceChange(group_tag="X"))
    assert entry.state == "failed" and entry.reason
    assert posts(tenant) == 0


def test_a_newer_change_replaces_an_unsent_one(tenant: SimulatedTenant, make) -> None:
    outbox = make(tenant)
    device = outbox.autopilot.get(ids(tenant)[5])
    first = outbox.enqueue(device, DeviceChange(group_tag="FIRST"))
    second = outbox.enqueue(device, DeviceChange(group_tag="SECOND"))
    user = outbox.enqueue(device, DeviceChange(user_principal_name="u@contoso.io"))
    assert outbox.journal.get(first.id).state == "superseded"
    assert second.before == {"group_tag": device.group_tag}
    done = {e.id: e.state for e in outbox.resume()}
    assert done == {second.id: "verified", user.id: "verified"}
    shown = outbox.autopilot.get(device.id)
    assert (shown.group_tag, shown.user_principal_name) == ("SECOND", "u@contoso.io")
    assert tenant.applied_updates(device.id) == 2


def test_writes_are_paced_under_the_intune_limit(make) -> None:
    limit = (5, 0.5)
    with SimulatedTenant(validate_contract=True, device_count=30, write_limit=limit,
                         consistency_delay=0.2) as tenant:  # fmt: skip
        outbox = make(tenant, write_rate=(5, 0.5))
        for n, device_id in enumerate(ids(tenant)[:12]):
            outbox.enqueue(outbox.autopilot.get(device_id), DeviceChange(group_tag=f"P{n}"))
        started = time.monotonic()
        done = outbox.resume()
        elapsed = time.monotonic() - started
        assert [e.state for e in done] == ["verified"] * 12
        assert tenant.write_limit is not None and tenant.write_limit.refused == 0
        assert elapsed >= 1.0  # 12 writes at 5 per 0.5 s cannot take less
        assert all(tenant.applied_updates(d) == 1 for d in ids(tenant)[:12])


def test_the_limiter_never_allows_more_than_the_limit_in_any_window() -> None:
    now = [0.0]
    limiter = WriteLimiter(3, 10.0, clock=lambda: now[0], recheck=0.01)
    stamps: list[float] = []
    while len(stamps) < 10:
        got = limiter.acquire()
        if isinstance(got, float):
            now[0] += got
            continue
        now[0] += 0.5  # the write takes half a second
        limiter.done(got[0])
        stamps.append(now[0])
    assert all(b - a >= 10.0 for a, b in zip(stamps, stamps[3:], strict=False))
    assert stamps[-1] == pytest.approx(0.5 + 3 * 10.5)  # and no slower than the limit needs


def test_changes_queued_while_graph_is_away_apply_when_it_returns(make) -> None:
    tenant = SimulatedTenant(validate_contract=True, device_count=12, consistency_delay=0.1)
    tenant.start()
    port = int(tenant.base_url.rsplit(":", 1)[1])
    outbox = make(tenant, max_retries=0, read_retries=0, idle=0.05, offline=Backoff(0.05, 2.0, 0.2))
    devices = [outbox.autopilot.get(d) for d in ids(tenant)[:10]]
    tenant.stop()  # also ends its open keep-alive connections, as a real outage does
    queued = [outbox.submit(d, DeviceChange(group_tag="OFFLINE")) for d in devices[:5]]
    assert [e.state for e in queued] == ["pending"] * 5
    assert outbox.status().online is False and outbox.status().waiting == 5

    statuses: list[OutboxStatus] = []
    reported, drained = threading.Event(), threading.Event()

    def on_status(status: OutboxStatus) -> None:
        statuses.append(status)
        reported.set()
        if status.online and status.waiting == 0:
            drained.set()

    stop = threading.Event()
    worker = threading.Thread(
        target=outbox.run_forever,
        args=(stop,),
        kwargs={"on_status": on_status},
    )
    worker.start()
    try:
        assert reported.wait(10)  # the loop has seen Graph away; scanning and queueing go on
        more = [outbox.submit(d, DeviceChange(group_tag="OFFLINE")) for d in devices[5:]]
        assert [e.state for e in more] == ["pending"] * 5
        queued += more
        tenant.start(port=port)  # Graph is back; nobody touches anything
        assert drained.wait(20)
    finally:
        stop.set()
        worker.join(5)
        tenant.stop()
    assert not statuses[0].online and statuses[0].waiting == 5
    assert statuses[-1].online and statuses[-1].waiting == 0
    assert all(outbox.journal.get(e.id).state == "verified" for e in queued)
    assert all(tenant.applied_updates(d.id) == 1 for d in devices)


def test_throttled_beyond_retries_leaves_the_change_queued(tenant: SimulatedTenant, make) -> None:
    outbox = make(tenant, max_retries=0)
    device = outbox.autopilot.get(ids(tenant)[6])
    tenant.faults.throttle(count=1, method="POST", retry_after=0)
    entry = outbox.submit(device, DeviceChange(group_tag="LATER"))
    assert entry.state == "pending"
    assert isinstance(outbox.last_error, Throttled)
    assert tenant.applied_updates(device.id) == 0
    assert [e.state for e in outbox.resume()] == ["verified"]
    assert tenant.applied_updates(device.id) == 1


def test_two_outboxes_on_one_journal_never_send_a_change_twice(
    tenant: SimulatedTenant, make, tmp_path: Path
) -> None:
    """E.g. `scanner-app journal retry` while the app's own loop runs."""
    gui, cli = make(tenant), make(tenant)
    cli.journal.close()
    cli.journal = Journal(tmp_path / "journal0.sqlite3")  # the same file as the GUI's
    devices = [gui.autopilot.get(d) for d in ids(tenant)[:8]]
    for n, device in enumerate(devices):
        gui.enqueue(device, DeviceChange(group_tag=f"BOTH-{n}"))
    threads = [threading.Thread(target=o.resume) for o in (gui, cli)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert gui.pending_count() == 0
    assert [e.state for e in gui.journal.entries()] == ["verified"] * 8
    assert all(tenant.applied_updates(d.id) == 1 for d in devices)
    assert posts(tenant) == 8
    cli.journal.close()


def test_each_write_keeps_its_own_request_id_with_eight_threads(
    tenant: SimulatedTenant, make
) -> None:
    """The audit record names the Graph request of each change, even with 8 threads writing."""
    outbox = make(tenant, workers=8)
    devices = [outbox.autopilot.get(d) for d in ids(tenant)[:24]]
    entries = [outbox.enqueue(d, DeviceChange(group_tag=f"RID-{n}")) for n, d in enumerate(devices)]
    assert [e.state for e in outbox.resume()] == ["verified"] * 24
    answered = {r.path.split("/")[-2]: r.request_id for r in tenant.requests if r.method == "POST"}
    for entry in entries:
        assert outbox.journal.get(entry.id).request_ids == (answered[entry.device_id],)


def test_a_threads_last_request_id_is_not_overwritten_by_another(tenant: SimulatedTenant) -> None:
    client = GraphClient(tenant.base_url, lambda **kw: tenant.issue_token())
    autopilot = AutopilotService(client)
    first, second = ids(tenant)[:2]
    sent, other_sent = threading.Event(), threading.Event()
    got: dict[str, str] = {}

    def write_first() -> None:
        got["returned"] = autopilot.update(first, DeviceChange(group_tag="THREAD-A"))
        sent.set()
        other_sent.wait(10)  # another thread writes meanwhile
        got["after"] = client.last_request_id

    thread = threading.Thread(target=write_first)
    thread.start()
    assert sent.wait(10)
    other = autopilot.update(second, DeviceChange(group_tag="THREAD-B"))
    other_sent.set()
    thread.join(10)
    answered = {r.path.split("/")[-2]: r.request_id for r in tenant.requests if r.method == "POST"}
    assert got["returned"] == got["after"] == answered[first]
    assert other == client.last_request_id == answered[second]


def test_an_outbox_works_only_on_the_changes_of_its_own_tenant(
    tenant: SimulatedTenant, make, tmp_path: Path
) -> None:
    """One journal, two tenants (an operator switched tenants): neither sends, re-reads, fails or
    counts the other's changes, whatever Graph it is connected to."""
    ours, theirs = make(tenant), make(tenant)
    ours.tenant, theirs.tenant = "contoso.com", "Fabrikam.com"
    theirs.journal.close()
    theirs.journal = Journal(tmp_path / "journal0.sqlite3")  # the same file as ours
    one, two = (ours.autopilot.get(d) for d in ids(tenant)[10:12])
    waiting = theirs.enqueue(one, DeviceChange(group_tag="THEIRS"))
    tenant.faults.error(status=400, count=1, method="POST")
    failed = theirs.submit(two, DeviceChange(group_tag="THEIRS-TOO"))
    assert failed.state == "failed"
    before = [ours.journal.history(e.id) for e in (waiting, failed)]

    assert ours.resume() == [] and ours.pending_count() == 0
    assert ours.status().waiting == 0 and theirs.status().waiting == 1
    with pytest.raises(JournalError, match="fabrikam.com"):
        ours.retry(failed.id)
    assert [ours.journal.history(e.id) for e in (waiting, failed)] == before
    assert tenant.applied_updates(one.id) == 0

    assert [e.state for e in theirs.resume()] == ["verified"]
    assert tenant.applied_updates(one.id) == 1
    assert theirs.journal.get(waiting.id).tenant == "fabrikam.com"
