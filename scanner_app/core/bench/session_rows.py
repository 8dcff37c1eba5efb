"""The values a bench session hands out: a row's state, the row itself, the session summary.

Kept apart from ``session.py`` (the rules that move rows on) and ``session_csv.py`` (the export)
because all three, and the queue panel, only need these plain frozen values: the GUI table
renders them, the CSV writes them, and neither can change one behind the session's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from scanner_app.core.bench.states import BenchState


class RowState(str, Enum):
    """Where one scanned device stands. The value is what the CSV and the logs show.

    The bench flow's words (``BenchState``) wherever a row means the same as the screen did:
    a row reads "several", "accepted" or "queued" exactly as the flow (and the journal, for
    "accepted") does. Only "skipped" is a row's own: the screen then simply waits again.
    """

    LOOKING_UP = BenchState.LOOKING_UP.value
    FOUND = BenchState.FOUND.value
    NOT_FOUND = BenchState.NOT_FOUND.value
    SEVERAL = BenchState.SEVERAL.value
    SKIPPED = "skipped"  # the operator moved on (Esc) without applying anything
    APPLYING = BenchState.APPLYING.value
    ACCEPTED = BenchState.ACCEPTED.value  # accepted by Intune, not visible yet
    APPLIED = BenchState.ACCEPTED.value  # the row's older name for ACCEPTED (an alias)
    QUEUED = BenchState.QUEUED.value  # Graph not reachable: the journal sends the change later
    VERIFIED = BenchState.VERIFIED.value
    REFUSED = BenchState.REFUSED.value  # a code that cannot be used (a web link, a misread)
    FAILED = BenchState.APPLY_FAILED.value  # a look-up or an apply failed

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SessionRow:
    """One scan. ``duplicate_of`` is the id of the earlier row with the same serial or ZtdId.

    ``group_tag`` and ``user_principal_name`` are those of the change made to the device: empty
    until one is applied (or queued), so a row that got nothing never reads as if it had."""

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
