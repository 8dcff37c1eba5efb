"""The history of changes: what was changed, by whom, when, and what became of it.

Newest first, one row per journaled change, with its state in colour. From here the operator
undoes a verified change, retries a failed one, exports the audit record as CSV, and decides a
conflict (the device changed in Intune since it was read): the panel shows the value before,
Intune's value now and ours side by side, with Overwrite and Discard. Graph calls, journal reads
and the export run on TaskRunner pools, never on the GUI thread: a refresh says "Loading…" and
keeps the rows it shows until the new ones arrive. The view refreshes whenever the outbox reports.
A journal can hold several tenants' changes (an operator who switched tenants; in training, one
simulated tenant per demo run), so each row names its tenant, and only the changes of the tenant
the app is connected to can be acted on. Rows are numbered by change number (the number messages
and "undo of #…" use); Undo asks first, spelling the change out, and is offered once per change.
The words (a change, a state, a conflict) are in ``history_text``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scanner_app.core.journal.journal import CONFLICT, FAILED, SUPERSEDED, VERIFIED, JournalEntry
from scanner_app.ui.history_text import cells, conflict_html, state_name, undo_question
from scanner_app.ui.workers import TaskRunner

log = logging.getLogger(__name__)

#: How many columns the history table has (their titles are in ``HistoryDialog.__init__``).
COLUMN_COUNT = 8
#: The column that shows the state (in colour): beside the change, so a small window shows it.
STATE_COLUMN = 3
#: The column that names the tenant a change was made in.
TENANT_COLUMN = 6
STATE_COLOURS = {
    "verified": "#107c10",
    "accepted": "#0078d4",
    "pending": "#c19c00",
    "sent": "#c19c00",
    "conflict": "#ca5010",
    "failed": "#c50f1f",
    "superseded": "#8a8886",
}
# The widest a column grows when sized to its contents (the cell's tooltip has the rest): the
# change column up to this share of the table, the others up to a third of that.
CHANGE_SHARE = 0.4


def write_audit(journal: Any, path: Path) -> int:
    """Write ``journal``'s audit CSV to ``path``; the number of changes written (on the pool)."""
    with path.open("w", encoding="utf-8", newline="") as file:
        return int(journal.export_csv(file))


