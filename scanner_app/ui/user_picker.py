"""Type-ahead over Entra ID users: debounced, asynchronous, never blocking the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from scanner_app.core.models import User

DEBOUNCE_MS = 250


class UserPicker(QLineEdit):
    """A line edit that suggests users as the operator types.

    Signals: ``user_chosen(object)`` (a User, or None when cleared), ``search_done(int)``
    (the number of suggestions shown after a search).
    """

    user_chosen = Signal(object)
    search_done = Signal(int)

    def __init__(
        self,
        search: Callable[[str, Callable[[list[User]], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self.setPlaceholderText(self.tr("Type a name or UPN (leave empty to keep the user)"))
        self.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.activated.connect(self._picked)
        self.setCompleter(self._completer)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._run_search)
        self.textEdited.connect(self._edited)
        self._by_text: dict[str, User] = {}
        self.chosen: User | None = None

    @staticmethod
    def label(user: User) -> str:
        extra = f" · {user.department}" if user.department else ""
        return f"{user.display_name} <{user.user_principal_name}>{extra}"

    def set_user(self, user: User | None) -> None:
        self.chosen = user
        self.setText(self.label(user) if user else "")
        # Show the name, not the tail of the UPN: after the completer has inserted its text.
        QTimer.singleShot(0, lambda: self.home(False))
        self.user_chosen.emit(user)

    def _edited(self, text: str) -> None:
        if self.chosen is not None and text != self.label(self.chosen):
            self.chosen = None
            self.user_chosen.emit(None)
        if len(text.strip()) >= 2:
            self._timer.start()

    def _run_search(self) -> None:
        query = self.text().strip()
        self._search(query, lambda users, q=query: self._show(q, users))  # type: ignore[misc]

    def _show(self, query: str, users: list[User]) -> None:
        if query != self.text().strip():
            return  # the operator typed on; a newer search is coming
        self._by_text = {self.label(u): u for u in users}
        self._model.setStringList(list(self._by_text))
        if users and self.hasFocus():
            self._completer.setCompletionPrefix("")
            self._completer.complete()
        self.search_done.emit(len(users))

    def _picked(self, text: str) -> None:
        user = self._by_text.get(text)
        if user is not None:
            self.set_user(user)

    def wanted_upn(self) -> str | None:
        """The UPN to apply: the chosen user's, a typed UPN, or None to keep the current one."""
        if self.chosen is not None:
            return self.chosen.user_principal_name
        text = self.text().strip()
        if "@" in text and " " not in text:
            return text
        return None
