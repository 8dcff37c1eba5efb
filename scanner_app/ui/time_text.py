"""Timestamps as an operator reads them: local time, short, in the UI's language.

Graph and the journal store ISO 8601 in UTC (``2026-03-09T06:00:00Z``,
``2026-03-09T06:00:00.123+00:00``); Graph writes ``0001-01-01T00:00:00Z`` for "never" (a device
that has not contacted Intune yet). The card and the history show neither form raw.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

# Anything before this is Graph's placeholder for "never", not a real time.
_FIRST_REAL_YEAR = 1971


def parse_iso(text: str) -> datetime | None:
    """The instant ``text`` names (UTC when it names no zone), or None when it is not one."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def is_never(text: str) -> bool:
    """Graph's "never" (``0001-01-01T00:00:00Z``)."""
    when = parse_iso(text)
    return when is not None and when.year < _FIRST_REAL_YEAR


def local_time(text: str, *, seconds: bool = False, now: datetime | None = None) -> str:
    """``9 Mar, 06:00`` (this year), ``9 Mar 2025, 06:00`` (another), "never", or ``text``
    unchanged when it is not a timestamp. ``seconds`` adds them (the history's audit times)."""
    if not text.strip():
        return ""
    when = parse_iso(text)
    if when is None:
        return text
    if when.year < _FIRST_REAL_YEAR:
        return QCoreApplication.translate("TimeText", "never")
    local = when.astimezone()
    this_year = (now or datetime.now().astimezone()).year == local.year
    pattern = ("d MMM" if this_year else "d MMM yyyy") + (", HH:mm:ss" if seconds else ", HH:mm")
    stamp = QDateTime.fromMSecsSinceEpoch(int(when.timestamp() * 1000))
    return QLocale().toString(stamp, pattern)


def epoch_time(epoch: float) -> str:
    """``local_time`` of an instant in seconds since the epoch (when an offline copy was seen):
    the locale's own short format reads "7 12 2026 05:36" under some system locales."""
    return local_time(datetime.fromtimestamp(epoch, timezone.utc).isoformat())
