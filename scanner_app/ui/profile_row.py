"""The card's Profile row: read in the background, followed while Intune is still assigning.

The serial look-up stays one request and the card appears at once; ``ProfileWatch`` then reads
the device's Autopilot profile from beta on the task pool (``core.profile_follow``) and emits
every reading; the card shows the one for the device it holds. After a verified change of group
tag the window asks for a follow that waits for Intune's "pending" to come and go, so the row
moves from pending to assigned in front of the operator. Moving on to another device, or
closing the window, stops the follow (its pause is an Event the watch sets).
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from scanner_app.core.graph.profile_follow import FollowPlan, follow_profile
from scanner_app.core.models import ProfileState

# Colour of a row that needs the operator's attention (the banner's error text colour).
ATTENTION = "#8a1620"


def profile_words(state: ProfileState) -> str:
    """``ProfileState.words`` in the operator's language."""
    if not state.available:
        return QCoreApplication.translate("ProfileRow", "unavailable")
    words = {
        "assignedInSync": QCoreApplication.translate("ProfileRow", "assigned"),
        "assignedOutOfSync": QCoreApplication.translate("ProfileRow", "assigned, not synced"),
        "assignedUnkownSyncState": QCoreApplication.translate("ProfileRow", "assigned"),
        "notAssigned": QCoreApplication.translate("ProfileRow", "not assigned"),
        "pending": QCoreApplication.translate("ProfileRow", "pending"),
        "failed": QCoreApplication.translate("ProfileRow", "assignment failed"),
    }
    return words.get(state.status, QCoreApplication.translate("ProfileRow", "status unknown"))


def hash_words(state: ProfileState) -> str:
    """``ProfileState.hash_words`` in the operator's language ("" when the hash is fine)."""
    if state.remediation == "automaticRemediationRequired":
        return QCoreApplication.translate("ProfileRow", "hash needs remediation (automatic)")
    if state.remediation == "manualRemediationRequired":
        return QCoreApplication.translate("ProfileRow", "hash needs remediation (manual)")
    return ""


def profile_html(state: ProfileState) -> str:
    """The row as rich text: "<b>Kiosk</b> — assigned"; failures and hash trouble in red."""
    words = html.escape(profile_words(state))
    name = state.name if state.available else ""
    text = f"<b>{html.escape(name)}</b> — {words}" if name else words
    if state.status == "failed" and state.available:
        text = f'<span style="color:{ATTENTION}">{text}</span>'
    trouble = hash_words(state) if state.available else ""
    if trouble:
        text += f' · <span style="color:{ATTENTION}">{html.escape(trouble)}</span>'
    return text


def checking_text() -> str:
    return QCoreApplication.translate("ProfileRow", "checking…")


class ProfileWatch(QObject):
    """Follows one device's profile at a time on ``tasks``; emits ``state_read(ProfileState)``
    for every reading (on the GUI thread, by Qt's queued connection).

    ``plan``, ``clock`` and ``pause`` are injectable (tests move a fake clock instead of
    waiting): ``pause(stop, seconds)`` waits and returns True when the follow must end."""

    state_read = Signal(object)

    def __init__(
        self, read: Callable[[str], ProfileState], tasks: Any, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.read = read
        self.tasks = tasks
        self.plan = FollowPlan()
        self.clock: Callable[[], float] = time.monotonic
        self.pause: Callable[[threading.Event, float], bool] = lambda stop, s: stop.wait(s)
        self._stop: threading.Event | None = None

    def follow(self, device_id: str, *, after_change: bool = False) -> None:
        """Read ``device_id``'s profile now and while it is worth it; ends any earlier follow."""
        self.stop()
        stop = self._stop = threading.Event()

        def wait(seconds: float) -> bool:
            return stop.is_set() or self.pause(stop, seconds) or stop.is_set()

        self.tasks.submit(
            follow_profile,
            self.read,
            device_id,
            self.state_read.emit,
            wait=wait,
            clock=self.clock,
            plan=self.plan,
            after_change=after_change,
        )

    def stop(self) -> None:
        """End the current follow at its next pause (a reading in flight still reports)."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None
