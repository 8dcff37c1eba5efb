"""SIGKILL at each step of a change, restart, and the change lands exactly once, verified.

The app (tests/core/crash_driver.py) runs in its own process and talks to the simulated tenant in
this process over loopback. It freezes at the step under test and says so on stdout; the test
then kills it with SIGKILL (no cleanup, no flush) and starts a fresh process that resumes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.core.journal.journal import Journal
from scanner_app.core.tenant_sim import SimulatedTenant

DRIVER = Path(__file__).with_name("crash_driver.py")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.fixture
def tenant() -> Iterator[SimulatedTenant]:
    # Graph lags 0.3 s behind a write: a re-read right after the crash may still show old values.
    with SimulatedTenant(validate_contract=True, device_count=5, consistency_delay=0.3) as t:
        yield t


def driver(tenant: SimulatedTenant, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CRASH_DRIVER_TOKEN": tenant.issue_token(), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(DRIVER), args[0], tenant.base_url, *args[1:]],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


# step -> (journal state at the kill, writes Graph had applied at the kill)
STEPS = {
    "recorded": ("pending", 0),  # before sending
    "marked-sent": ("sent", 0),  # journal says sent; the request never left
    "in-flight": ("sent", 1),  # after sending, before the response
    "accepted": ("accepted", 1),  # after acceptance, before verification
}


@pytest.mark.parametrize("step", list(STEPS))
def test_killed_at_any_step_the_change_lands_exactly_once(
    tenant: SimulatedTenant, tmp_path: Path, step: str
) -> None:
    journal_path = str(tmp_path / "journal.sqlite3")
    device_id = sorted(tenant.devices)[0]
    proc = driver(tenant, "submit", journal_path, device_id, "CRASH-TAG", step)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the driver froze at the step (or died)
    assert line.strip() == f"REACHED {step}"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(10) == -signal.SIGKILL

    state_at_kill, applied_at_kill = STEPS[step]
    journal = Journal(journal_path)
    (entry,) = journal.pending()
    assert entry.state == state_at_kill
    assert tenant.applied_updates(device_id) == applied_at_kill
    journal.close()

    restarted = driver(tenant, "resume", journal_path)
    out, _ = restarted.communicate(timeout=30)
    assert restarted.returncode == 0
    assert [e["state"] for e in json.loads(out)] == ["verified"]

    assert tenant.applied_updates(device_id) == 1
    assert tenant.devices[device_id]["groupTag"] == "CRASH-TAG"
    journal = Journal(journal_path)
    final = journal.get(entry.id)
    assert final.state == "verified" and journal.pending() == []
    journal.close()
