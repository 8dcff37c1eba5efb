"""Bench (queue) mode: one row per scan, sticky choices, duplicate warnings, a CSV of the session.

At a bench an operator scans tens of devices in a row with the same group tag, user and name
template, so those are *sticky*: set once, recorded on every row that gets a change. Each scan
becomes a row whose state follows the device through look-up, apply and verify (or skip); a
serial or ZtdId already seen in the session is flagged, because scanning the same label twice
usually means one laptop in the pile was skipped. Qt-free, so the CLI ``bench`` command and the
tests use exactly what the GUI uses.

The device-name template rules (``check_template``, ``make_device_name``, ``DeviceNameError``)
live in ``device_names.py``; the row values (``RowState``, ``SessionRow``, ``Summary``) in
``session_rows.py``; the CSV export (``CSV_COLUMNS``, formula escaping) in ``session_csv.py``. All
are re-exported here so existing imports keep working.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Protocol

# Device-name template rules live in device_names.py; these names stay importable from here.
from scanner_app.core.bench.device_names import MAX_NAME_LENGTH as MAX_NAME_LENGTH
from scanner_app.core.bench.device_names import DeviceNameError as DeviceNameError
from scanner_app.core.bench.device_names import TemplateCheck as TemplateCheck
from scanner_app.core.bench.device_names import check_template as check_template
from scanner_app.core.bench.device_names import make_device_name as make_device_name
from scanner_app.core.bench.session_csv import CSV_COLUMNS as CSV_COLUMNS
from scanner_app.core.bench.session_csv import export_rows, rows_as_text
from scanner_app.core.bench.session_rows import RowState, SessionRow, Summary
from scanner_app.core.models import AutopilotDevice, DeviceChange, Resolution, ScanTarget

log = logging.getLogger(__name__)


class _Outcome(Protocol):
    state: str
    message: str
    change: DeviceChange


class _Workflow(Protocol):
    def resolve(self, target: ScanTarget) -> Resolution: ...
    def apply(self, device: AutopilotDevice, wanted: DeviceChange) -> Any: ...


class BenchSession:
    """The rows of one bench session and its sticky choices (``group_tag``,
    ``user_principal_name``, ``name_template``: plain attributes, change them at any time; a row
    records the tag and user in force when its change is applied, and none before: a row that is
    only found, or skipped, must not read as if they went to its device)."""

    def __init__(
        self,
        group_tag: str = "",
        user_principal_name: str = "",
        name_template: str = "",
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.group_tag = group_tag
        self.user_principal_name = user_principal_name
        self.name_template = name_template
        self.user_display_name = ""  # shown as the addressable user name with the UPN
        self._clock = clock
        self._devices: dict[int, AutopilotDevice] = {}
        self._rows: dict[int, SessionRow] = {}
        self._seen: dict[str, int] = {}  # casefolded serial / ztd id / device id -> first row id
        self._next_id = 1
        self.started = clock()
        self._last = self.started

    # ---- rows ------------------------------------------------------------------------------
    @property
    def rows(self) -> list[SessionRow]:
        return list(self._rows.values())

    def row(self, row_id: int) -> SessionRow:
        return self._rows[row_id]

    def device(self, row_id: int) -> AutopilotDevice | None:
        """The device the row's look-up found (the one picked, for several matches)."""
        return self._devices.get(row_id)

    def __len__(self) -> int:
        return len(self._rows)

    def add_scan(self, target: ScanTarget) -> SessionRow:
        """A new row for ``target``, flagged when its serial or ZtdId was seen earlier."""
        serial = target.value if target.kind == "serial" else target.serial
        ztd_id = target.value if target.kind == "ztd_id" else ""
        keys = _keys(serial, ztd_id)
        duplicate_of = next((self._seen[k] for k in keys if k in self._seen), None)
        rejected = target.kind == "rejected"
        row = SessionRow(
            id=self._next_id,
            at=self._tick(),
            kind=target.kind,
            serial=serial,
            ztd_id=ztd_id,
            name_template=self.name_template,
            state=RowState.REFUSED if rejected else RowState.LOOKING_UP,
            reason=target.reason if target.kind == "rejected" else "",
            duplicate_of=duplicate_of,
        )
        self._next_id += 1
        self._rows[row.id] = row
        self._remember(row.id, keys)
        if duplicate_of is not None:
            log.info("scan %d repeats scan %d", row.id, duplicate_of)
        return row

    def update(
        self,
        row_id: int,
        state: RowState | str,
        *,
        reason: str | None = None,
        device: AutopilotDevice | None = None,
        group_tag: str | None = None,
        user_principal_name: str | None = None,
    ) -> SessionRow:
        """Move a row to ``state``; ``device`` fills in what the look-up found. Moving to
        ``APPLYING`` records the sticky tag and user (unless given): the change being sent."""
        row = self._rows[row_id]
        changes: dict[str, object] = {"state": RowState(state)}
        if RowState(state) is RowState.APPLYING:
            group_tag = self.group_tag if group_tag is None else group_tag
            if user_principal_name is None:
                user_principal_name = self.user_principal_name
        if reason is not None:
            changes["reason"] = reason
        elif RowState(state) not in (RowState.FAILED, RowState.REFUSED):
            changes["reason"] = ""
        if group_tag is not None:
            changes["group_tag"] = group_tag
        if user_principal_name is not None:
            changes["user_principal_name"] = user_principal_name
        if device is not None:
            self._devices[row_id] = device
            changes.update(
                device_id=device.id,
                manufacturer=device.manufacturer,
                model=device.model,
                serial=row.serial or device.serial_number,
            )
            keys = _keys(device.serial_number, "", device.id)
            if row.duplicate_of is None:
                earlier = [self._seen[k] for k in keys if self._seen.get(k, row.id) != row.id]
                if earlier:
                    changes["duplicate_of"] = min(earlier)
            self._remember(row.id, keys)
        updated = dataclasses.replace(row, **changes)  # type: ignore[arg-type]
        self._rows[row_id] = updated
        self._tick()
        return updated

    def skip(self, row_id: int) -> SessionRow:
        """The operator moved on without applying: a row still waiting (looking up, found, several
        matches) becomes ``SKIPPED``; a row whose change was made keeps its state."""
        row = self._rows[row_id]
        if row.state not in {RowState.LOOKING_UP, RowState.FOUND, RowState.SEVERAL}:
            return row
        return self.update(row_id, RowState.SKIPPED)

    def summary(self) -> Summary:
        counts = {state: 0 for state in RowState}
        for row in self._rows.values():
            counts[row.state] += 1
        duplicates = sum(1 for row in self._rows.values() if row.is_duplicate)
        return Summary(counts, len(self._rows), duplicates, max(0.0, self._last - self.started))

    # ---- the workflow, for one row ------------------------------------------------------------
    def planned_change(
        self, device: AutopilotDevice, rng: random.Random | None = None
    ) -> DeviceChange:
        """The sticky choices as a change for ``device`` (empty choices leave a field alone)."""
        name = make_device_name(self.name_template, device.serial_number, rng=rng) if (
            self.name_template) else None  # fmt: skip
        upn = self.user_principal_name or None
        return DeviceChange(
            group_tag=self.group_tag or None,
            user_principal_name=upn,
            addressable_user_name=(self.user_display_name or None) if upn else None,
            display_name=name,
        )

    def record_resolution(self, row_id: int, resolution: Resolution) -> SessionRow:
        """Move a row on after its look-up; several matches wait for the operator's pick. A row
        the operator skipped while it was looked up stays skipped."""
        if self._rows[row_id].state is RowState.SKIPPED:
            return self._rows[row_id]
        kind = resolution.kind
        if kind == "found":
            return self.update(row_id, RowState.FOUND, device=resolution.devices[0])
        if kind == "several":
            reason = f"{len(resolution.devices)} devices match; pick one"
            return self.update(row_id, RowState.SEVERAL, reason=reason)
        # No device, so no change will be made: clear the planned tag and user from the row.
        if kind == "not_found":
            state, reason = RowState.NOT_FOUND, "not registered in Autopilot"
        else:
            state = RowState.FAILED
            reason = resolution.error or resolution.target.reason or "look-up failed"
        return self.update(row_id, state, reason=reason, group_tag="", user_principal_name="")

    def record_outcome(self, row_id: int, outcome: _Outcome) -> SessionRow:
        """Move a row on after Apply: verified, applied (accepted, not visible yet), queued (Graph
        not reachable) or failed."""
        state = {
            "verified": RowState.VERIFIED,
            "nothing-to-do": RowState.VERIFIED,
            "accepted": RowState.APPLIED,
            "sent": RowState.APPLIED,
            "pending": RowState.QUEUED,
        }.get(outcome.state, RowState.FAILED)
        reason = "" if state is RowState.VERIFIED else outcome.message
        change = outcome.change
        return self.update(
            row_id,
            state,
            reason=reason,
            group_tag=change.group_tag,
            user_principal_name=change.user_principal_name,
        )

    def run_scan(self, workflow: _Workflow, target: ScanTarget) -> SessionRow:
        """One scan end to end, blocking (the CLI ``bench`` command; the GUI runs the steps
        on its pool): add the row, look it up, and apply the sticky choices when it is found."""
        row = self.add_scan(target)
        if target.kind == "rejected":
            return row
        row = self.record_resolution(row.id, workflow.resolve(target))
        if row.state is not RowState.FOUND:
            return row
        device = self._devices[row.id]
        try:
            wanted = self.planned_change(device)
        except DeviceNameError as exc:
            return self.update(row.id, RowState.FAILED, reason=str(exc))
        self.update(row.id, RowState.APPLYING)
        return self.record_outcome(row.id, workflow.apply(device, wanted))

    # ---- export ----------------------------------------------------------------------------
    def export_csv(self, target: str | Path | IO[str]) -> int:
        """Write every row as CSV (UTF-8 with BOM so Excel reads accents, formula-like cells
        escaped: see ``session_csv``); return the row count."""
        return export_rows(self.rows, target)

    def to_csv_text(self) -> str:
        return rows_as_text(self._rows.values())

    # ---- helpers ---------------------------------------------------------------------------
    def _tick(self) -> float:
        self._last = self._clock()
        return self._last

    def _remember(self, row_id: int, keys: list[str]) -> None:
        for key in keys:
            self._seen.setdefault(key, row_id)


def _keys(serial: str, ztd_id: str, device_id: str = "") -> list[str]:
    out = []
    if serial.strip():
        out.append("serial:" + serial.strip().casefold())
    if ztd_id.strip():
        out.append("ztd:" + ztd_id.strip().casefold())
    if device_id.strip():
        out.append("device:" + device_id.strip().casefold())
    return out
