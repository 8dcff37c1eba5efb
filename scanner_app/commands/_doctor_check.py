"""One line of `scanner-app doctor`: a section, what was checked, its status and a hint.

Apart from ``doctor.py`` so the check groups (``_doctor_files``) and the command share it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

OK, WARN, ERROR, INFO = "ok", "warn", "error", "info"


@dataclass(frozen=True)
class Check:
    section: str
    name: str
    status: str  # ok | warn | error | info
    value: str
    hint: str = ""