class HistoryDialog(QDialog):
    """The journal as a table.

    Signals: ``refreshed()`` when rows read from the journal are shown;
    ``action_finished(JournalEntry | Exception)`` after each action;
    ``exported(int | Exception)`` after an export (the number of changes written)."""

    refreshed = Signal()
    action_finished = Signal(object)
    exported = Signal(object)

    def __init__(
        self,
        outbox: Any,
        parent: QWidget | None = None,
        *,
        runner: QObject | None = None,
        limit: int = 500,
    ) -> None:
        super().__init__(parent)
        self.outbox, self.journal, self.limit = outbox, outbox.journal, limit
        self.tasks = TaskRunner(self, max_threads=1)  # one action at a time, in order
        self.reads = TaskRunner(self, max_threads=1)  # journal reads, not queued behind actions
        self.entries: list[JournalEntry] = []
        self._busy = False
        self._reading = False  # a journal read is on the pool
        self._read_again = False  # ... and another was asked for meanwhile
        self.setWindowTitle(self.tr("History of changes"))
        room = self.screen().availableGeometry()  # a small screen gets no off-screen edge
        self.resize(min(1100, room.width()), min(560, room.height()))

        self.table = QTableWidget(0, COLUMN_COUNT)
        self.table.setAccessibleName(self.tr("History of changes"))
        self._titles = [  # literals, so lupdate extracts them (it cannot follow a variable)
            self.tr("Time"),
            self.tr("Serial"),
            self.tr("Change (before → after)"),
            self.tr("State"),
            self.tr("Reason"),
            self.tr("Operator"),
            self.tr("Tenant"),
            self.tr("Graph request ids"),
        ]
        self.table.setHorizontalHeaderLabels(self._titles)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setToolTip(self.tr("Change number"))
        self._sized = False  # columns are sized to the first rows once, then left to the operator
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.conflict = QGroupBox(self.tr("Changed in Intune since it was read"))
        self.conflict_text = QLabel()
        self.conflict_text.setTextFormat(Qt.TextFormat.RichText)
        self.conflict_text.setWordWrap(True)
        self.overwrite_button = QPushButton(self.tr("&Overwrite with ours"))
        self.discard_button = QPushButton(self.tr("&Discard ours, keep Intune's"))
        self.overwrite_button.clicked.connect(lambda: self._act(self.outbox.overwrite))
        self.discard_button.clicked.connect(lambda: self._act(self.outbox.discard))
        row = QHBoxLayout()
        row.addWidget(self.overwrite_button)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        box = QVBoxLayout(self.conflict)
        box.addWidget(self.conflict_text)
        box.addLayout(row)
        self.conflict.hide()

        self.undo_button = QPushButton(self.tr("&Undo"))
        self.retry_button = QPushButton(self.tr("&Retry"))
        self.export_button = QPushButton(self.tr("&Export CSV…"))
        self.undo_button.clicked.connect(self._undo)
        self.retry_button.clicked.connect(lambda: self._act(self.outbox.retry))
        self.export_button.clicked.connect(self.export)
        self.message = QLabel()
        self.loading = QLabel(self.tr("Loading…"))
        self.loading.setObjectName("historyLoading")
        self.loading.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        for button in (self.undo_button, self.retry_button, self.export_button):
            bottom.addWidget(button)
        bottom.addWidget(self.loading)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.conflict)
        layout.addLayout(bottom)
        if runner is not None and hasattr(runner, "status_changed"):
            runner.status_changed.connect(self.refresh)
        self.refresh()

    # -- the table ------------------------------------------------------------------------------
    def refresh(self, *_: object) -> None:
        """Re-read the journal on the pool; the rows shown stay until the new ones arrive, then
        the selected change stays selected. Asked again while a read runs: one more read after
        it (so the rows shown are never older than the last ask)."""
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        self.loading.show()
        self.reads.submit(
            self.journal.entries,
            limit=self.limit,
            on_result=self._show_entries,
            on_error=self._read_failed,
        )

    def is_loading(self) -> bool:
        """True from a ``refresh()`` until the rows it asked for are shown (or failed)."""
        return self._reading

    def _read_finished(self) -> None:
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.refresh()
        else:
            self.loading.hide()

    def _read_failed(self, exc: BaseException) -> None:
        log.warning("the history could not be read: %s", exc)
        self.message.setText(str(exc))
        self._read_finished()

    def _show_entries(self, entries: list[JournalEntry]) -> None:
        chosen = self.selected()
        self.entries = entries
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.entries))
        self.table.setVerticalHeaderLabels([str(entry.id) for entry in self.entries])
        for r, entry in enumerate(self.entries):
            for c, text in enumerate(cells(entry)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == STATE_COLUMN:
                    item.setForeground(QBrush(QColor(STATE_COLOURS.get(entry.state, "#000000"))))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
            if chosen is not None and entry.id == chosen.id:
                self.table.selectRow(r)
        self.table.blockSignals(False)
        if self.entries and not self._sized and self.isVisible():
            self._size_columns()
        self._selection_changed()
        self._read_finished()
        self.refreshed.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.entries and not self._sized:  # now the table has its width to share out
            self._size_columns()

    def _size_columns(self) -> None:
        """Every header readable and the values shown, within reason: once, so widths do not
        jump as the outbox reports."""
        self._sized = True
        self.table.resizeColumnsToContents()
        widest = max(260, round(self.table.viewport().width() * CHANGE_SHARE))
        header = self.table.horizontalHeader()
        for column in range(COLUMN_COUNT - 1):
            title = header.fontMetrics().horizontalAdvance(self._titles[column]) + 24
            cap = widest if column == 2 else max(widest // 2, title)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))

    def undone(self, entry: JournalEntry) -> bool:
        """A later change undoes ``entry`` (one the operator did not discard)."""
        return any(e.undo_of == entry.id and e.state != SUPERSEDED for e in self.entries)

    def selected(self) -> JournalEntry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.entries):
            return None
        return self.entries[rows[0].row()]

    def select_entry(self, entry_id: int) -> None:
        for r, entry in enumerate(self.entries):
            if entry.id == entry_id:
                self.table.selectRow(r)
                return

    def _selection_changed(self) -> None:
        entry = self.selected()
        # Another tenant's change is only shown: its tenant must be connected to act on it.
        state = entry.state if entry and self.outbox.owns(entry) else ""
        busy = self._busy
        undoable = entry is not None and state == VERIFIED and not self.undone(entry)
        self.undo_button.setEnabled(undoable and not busy)
        self.retry_button.setEnabled(state == FAILED and not busy)
        self.conflict.setVisible(state == CONFLICT)
        self.overwrite_button.setEnabled(not busy)
        self.discard_button.setEnabled(not busy)
        if entry is not None and state == CONFLICT:
            self.conflict_text.setText(conflict_html(entry))

    # -- actions --------------------------------------------------------------------------------
    def _undo(self) -> None:
        """Undo writes to a production record: ask first, with the change spelled out."""
        entry = self.selected()
        if entry is None or not self.undo_button.isEnabled():
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Undo this change?"), "", parent=self)
        box.setObjectName("confirmUndo")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(undo_question(entry))
        undo = box.addButton(self.tr("&Undo the change"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is undo:
            self._act(self.outbox.undo)

    def _act(self, action: Any) -> None:
        entry = self.selected()
        if entry is None:
            return
        self.message.setText(self.tr("Working on change #%1…").replace("%1", str(entry.id)))
        self._busy = True
        self._selection_changed()
        self.tasks.submit(action, entry.id, on_result=self._done, on_error=self._done)

    def _done(self, result: object) -> None:
        self._busy = False
        if isinstance(result, BaseException):
            log.warning("history action failed: %s", result)
            self.message.setText(str(result))
        else:
            entry = result if isinstance(result, JournalEntry) else None
            self.message.setText(
                self.tr("Change #%1 is now %2.")
                .replace("%1", str(entry.id if entry else "?"))
                .replace("%2", state_name(entry.state) if entry else "?")
            )
        self.refresh()
        self.action_finished.emit(result)

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the audit record"), "changes.csv", self.tr("CSV files (*.csv)")
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the journal's audit CSV to ``path`` on the pool; ``exported`` says how it went
        (the number of changes written, or the exception)."""
        self.reads.submit(
            write_audit, self.journal, path, on_result=self._exported, on_error=self._exported
        )

    def _exported(self, result: object) -> None:
        if isinstance(result, BaseException):
            log.warning("the audit record could not be exported: %s", result)
            self.message.setText(str(result))
        else:
            self.message.setText(self.tr("%1 changes exported.").replace("%1", str(result)))
        self.exported.emit(result)

    def done(self, result: int) -> None:  # noqa: D102 (closing waits for a running action)
        self.tasks.shutdown()
        self.reads.shutdown()
        super().done(result)
