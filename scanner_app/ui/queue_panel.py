"""The bench session table: one row per scan, its state in colour, a summary and a CSV export.

The session (``scanner_app.core.bench.session.BenchSession``) holds the truth; the table model
(``session_table``) only shows it, and the panel forwards ``add_scan``/``update``/``skip_row`` so
the view refreshes the changed row.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from scanner_app.core.bench.session import BenchSession, RowState, SessionRow
from scanner_app.core.models import AutopilotDevice, Resolution, ScanTarget
from scanner_app.ui.session_table import STATE_COLOURS as STATE_COLOURS
from scanner_app.ui.session_table import SessionTable, SessionTableModel

log = logging.getLogger(__name__)


class QueuePanel(QWidget):
    """The bench session table with its summary line and "Export CSV…".

    Signals: ``row_activated(int)`` with the row id the operator double-clicked or pressed
    Enter on; ``exported(str)`` with the CSV path written; ``export_failed(str)`` with the reason;
    ``summary_changed(str)`` with the new summary line.
    """

    row_activated = Signal(int)
    exported = Signal(str)
    export_failed = Signal(str)
    summary_changed = Signal(str)

    def __init__(self, session: BenchSession | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session or BenchSession()
        self.model = SessionTableModel(self.session, self)
        self.table = SessionTable(self.model)  # column widths from the font, never the rows
        self.table.setObjectName("queueTable")
        self.table.setAccessibleName(self.tr("Bench session"))
        self.table.activated.connect(lambda index: self.row_activated.emit(
            self.model.row_at(index.row()).id))  # fmt: skip
        self.summary = QLabel()
        self.summary.setObjectName("queueSummary")
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(lambda: self.export_csv())
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._refresh_summary()

    # ---- session ---------------------------------------------------------------------------
    def add_scan(self, target: ScanTarget) -> SessionRow:
        row = self.session.add_scan(target)
        self.model.row_added(row)
        self.table.scrollToBottom()
        self._refresh_summary()
        return row

    def update_row(
        self,
        row_id: int,
        state: RowState | str,
        *,
        reason: str | None = None,
        device: AutopilotDevice | None = None,
    ) -> SessionRow:
        """Move a row on (see ``BenchSession.update``) and show it."""
        return self._changed(self.session.update(row_id, state, reason=reason, device=device))

    def skip_row(self, row_id: int | None) -> SessionRow | None:
        """The operator moved on (Esc) from the row being shown (None: no row): a row still
        waiting becomes *skipped* (see ``BenchSession.skip``)."""
        if row_id is None:
            return None
        return self._changed(self.session.skip(row_id))

    def record_resolution(self, row_id: int, resolution: Resolution) -> SessionRow:
        """After a look-up (see ``BenchSession.record_resolution``)."""
        return self._changed(self.session.record_resolution(row_id, resolution))

    def record_outcome(self, row_id: int, outcome: Any) -> SessionRow:
        """After Apply, with the workflow's ``ApplyOutcome``."""
        return self._changed(self.session.record_outcome(row_id, outcome))

    def _changed(self, row: SessionRow) -> SessionRow:
        self.model.row_changed(row.id)
        self._refresh_summary()
        return row

    def new_session(self) -> None:
        """Start an empty session that keeps the sticky choices of the current one."""
        old = self.session
        self.session = BenchSession(old.group_tag, old.user_principal_name, old.name_template)
        self.model.reset_to(self.session)
        self._refresh_summary()

    def summary_text(self) -> str:
        summary = self.session.summary()
        if not summary.total:
            return self.tr("No scans yet in this session.")
        parts = [self.tr("%1 scans").replace("%1", str(summary.total))]
        names = self.model.state_names
        parts += [f"{n} {names[state]}" for state, n in summary.counts.items() if n]
        if summary.duplicates:
            parts.append(self.tr("%1 duplicate").replace("%1", str(summary.duplicates)))
        minutes, seconds = divmod(int(summary.duration_s), 60)
        parts.append(self.tr("%1 min %2 s").replace("%1", str(minutes)).replace(
            "%2", f"{seconds:02d}"))  # fmt: skip
        return " · ".join(parts)

    def _refresh_summary(self) -> None:
        text = self.summary_text()
        self.summary.setText(text)
        self.export_button.setEnabled(len(self.session) > 0)
        self.summary_changed.emit(text)

    # ---- export ----------------------------------------------------------------------------
    def export_csv(self, path: str | Path | None = None) -> Path | None:
        """Write the session as CSV; with no ``path``, ask for one. Returns the path written."""
        if path is None:
            default = datetime.now().strftime("bench-session-%Y%m%d-%H%M.csv")
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Export the session"), str(Path.home() / default),
                self.tr("CSV files (*.csv)"),
            )  # fmt: skip
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        try:
            count = self.session.export_csv(target)
        except OSError as exc:
            message = self.tr("The CSV could not be written: %1").replace(
                "%1", exc.strerror or str(exc)
            )
            log.warning("session export to %s failed: %s", target, exc)
            self.export_failed.emit(message)
            return None
        log.info("session exported: %d rows to %s", count, target)
        self.exported.emit(str(target))
        return target
