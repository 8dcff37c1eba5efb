"""The words of the history window: a change, its state and a conflict as an operator reads them.

The journal keeps exact values (``group_tag: '' → 'Kiosk'`` in the CLI); the window says
"Group tag: – → Kiosk" in the UI's language, with times in local time.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication

from scanner_app.core.journal.journal import JournalEntry
from scanner_app.ui.time_text import local_time

# Literal ``translate("HistoryDialog", "…")`` calls: lupdate extracts only literals.
translate = QCoreApplication.translate


def field_labels() -> dict[str, str]:
    """The fields of a change, named for people (translated)."""
    return {
        "group_tag": translate("HistoryDialog", "Group tag"),
        "user_principal_name": translate("HistoryDialog", "User"),
        "addressable_user_name": translate("HistoryDialog", "User name"),
        "display_name": translate("HistoryDialog", "Device name"),
    }


def state_name(state: str) -> str:
    """A journal state in the UI's language ("verified" → "bestätigt")."""
    names = {  # literals, so lupdate extracts them
        "pending": translate("HistoryDialog", "pending"),
        "sent": translate("HistoryDialog", "sent"),
        "accepted": translate("HistoryDialog", "accepted"),
        "verified": translate("HistoryDialog", "verified"),
        "failed": translate("HistoryDialog", "failed"),
        "superseded": translate("HistoryDialog", "superseded"),
        "conflict": translate("HistoryDialog", "conflict"),
    }
    return names.get(state, state)


def change_text(entry: JournalEntry) -> str:
    """``Group tag: – → Kiosk; User: – → ada@contoso.com``; an undo says first which change it
    undoes (the text may be cut at the column's end)."""
    text = entry.describe(field_labels())
    if entry.undo_of:
        undo = translate("HistoryDialog", "Undo of #%1:").replace("%1", str(entry.undo_of))
        text = f"{undo} {text}"
    return text


def cells(entry: JournalEntry) -> tuple[str, ...]:
    """One history row, in the dialog's column order."""
    return (
        local_time(entry.created_at, seconds=True),
        entry.serial,
        change_text(entry),
        state_name(entry.state),
        entry.reason,
        entry.operator,
        entry.tenant,
        " ".join(entry.request_ids),
    )


def undo_question(entry: JournalEntry) -> str:
    """What Undo will write, spelled out before it does."""
    labels = field_labels()
    lines = "".join(
        f"<li>{_esc(labels.get(name, name))}: {_esc(value or '–')} → "
        f"<b>{_esc(entry.before.get(name) or '–')}</b></li>"
        for name, value in entry.after.items()
        if not (name == "addressable_user_name" and "user_principal_name" in entry.after)
    )
    return (
        "<p>"
        + translate(
            "HistoryDialog",
            "Undo change #%1 on %2? This writes the values from before it back to Intune:",
        )
        .replace("%1", str(entry.id))
        .replace("%2", _esc(entry.serial))
        + f"</p><ul>{lines}</ul>"
    )


def conflict_html(entry: JournalEntry) -> str:
    """Before / in Intune now / ours, per field, for a change in conflict."""
    labels = field_labels()
    rows = "".join(
        f"<tr><td><b>{_esc(labels.get(name, name))}</b></td><td>{_q(entry.before.get(name))}"
        f"</td><td>{_q(entry.current.get(name))}</td><td>{_q(ours)}</td></tr>"
        for name, ours in entry.after.items()
    )
    intro = translate(
        "HistoryDialog",
        "Device %1 was changed in Intune (by someone else or the portal) after it was read "
        "here. Overwrite it with ours, or discard ours?",
    ).replace("%1", _esc(entry.serial))
    before, now, mine = (
        translate("HistoryDialog", "Before"),
        translate("HistoryDialog", "In Intune now"),
        translate("HistoryDialog", "Ours"),
    )
    heads = "".join(f"<th>{_esc(h)}</th>" for h in (before, now, mine))
    return f"<p>{intro}</p><table cellspacing='6'><tr><th></th>{heads}</tr>{rows}</table>"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _q(value: str | None) -> str:
    if value:
        return f"“{_esc(value)}”"
    return "<i>" + _esc(translate("HistoryDialog", "(empty)")) + "</i>"
