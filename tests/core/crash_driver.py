"""A separate process that applies one change and freezes at a chosen step, to be SIGKILLed.

Run by tests/core/test_crash_safety.py; it talks to the test's simulated tenant over loopback:

    python crash_driver.py submit BASE_URL JOURNAL DEVICE_ID GROUP_TAG STEP
    python crash_driver.py resume BASE_URL JOURNAL

The access token comes in ``CRASH_DRIVER_TOKEN``. STEP says where to freeze: ``recorded``
(journaled, nothing sent), ``marked-sent`` (journal says sent, the request not yet made),
``in-flight`` (Graph has processed the write, its answer not yet read) or ``accepted`` (the
answer read and journaled, not yet verified). On reaching it the driver prints ``REACHED STEP``
and blocks forever; the test then kills it. ``resume`` finishes the work and prints the states.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.journal.journal import Journal, JournalEntry
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.outbox import Backoff, Outbox, RetryPolicy

POLICY = RetryPolicy(verify_timeout=2.0, poll=Backoff(0.05, 1.5, 2.0))


def freeze(step: str) -> None:
    print(f"REACHED {step}", flush=True)
    threading.Event().wait()  # until SIGKILL


class FreezingJournal(Journal):
    """The real journal, pausing right after the step under test has been written."""

    step = ""

    def record(self, device: AutopilotDevice, change: DeviceChange, **kw: Any) -> int:
        entry_id = super().record(device, change, **kw)
        if self.step == "recorded":
            freeze(self.step)
        return entry_id

    def mark(self, entry_id: int, state: str, **kw: Any) -> JournalEntry:
        entry = super().mark(entry_id, state, **kw)
        if (self.step, state) in {("marked-sent", "sent"), ("accepted", "accepted")}:
            freeze(self.step)
        return entry


class FreezingAdapter(HTTPAdapter):
    """Lets the write reach Graph (which applies it), then freezes before the answer is read."""

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:  # type: ignore[override]
        response = super().send(request, **kw)
        if request.method == "POST":
            freeze("in-flight")
        return response


def main(argv: list[str]) -> int:
    mode, base_url, journal_path = argv[0], argv[1], argv[2]
    token = os.environ["CRASH_DRIVER_TOKEN"]
    step = argv[5] if mode == "submit" else ""
    session = requests.Session()
    if step == "in-flight":
        session.mount("http://", FreezingAdapter())
    client = GraphClient(base_url, lambda **kw: token, session=session, max_retries=1)
    autopilot = AutopilotService(client)
    journal = FreezingJournal(journal_path)
    journal.step = step
    outbox = Outbox(journal, autopilot, operator="crash@contoso.example", tenant="sim",
                    policy=POLICY)  # fmt: skip
    if mode == "submit":
        device_id, group_tag = argv[3], argv[4]
        entry = outbox.submit(autopilot.get(device_id), DeviceChange(group_tag=group_tag))
        print(json.dumps({"id": entry.id, "state": entry.state}), flush=True)
    else:
        entries = outbox.resume()
        print(json.dumps([{"id": e.id, "state": e.state, "reason": e.reason} for e in entries]))
    journal.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
