"""Journal files as the field leaves them, for the journal's fail-safe tests (issue 16): a real
journal of many changes, then cut short as a full disk or an interrupted copy leaves it."""

from __future__ import annotations

from pathlib import Path

from scanner_app.core.journal.journal import Journal
from scanner_app.core.models import AutopilotDevice, DeviceChange

NOW = 1_700_000_000.0


def device(i: int) -> AutopilotDevice:
    return AutopilotDevice(id=f"dev-{i}", serial_number=f"SER{i:05d}", group_tag="OLD")


def filled(path: Path, count: int) -> dict[int, str]:
    """A journal of ``count`` changes, every third still pending; returns {id: state}."""
    path.parent.mkdir(parents=True, exist_ok=True)
    journal = Journal(path, now=lambda: NOW)
    states = {}
    for i in range(count):
        entry_id = journal.record(device(i), DeviceChange(group_tag=f"T{i}"), operator="op",
                                  tenant="contoso.com")  # fmt: skip
        if i % 3:
            journal.mark(entry_id, "sent", attempt=True)
            journal.mark(entry_id, "verified")
        states[entry_id] = journal.get(entry_id).state
    journal.close()
    return states


def cut_in_half(path: Path) -> bytes:
    """The file cut mid-page; its new bytes."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    return path.read_bytes()
