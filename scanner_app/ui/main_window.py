"""The main window: live camera, scan input, device card, the change to apply, and status.

Point, beep, the card appears, Enter, green tick, next device. Every Graph call runs on the
TaskRunner's pool; slots here only update widgets.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QSplitter,
    QWidget,
)

from scanner_app import APP_NAME
from scanner_app.core import payload
from scanner_app.core.intake import ScanIntake
from scanner_app.core.models import AutopilotDevice, DeviceChange, Resolution, ScanTarget, Symbol
from scanner_app.core.services import Services
from scanner_app.core.session import DeviceNameError, RowState
from scanner_app.core.workflow import ApplyOutcome
from scanner_app.ui.account import explain_graph_error
from scanner_app.ui.account_menu import install_account
from scanner_app.ui.device_panel import DevicePanel
from scanner_app.ui.feedback import Feedback
from scanner_app.ui.menus import build_tools_menu
from scanner_app.ui.outbox_runner import OutboxRunner, apply_outbox_status
from scanner_app.ui.photo_drop import PhotoDrop
from scanner_app.ui.profile_row import ProfileWatch
from scanner_app.ui.queue_panel import QueuePanel
from scanner_app.ui.scan_pane import ScanPane
from scanner_app.ui.status_bar import StatusBar
from scanner_app.ui.wedge import WedgeScannerFilter
from scanner_app.ui.workers import TaskRunner

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Signals: ``state_changed(str)`` — idle, looking-up, found, several, not-found, rejected,
    applying, verified, accepted, failed; ``device_shown(object)`` with the AutopilotDevice on
    the card; ``apply_finished(object)`` with the ApplyOutcome."""

    state_changed = Signal(str)
    device_shown = Signal(object)
    apply_finished = Signal(object)

    def __init__(self, services: Services, camera: Any = None, view: QWidget | None = None):
        super().__init__()
        self.services = services
        self.settings = services.settings
        self.camera = camera
        self.tasks = TaskRunner(self)
        self.state = "idle"
        self.target: ScanTarget | None = None
        self.device: AutopilotDevice | None = None
        self._in_view: list[str] = []
        self._camera_state = "starting"
        self.intake = ScanIntake(payload.PayloadRules.from_strings(self.settings.payload_rules))
        title = APP_NAME + (" — demo tenant" if self.settings.demo else "")
        self.setWindowTitle(title)
        self.resize(1280, 760)

        # Left: the live view and the serial field under it.
        self.scan_pane = ScanPane(view)
        self.scan_pane.text_entered.connect(self.scan_text)
        self.scan_pane.empty_enter.connect(self._enter_on_empty)
        self.view, self.scan_input = self.scan_pane.view, self.scan_pane.scan_input

        # Right: banner, card, several-matches list, the change and the buttons.
        self.panel = DevicePanel(self.settings, self._search_users)
        self.panel.matches.device_picked.connect(self._match_picked)
        self.panel.change.apply_requested.connect(self.apply)
        self.panel.change.skip_requested.connect(self.skip)
        self.panel.change.plan_changed.connect(self._plan_changed)
        # The parts an operator (and the self-test) reaches for, by name.
        self.banner, self.card, self.matches = (
            self.panel.banner,
            self.panel.card,
            self.panel.matches,
        )
        self.change = self.panel.change
        self.group_tag = self.change.group_tag
        self.user_picker = self.change.user_picker
        self.apply_button = self.change.apply_button
        # The Profile row: a beta read in the background once the card is up (see profile_row).
        self.profile_watch = ProfileWatch(services.autopilot.profile, self.tasks, self)
        self.profile_watch.state_read.connect(self.card.show_profile)

        splitter = QSplitter()
        splitter.addWidget(self.scan_pane)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)
        self.status = StatusBar(services)
        self.setStatusBar(self.status)
        self.outbox_runner = OutboxRunner(services.outbox, self)
        self.outbox_runner.status_changed.connect(lambda st: apply_outbox_status(self.status, st))
        self.outbox_runner.start()
        self._build_helpers()
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.skip)
        self._set_banner("info", self._ready_text())
        self._announce_missing_engines()
        self._connect_camera()
        self.tasks.submit(
            self.services.workflow.group_tags,
            self.settings.group_tags,
            on_result=self._group_tags_loaded,
            on_error=lambda exc: log.warning("group tags not loaded: %s", exc),
        )
        self.scan_input.setFocus()

    def _build_helpers(self) -> None:
        """Feedback, the wedge scanner filter, photo drop and the bench-session table."""
        self.feedback = Feedback(self, sounds=self.settings.sounds)
        self.feedback.attach(self.banner)
        self.state_changed.connect(self._feedback_for)
        self.wedge = WedgeScannerFilter(self)
        self.wedge.install()
        self.wedge.scanned.connect(self.scan_text)
        self.photos = PhotoDrop(self)
        self.photos.symbols_found.connect(self._photo_symbols)
        self.photos.failed.connect(lambda message: self._set_banner("error", message))
        self.queue = QueuePanel()
        self.queue.session.name_template = self.settings.name_template
        self.row_id: int | None = None
        self._device_name: str | None = None
        dock = QDockWidget(self.tr("Bench session"), self)
        dock.setObjectName("benchDock")
        dock.setWidget(self.queue)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.bench_dock = dock
        self.resizeDocks([dock], [170], Qt.Orientation.Vertical)  # the camera keeps the room
        build_tools_menu(self)
        app = QApplication.instance()
        self_test = app is not None and bool(app.property("self_test"))
        self.account = install_account(self, self.services, ask_at_start=not self_test)
        self.account.error.connect(lambda text: self._set_banner("error", text))
        self.account.warning.connect(lambda text: self._set_banner("busy", text))

    def _feedback_for(self, state: str) -> None:
        if state == "looking-up":
            self.feedback.read()
        elif state == "verified":
            self.feedback.success()
        elif state in {"not-found", "rejected", "failed", "several"}:
            self.feedback.error()

    def _photo_symbols(self, symbols: list[Symbol]) -> None:
        if symbols:
            self.on_symbols(symbols)
        else:
            self._set_state("rejected")
            self._set_banner("error", self.tr("No code found in the photo."))

    def scan_text(self, text: str) -> None:
        """Text from the scan field or a keyboard-wedge scanner: parse and look it up."""
        target = self.intake.parse(text.strip())
        if target.usable:
            self.look_up(target)
        elif target.progress is None:
            self._show_rejected(target)

    def _announce_missing_engines(self) -> None:
        """Say once, plainly, when a decoder engine cannot run here (the zbar library)."""
        from scanner_app.core.engines import available_engines

        reasons = [r for r in available_engines().values() if r]
        if reasons:
            self.status.showMessage(" ".join(reasons), 30_000)

    # ---- camera ----------------------------------------------------------------------------
    def _connect_camera(self) -> None:
        if self.camera is None:
            self.status.set_camera("off", self.tr("No camera"))
            self.card.set_camera_available(False)
            return
        self.camera.symbols_confirmed.connect(self.on_symbols)
        self.camera.frame_ready.connect(self.symbols_in_view)
        self.camera.status_changed.connect(self.status.set_camera)
        self.camera.status_changed.connect(self._camera_status)

    def _camera_status(self, state: str, _message: str) -> None:
        self._camera_state = state
        self.card.set_camera_available(self._camera_works())
        if self.state == "idle":  # the waiting line must not ask for a camera that is not there
            self._set_banner("info", self._ready_text())

    def _camera_works(self) -> bool:
        return self.camera is not None and self._camera_state not in {"failed", "stopped", "ended"}

    def _ready_text(self) -> str:
        if not self._camera_works():
            return self.tr(
                "Ready: type the serial number below, or scan it with a barcode scanner."
            )
        return self.tr("Ready: hold a device label up to the camera.")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.WindowStateChange and self.camera is not None:
            self.camera.set_paused(self.isMinimized())
        super().changeEvent(event)

    def symbols_in_view(self, _image: object, symbols: list[Symbol]) -> None:
        self._in_view = [s.text for s in symbols]

    def on_symbols(self, symbols: list[Symbol]) -> None:
        """Confirmed reads from the camera (or a photo): one target, or why not."""
        intake = self.intake.confirmed([s.text for s in symbols], self._in_view)
        if intake.kind == "target" and intake.target is not None:
            self.look_up(intake.target)
        elif intake.kind == "rejected" and intake.target is not None:
            self._show_rejected(intake.target)
        elif intake.kind == "progress" and intake.target and intake.target.progress:
            seen, total = intake.target.progress
            self._set_banner(
                "busy",
                self.tr("Autopilot code: block %1 of %2 read…")
                .replace("%1", str(seen))
                .replace("%2", str(total)),
            )
        elif intake.kind == "ambiguous" and self.state != "applying":
            self._two_labels(", ".join(t.describe() for t in intake.candidates))

    def _two_labels(self, names: str) -> None:
        # Neither device stays armed for Enter: the operator shows one label again.
        self.device = None
        self.target = None
        self.panel.show_two_labels(names)
        self._set_state("rejected")

    # ---- look-up ---------------------------------------------------------------------------
    def _enter_on_empty(self) -> None:
        if self.apply_button.isEnabled():
            self.apply()

    def look_up(self, target: ScanTarget) -> None:
        if target == self.target and self.state in {"looking-up", "found", "several"}:
            return  # the same label read again (its QR and its barcode): already on it
        if self.state == "applying":
            self._set_banner("busy", self.tr("Still applying the last change; scan again then."))
            return
        self.target = target
        self.row_id = self.queue.add_scan(target).id
        self._set_state("looking-up")
        self.apply_button.setEnabled(False)
        self.matches.hide()
        self._set_banner("busy", self.tr("Looking up %1…").replace("%1", target.describe()))
        self.tasks.submit(
            self.services.workflow.resolve,
            target,
            on_result=self._resolved,
            on_error=lambda exc: self._failed(self.tr("Look-up failed"), exc),
        )

    def _resolved(self, resolution: Resolution) -> None:
        if self.row_id is not None:
            self.queue.record_resolution(self.row_id, resolution)
        kind = resolution.kind
        target = resolution.target
        if kind == "found":
            self._show_device(resolution.devices[0])
            if getattr(resolution, "stale", False):
                seen = time.strftime("%d %b %H:%M", time.localtime(resolution.seen_at))  # type: ignore[attr-defined]
                text = self.tr(
                    "Offline: shown from a copy seen %1, possibly out of date. A change "
                    "is queued and checked against Intune before it is sent."
                )
                if getattr(resolution, "slow", False):  # Graph missed the look-up's deadline
                    text = self.tr(
                        "Graph is slow: no answer in time, so this is a copy seen %1, possibly "
                        "out of date. A change is queued and checked against Intune before it "
                        "is sent."
                    )
                self._set_banner("busy", text.replace("%1", seen))
        elif kind == "several":
            self._set_state("several")
            self.panel.show_several(target, list(resolution.devices))
        elif kind == "not_found":
            self._set_state("not-found")
            self.panel.show_not_found(target)
        else:
            self._set_state("failed")
            self._set_banner("error", resolution.error or self.tr("Look-up failed."))

    def _match_picked(self, device: AutopilotDevice) -> None:
        self.matches.hide()
        if self.row_id is not None:
            self.queue.update_row(self.row_id, RowState.FOUND, device=device)
        self._show_device(device)

    def _show_device(self, device: AutopilotDevice) -> None:
        self.device = device
        self._device_name = None
        if self.settings.name_template:
            try:
                self._device_name = self.queue.session.planned_change(device).display_name
            except DeviceNameError as exc:
                self._set_banner("error", str(exc))
        self.card.show_device(device, self.planned_change())
        self.profile_watch.follow(device.id)
        self.apply_button.setEnabled(True)
        self._set_state("found")
        self._set_banner("info", self.tr("Found. Check the change, then press Enter to apply."))
        self.scan_input.setFocus()
        self.device_shown.emit(device)

    def _show_rejected(self, target: ScanTarget) -> None:
        self.queue.add_scan(target)
        self._set_state("rejected")
        self._set_banner("error", target.reason or self.tr("This code cannot be used."))

    # ---- the change -------------------------------------------------------------------------
    def planned_change(self) -> DeviceChange:
        return self.change.planned_change(self._device_name)

    def _plan_changed(self, *_: object) -> None:
        session = self.queue.session
        session.group_tag = self.group_tag.currentText().strip()
        chosen = self.user_picker.chosen
        session.user_principal_name = self.user_picker.wanted_upn() or ""
        session.user_display_name = chosen.display_name if chosen else ""
        if self.device is not None and self.state in {"found", "verified", "accepted", "failed"}:
            self.card.show_device(self.device, self.planned_change())

    def _search_users(self, text: str, deliver: Any) -> None:
        self.tasks.submit(
            self.services.workflow.search_users,
            text,
            on_result=deliver,
            on_error=lambda exc: self.status.set_graph("error", explain_graph_error(exc)),
        )

    def apply(self) -> None:
        if self.device is None or not self.apply_button.isEnabled():
            return
        wanted = self.planned_change()
        if wanted.against(self.device).is_empty():
            self._set_banner("info", self.tr("Nothing to change: pick a group tag or a user."))
            return
        self.apply_button.setEnabled(False)
        if self.row_id is not None:
            self.queue.update_row(self.row_id, RowState.APPLYING)
        self._set_state("applying")
        self._set_banner("busy", self.tr("Applying and verifying…"))
        self.tasks.submit(
            self.services.workflow.apply,
            self.device,
            wanted,
            on_result=self._applied,
            on_error=lambda exc: self._failed(self.tr("Apply failed"), exc),
        )

    def _applied(self, outcome: ApplyOutcome) -> None:
        if self.row_id is not None:
            self.queue.record_outcome(self.row_id, outcome)
        self.device = outcome.device
        self.card.show_device(outcome.device)
        if outcome.verified:
            self._set_state("verified")
            self._set_banner("ok", "✔ " + outcome.message)
            if outcome.state == "verified" and outcome.change.group_tag is not None:
                # A new tag: watch Intune assign the profile it leads to.
                self.profile_watch.follow(outcome.device.id, after_change=True)
        elif outcome.state == "accepted":
            self._set_state("accepted")
            self._set_banner("busy", outcome.message)
        else:
            self._set_state("failed")
            self._set_banner("error", outcome.message)
            self.apply_button.setEnabled(True)
        # The journal is read on a worker: a write's fsync on another thread must not stall
        # the window while it waits for SQLite's lock.
        self.tasks.submit(
            self.services.outbox.status,
            on_result=lambda status: apply_outbox_status(self.status, status),
        )
        self.apply_finished.emit(outcome)
        # No rearm here: a label still in view must not fire again and replace the green
        # tick; the tracker re-arms by itself once the label has left the view.

    def skip(self) -> None:
        if self.state == "applying":
            return
        self.device = None
        self.profile_watch.stop()
        self.panel.clear()
        self._set_state("idle")
        self._set_banner("info", self._ready_text())
        self.target = None
        self.scan_input.setFocus()

    # ---- helpers ----------------------------------------------------------------------------
    def _group_tags_loaded(self, tags: list[str]) -> None:
        self.change.set_group_tags(tags)

    def _failed(self, what: str, exc: BaseException) -> None:
        reason = explain_graph_error(exc, self.account.account)
        log.warning("%s: %s", what, reason)
        if self.row_id is not None:
            self.queue.update_row(self.row_id, RowState.FAILED, reason=reason)
        self._set_state("failed")
        self._set_banner("error", f"{what}: {reason}")
        self.apply_button.setEnabled(self.device is not None)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    def show_info(self, text: str) -> None:
        self._set_banner("info", text)

    def _set_banner(self, kind: str, text: str) -> None:
        self.panel.set_banner(kind, text)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.camera is not None:
            self.camera.stop()
        self.wedge.uninstall()
        self.photos.shutdown()
        self.account.cancel()
        self.account.tasks.shutdown()
        self.outbox_runner.stop()
        self.profile_watch.stop()
        self.tasks.shutdown()
        super().closeEvent(event)
