"""The bench session as a table: the model over a BenchSession's rows, and a view whose columns
are sized from the font and the room it has, never from the rows.

Widths that follow the rows jump as scans arrive (and measuring every row cost the GUI thread
~25 ms per Apply late in a long session). So Time and State have fixed widths (the longest state
name fits), Serial, Model, Group tag and User start at the width of a typical value and give way,
down to their heading, when the table is narrow, and Reason takes the rest. State stays in view
without scrolling sideways at 800 pixels; a value that does not fit is elided, whole in its tooltip.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from scanner_app.core.bench.session import BenchSession, RowState, SessionRow
from scanner_app.ui.device_card import model_text

_Index = QModelIndex | QPersistentModelIndex

# Background colours per state; readable with dark text in light and dark themes alike.
STATE_COLOURS: dict[RowState, str] = {
    RowState.LOOKING_UP: "#e8eaed",
    RowState.FOUND: "#dbeafe",
    RowState.NOT_FOUND: "#fde7e9",
    RowState.SEVERAL: "#fff4ce",
    RowState.SKIPPED: "#e8eaed",
    RowState.APPLYING: "#fff4ce",
    RowState.ACCEPTED: "#e6f4ea",
    RowState.QUEUED: "#fff4ce",
    RowState.VERIFIED: "#c8ecc9",
    RowState.REFUSED: "#fde7e9",
    RowState.FAILED: "#fbd0d4",
}

# A typical value per column that gives way: its starting width (Reason takes the rest).
_TYPICAL = {
    1: "⚠ 5CG3810DNA",
    2: "HP EliteBook 840 G10",
    3: "Bench-Kiosk-7",
    4: "adele.v@contoso.com",
}
_PADDING = 18  # the cell's margins and a little air


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
            RowState.SKIPPED: self.tr("skipped"),
            RowState.APPLYING: self.tr("applying"),
            RowState.ACCEPTED: self.tr("accepted"),  # the flow's and the journal's word
            RowState.QUEUED: self.tr("queued"),
            RowState.VERIFIED: self.tr("verified"),
            RowState.REFUSED: self.tr("refused"),
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
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def _tooltip(self, row: SessionRow, column: int) -> str | None:
        parts = [self._text(row, column)] if column in {1, 2, 3, 4, 6} else []
        if row.is_duplicate:
            parts.append(
                self.tr("Scanned before in this session (row %1).").replace(
                    "%1", str(row.duplicate_of)
                )
            )
        text = "\n".join(p for p in parts if p)
        return text or None

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


class SessionTable(QTableView):
    """The view: columns sized by :meth:`fit_columns` whenever its width or font changes."""

    def __init__(self, model: SessionTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)  # Tab leaves the table instead of walking its cells
        self.verticalHeader().setVisible(False)
        self._fitted_for = -1  # the table width the columns were last fitted to
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column in (0, 5):  # the clock and the state names: known widths
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.fit_columns()

    def fit_columns(self) -> None:
        model = self.model()
        assert isinstance(model, SessionTableModel)
        metrics = self.fontMetrics()
        header = self.horizontalHeader()

        def advance(text: str) -> int:
            return metrics.horizontalAdvance(text) + _PADDING

        def heading(column: int) -> int:  # room for a bold heading and its sort arrow
            return header.fontMetrics().horizontalAdvance(model._headers[column]) + 2 * _PADDING

        fixed = {
            0: max(advance("00:00:00"), heading(0)),
            5: max(advance(max(model.state_names.values(), key=advance)), heading(5)),
        }
        wanted = {c: max(advance(text), heading(c)) for c, text in _TYPICAL.items()}
        floor = {c: heading(c) for c in _TYPICAL}
        # Reason: the rest, but the stretched last section never shrinks below the default size.
        reason = max(advance("not registered"), heading(6), header.defaultSectionSize())
        # The room as if the vertical scroll bar were there: when it appears with the rows that
        # fill the table, Reason gives up its width and nothing else moves.
        self._fitted_for = self.width()
        inner = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        room = inner - sum(fixed.values()) - reason
        spare = sum(wanted.values()) - sum(floor.values())
        excess = max(0, sum(wanted.values()) - room)
        for column, width in {**fixed, **wanted}.items():
            if column in wanted and excess and spare:
                give = (wanted[column] - floor[column]) * min(1.0, excess / spare)
                width = round(wanted[column] - give)
            header.resizeSection(column, width)
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 10)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)  # (the viewport's size: it changes with the scroll bar too)
        if self.width() != self._fitted_for:
            self.fit_columns()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_columns()
