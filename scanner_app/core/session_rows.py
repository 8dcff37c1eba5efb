"""The values a bench session hands out: a row's state, the row itself, the session summary.

Kept apart from ``session.py`` (the rules that move rows on) and ``session_csv.py`` (the export)
because all three, and the queue panel, only need these plain frozen values: the GUI table
renders them, the CSV writes them, and neither can change one behind the session's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class RowState(str, Enum):
    """Where one scanned device stands. The value is what the CSV and the logs show."""

    LOOKING_UP = "looking-up"
    FOUND = "found"
    NOT_FOUND = "not-found"
    SEVERAL = "several"
    APPLYING = "applying"
    APPLIED = "applied"
    VERIFIED = "verified"
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SessionRow:
    """One scan. ``duplicate_of`` is the id of the earlier row with the same serial or ZtdId."""

    id: int
    at: float  # seconds since the epoch, from the session's clock
    kind: str  # the ScanTarget kind: serial | ztd_id | hardware_hash | rejected
    serial: str
    ztd_id: str = ""
    device_id: str = ""
    manufacturer: str = ""
    model: str = ""
    group_tag: str = ""
    user_principal_name: str = ""
    name_template: str = ""
    state: RowState = RowState.LOOKING_UP
    reason: str = ""
    duplicate_of: int | None = None

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None


@dataclass(frozen=True)
class Summary:
    """Counts per state (every state present, zero included) and how long the session ran."""

    counts: dict[RowState, int]
    total: int
    duplicates: int
    duration_s: float

    def text(self) -> str:
        """One line for a status label or the log: "12 scans · 9 verified · 1 failed · 4 min"."""
        parts = [f"{self.total} scans"]
        parts += [f"{n} {state.value}" for state, n in self.counts.items() if n]
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate")
        minutes, seconds = divmod(int(self.duration_s), 60)
        parts.append(f"{minutes} min {seconds:02d} s")
        return " · ".join(parts)
