"""The bench session table: one row per scan, its state in colour, a summary and a CSV export.

The session (``scanner_app.core.session.BenchSession``) holds the truth; the table model only
shows it, and the panel forwards ``add_scan``/``update`` so the view refreshes the changed row.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scanner_app.core.models import AutopilotDevice, Resolution, ScanTarget
from scanner_app.core.session import BenchSession, RowState, SessionRow
from scanner_app.ui.device_card import model_text

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex

# Background colours per state; readable with dark text in light and dark themes alike.
STATE_COLOURS: dict[RowState, str] = {
    RowState.LOOKING_UP: "#e8eaed",
    RowState.FOUND: "#dbeafe",
    RowState.NOT_FOUND: "#fde7e9",
    RowState.SEVERAL: "#fff4ce",
    RowState.APPLYING: "#fff4ce",
    RowState.APPLIED: "#e6f4ea",
    RowState.VERIFIED: "#c8ecc9",
    RowState.FAILED: "#fbd0d4",
}


class SessionTableModel(QAbstractTableModel):
    """Rows of a BenchSession, newest last. Column 5 (state) carries the row's colour."""

    COLUMNS = ("time", "serial", "model", "group tag", "user", "state", "reason")

    def __init__(self, session: BenchSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._ids: list[int] = [row.id for row in session.rows]
        self._headers = [
            self.tr("Time"),
            self.tr("Serial"),
            self.tr("Model"),
            self.tr("Group tag"),
            self.tr("User"),
            self.tr("State"),
            self.tr("Reason"),
        ]
        self.state_names = {
            RowState.LOOKING_UP: self.tr("looking up"),
            RowState.FOUND: self.tr("found"),
            RowState.NOT_FOUND: self.tr("not found"),
            RowState.SEVERAL: self.tr("several matches"),
            RowState.APPLYING: self.tr("applying"),
            RowState.APPLIED: self.tr("applied"),
            RowState.VERIFIED: self.tr("verified"),
            RowState.FAILED: self.tr("failed"),
        }

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def row_at(self, index: int) -> SessionRow:
        return self.session.row(self._ids[index])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == 5:
            return QBrush(QColor(STATE_COLOURS[row.state]))
        if role == Qt.ItemDataRole.ForegroundRole and column == 5:
            return QBrush(QColor("#1f1f1f"))
        if role == Qt.ItemDataRole.FontRole and row.is_duplicate and column == 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and row.is_duplicate:
            return self.tr("Scanned before in this session (row %1).").replace(
                "%1", str(row.duplicate_of)
            )
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def _text(self, row: SessionRow, column: int) -> str:
        if column == 0:
            return datetime.fromtimestamp(row.at).strftime("%H:%M:%S")
        if column == 1:
            serial = row.serial or row.ztd_id
            return f"⚠ {serial}" if row.is_duplicate else serial
        if column == 2:
            return model_text(row.manufacturer, row.model)
        if column == 3:
            return row.group_tag
        if column == 4:
            return row.user_principal_name
        if column == 5:
            return self.state_names[row.state]
        reason = row.reason
        if row.is_duplicate:
            note = self.tr("duplicate of row %1").replace("%1", str(row.duplicate_of))
            reason = f"{note}; {reason}" if reason else note
        return reason

    def row_added(self, row: SessionRow) -> None:
        position = len(self._ids)
        self.beginInsertRows(QModelIndex(), position, position)
        self._ids.append(row.id)
        self.endInsertRows()

    def row_changed(self, row_id: int) -> None:
        position = self._ids.index(row_id)
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.COLUMNS) - 1))

    def reset_to(self, session: BenchSession) -> None:
        self.beginResetModel()
        self.session = session
        self._ids = [row.id for row in session.rows]
        self.endResetModel()


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
        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setAccessibleName(self.tr("Bench session"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Size columns from the visible rows only: measuring every row on each change cost
        # the GUI thread ~25 ms per Apply by the end of a long session (benchmarks/ui_latency).
        header.setResizeContentsPrecision(0)
        header.setStretchLastSection(True)
        # The state column changes width with every row's state: give it the width of the
        # longest state name once, so "several matches" never wraps or elides.
        state_column = self.model.COLUMNS.index("state")
        longest = max(self.model.state_names.values(), key=self.fontMetrics().horizontalAdvance)
        header.setSectionResizeMode(state_column, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(state_column, self.fontMetrics().horizontalAdvance(longest) + 24)
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
