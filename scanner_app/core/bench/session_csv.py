"""The bench session as CSV: the column list, the writer, and spreadsheet-formula escaping.

Why a module of its own: the file leaves the app (mailed to whoever registers the laptops, opened
in Excel), so its format and its safety rule are a contract with people outside the bench, apart
from how rows move on. UTF-8 with a BOM so Excel reads accents; any cell that starts like a
formula gets a leading ``'`` (``csv_safe``, the rule every CSV of the app follows) so that opening
the file cannot run anything a label carried. A row's
``group_tag`` and ``user`` are those of the change made to its device (empty for a row only
found, skipped or refused), and ``state`` is the row's: ``skipped`` and ``queued`` included.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO

from scanner_app.core.bench.session_rows import SessionRow
from scanner_app.core.csv_safe import SafeWriter

CSV_COLUMNS = (
    "time", "serial", "ztd_id", "manufacturer", "model", "device_id", "group_tag", "user",
    "name_template", "state", "reason", "duplicate_of",
)  # fmt: skip


def export_rows(rows: Sequence[SessionRow], target: str | Path | IO[str]) -> int:
    """Write ``rows`` to a path (UTF-8 with BOM) or an open text file; return the row count."""
    if isinstance(target, (str, Path)):
        with Path(target).open("w", encoding="utf-8-sig", newline="") as fh:
            return write_rows(fh, rows)
    return write_rows(target, rows)


def rows_as_text(rows: Iterable[SessionRow]) -> str:
    """The CSV as one string (no BOM: that belongs to the file's encoding, not the text)."""
    buffer = io.StringIO()
    write_rows(buffer, rows)
    return buffer.getvalue()


def write_rows(fh: IO[str], rows: Iterable[SessionRow]) -> int:
    """The header, then one line per row, every cell escaped; return how many rows went out."""
    writer = SafeWriter(fh)
    writer.header(CSV_COLUMNS)
    for row in rows:
        stamp = datetime.fromtimestamp(row.at).astimezone().isoformat(timespec="seconds")
        values = (
            stamp, row.serial, row.ztd_id, row.manufacturer, row.model, row.device_id,
            row.group_tag, row.user_principal_name, row.name_template, row.state.value,
            row.reason, "" if row.duplicate_of is None else str(row.duplicate_of),
        )  # fmt: skip
        writer.row(values)
    return writer.rows
