"""The main window: live camera, scan input, device card, the change to apply, and status.

Point, beep, the card appears, Enter, green tick, next device. What the bench does next is the
Qt-free ``BenchFlow``'s decision (``scanner_app.core.bench``): the window forwards what happens
(a code read, a key pressed, a look-up answered) as one of the flow's actions and renders the
``Snapshot`` each action returns. It keeps no state of the flow of its own; ``state``,
``device`` and ``target`` read the flow's snapshot. Every Graph call runs on the TaskRunner's
pool; slots here only update widgets.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QSplitter, QWidget

from scanner_app import APP_NAME
from scanner_app.core import payload
from scanner_app.core.bench import (
    ARMED,
    ApplyDecision,
    BenchFlow,
    BenchState,
    Message,
    Snapshot,
    Source,
)
from scanner_app.core.bench.messages import fill
from scanner_app.core.bench.session import RowState, make_device_name
from scanner_app.core.intake import ScanIntake
from scanner_app.core.models import AutopilotDevice, Resolution, ScanTarget, Symbol, User
from scanner_app.core.services import Services
from scanner_app.core.workflow import ApplyOutcome
from scanner_app.ui.account.account import explain_graph_error
from scanner_app.ui.account.account_menu import install_account
from scanner_app.ui.camera.photo_drop import PhotoDrop
from scanner_app.ui.device_panel import DevicePanel
from scanner_app.ui.feedback import Feedback
from scanner_app.ui.menus import build_tools_menu
from scanner_app.ui.outbox_runner import OutboxRunner, apply_outbox_status
from scanner_app.ui.profile_row import ProfileWatch
from scanner_app.ui.queue_panel import QueuePanel
from scanner_app.ui.scan_pane import ScanPane
from scanner_app.ui.status_bar import StatusBar
from scanner_app.ui.time_text import epoch_time
from scanner_app.ui.wedge import WedgeScannerFilter
from scanner_app.ui.workers import TaskRunner

log = logging.getLogger(__name__)

S = BenchState
NOTICE_MS = 15_000  # how long a notice stays in the status bar


class MainWindow(QMainWindow):
    """Signals: ``state_changed(str)`` with the ``BenchState`` value each time the flow's state
    changes (idle, reading, looking-up, found, offline, several, not-found, lookup-failed,
    rejected, two-labels, applying, verified, accepted, queued, conflict, failed);
    ``device_shown(object)`` with the AutopilotDevice when a card for a new device appears;
    ``apply_finished(object)`` with the ApplyOutcome.

    ``clock`` is the flow's clock and the keyboard-wedge filter's (seconds, monotonic); tests
    pass a fake one and move it instead of waiting."""

    state_changed = Signal(str)
    device_shown = Signal(object)
    apply_finished = Signal(object)

    def __init__(
        self,
        services: Services,
        camera: Any = None,
        view: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.services = services
        self.settings = services.settings
        self.camera = camera
        self.clock = clock
        self.tasks = TaskRunner(self)
        self._in_view: list[str] = []  # the codes the camera sees now (for "two labels")
        self._camera_state = "starting"
        self._rows: dict[int, int] = {}  # look-up ticket → its row in the session table
        self._shown: Snapshot | None = None  # the snapshot on screen (to render differences)
        self.intake = ScanIntake(payload.PayloadRules.from_strings(self.settings.payload_rules))
        title = APP_NAME + (" — demo tenant" if self.settings.demo else "")
        self.setWindowTitle(title)
        self.resize(1280, 760)
        self._messages = self._message_texts()

        # Left: the live view and the serial field under it.
        self.scan_pane = ScanPane(view)
        self.scan_pane.text_entered.connect(lambda text: self.scan_text(text, Source.TYPED))
        self.scan_pane.empty_enter.connect(self.press_apply)
        self.scan_pane.step.connect(self._step_matches)
        self.view, self.scan_input = self.scan_pane.view, self.scan_pane.scan_input

        # Right: banner, card, several-matches list, the change and the buttons.
        self.panel = DevicePanel(self.settings, self.search_users)
        # The parts an operator (and the tests) reach for, by name.
        self.banner, self.card, self.matches = (
            self.panel.banner,
            self.panel.card,
            self.panel.matches,
        )
        self.change = self.panel.change
        self.group_tag = self.change.group_tag
        self.user_picker = self.change.user_picker
        self.apply_button = self.change.apply_button
        self.matches.currentRowChanged.connect(self.highlight)
        self.matches.itemActivated.connect(lambda item: self.pick(self.matches.row(item)))
        self.change.apply_requested.connect(self.press_apply)
        self.change.skip_requested.connect(self.skip)
        self.group_tag.currentTextChanged.connect(
            lambda _text: self.set_group_tag(self.change.chosen_group_tag())
        )
        self.user_picker.textEdited.connect(self.set_user_text)
        self.user_picker.user_chosen.connect(self._user_chosen)
        # The Profile row: a beta read in the background once the card is up (see profile_row).
        self.profile_watch = ProfileWatch(services.autopilot.profile, self.tasks, self)
        self.profile_watch.state_read.connect(self.card.show_profile)

        splitter = QSplitter()
        splitter.addWidget(self.scan_pane)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)
        self.status = StatusBar(services, self.tasks)
        self.setStatusBar(self.status)
        self.outbox_runner = OutboxRunner(services.outbox, self)
        self.outbox_runner.status_changed.connect(lambda st: apply_outbox_status(self.status, st))
        self.outbox_runner.start()
        self.flow = BenchFlow(
            clock,
            card_settle_s=self.settings.card_settle_s,
            camera_available=self._camera_works(),
            device_name=self._device_name,
            format_time=epoch_time,
        )
        problem = getattr(services.journal, "problem", None)
        if problem is not None:  # changes cannot be recorded: every card says so, no Apply
            self.flow.set_journal_problem(str(problem))
        self._build_helpers()
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.skip)
        self._announce_missing_engines()
        self._connect_camera()
        self.show_snapshot(self.flow.snapshot)
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
        self.wedge = WedgeScannerFilter(self, clock=self.clock)
        self.wedge.install()
        self.wedge.scanned.connect(lambda text: self.scan_text(text, Source.WEDGE))
        self.photos = PhotoDrop(self)
        self.photos.symbols_found.connect(self._photo_symbols)
        self.photos.failed.connect(
            lambda message: self._scan(ScanTarget("rejected", reason=message), Source.PHOTO)
        )
        self.queue = QueuePanel()
        self.queue.session.name_template = self.settings.name_template
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
        # Sign-in trouble goes to the status bar: the banner belongs to the card (R4).
        self.account.error.connect(lambda text: self.status.showMessage(text, NOTICE_MS))
        self.account.warning.connect(lambda text: self.status.showMessage(text, NOTICE_MS))

    # ---- what the screen shows (read from the flow) -----------------------------------------
    @property
    def state(self) -> BenchState:
        return self.flow.snapshot.state

    @property
    def device(self) -> AutopilotDevice | None:
        """The device on the card (None when the card shows a message or nothing)."""
        return self.flow.snapshot.card_device

    @property
    def target(self) -> ScanTarget | None:
        return self.flow.snapshot.target

    # ---- codes -------------------------------------------------------------------------------
    def scan_text(self, text: str, source: Source = Source.TYPED) -> None:
        """Text from the scan field or a keyboard-wedge scanner: parse it and hand it on."""
        self._scan(self.intake.parse(text.strip()), source)

    def symbols_in_view(self, _image: object, symbols: list[Symbol]) -> None:
        self._in_view = [s.text for s in symbols]

    def on_symbols(self, symbols: list[Symbol], source: Source = Source.CAMERA) -> None:
        """Confirmed reads from the camera (or a photo): one target, or why not."""
        in_view = self._in_view if source is Source.CAMERA else []
        intake = self.intake.confirmed([s.text for s in symbols], in_view)
        if intake.kind == "ambiguous":
            self.show_snapshot(self.flow.two_labels(intake.candidates, source))
        elif intake.target is not None:  # a target, a refused code or a block of a sequence
            self._scan(intake.target, source)

    def _photo_symbols(self, symbols: list[Symbol]) -> None:
        if symbols:
            self.on_symbols(symbols, Source.PHOTO)
        else:
            reason = self.tr("No code found in the photo.")
            self._scan(ScanTarget("rejected", reason=reason), Source.PHOTO)

    def _scan(self, target: ScanTarget, source: Source) -> None:
        snap = self.flow.scan(target, source)
        if not target.usable and target.progress is None:
            # A refused code gets its row (and its reason) whether it took the screen or, with
            # a card waiting, only the status bar.
            self.queue.add_scan(target)
        self.show_snapshot(snap)

    # ---- look-up -----------------------------------------------------------------------------
    def _look_up(self, ticket: int, target: ScanTarget) -> None:
        self._rows[ticket] = self.queue.add_scan(target).id
        self.tasks.submit(
            self.services.workflow.resolve,
            target,
            on_result=lambda resolution: self._resolved(ticket, resolution),
            on_error=lambda exc: self._lookup_error(ticket, exc),
        )

    def _resolved(self, ticket: int, resolution: Resolution) -> None:
        row = self._rows.get(ticket)
        if row is not None:
            self.queue.record_resolution(row, resolution)
        self.show_snapshot(self.flow.lookup_result(ticket, resolution))

    def _lookup_error(self, ticket: int, exc: BaseException) -> None:
        reason = explain_graph_error(exc, self.account.account)
        log.warning("look-up failed: %s", reason)
        row = self._rows.get(ticket)
        if row is not None:
            self.queue.update_row(row, RowState.FAILED, reason=reason)
        self.show_snapshot(self.flow.lookup_failed(ticket, reason))

    # ---- several matches ---------------------------------------------------------------------
    def highlight(self, index: int) -> None:
        self.show_snapshot(self.flow.highlight(index))

    def pick(self, index: int) -> None:
        snap = self.flow.pick(index)
        row = self._row_of(snap)
        if snap.chosen == index and row is not None:
            self.queue.update_row(row, RowState.FOUND, device=snap.matches[index])
        self.show_snapshot(snap)

    def _step_matches(self, delta: int) -> None:
        """Up / Down in the serial field while several devices match: into the list."""
        if not self.matches.isVisible() or self.matches.count() == 0:
            return
        row = min(max(self.matches.currentRow() + delta, 0), self.matches.count() - 1)
        self.matches.setFocus()
        self.matches.setCurrentRow(row)

    # ---- the change --------------------------------------------------------------------------
    def set_group_tag(self, text: str) -> None:
        self.show_snapshot(self.flow.set_group_tag(text))

    def set_user_text(self, text: str) -> None:
        self.show_snapshot(self.flow.set_user_text(text))

    def pick_user(self, user: User | None) -> None:
        self.show_snapshot(self.flow.pick_user(user))

    def _user_chosen(self, user: User | None) -> None:
        # A pick from the list. The picker's "chosen: None" on an edit is not a clearing: the
        # edit itself arrives as set_user_text (textEdited), the field still holding its text.
        if user is not None:
            self.pick_user(user)

    def search_users(self, query: str, deliver: Callable[[list[User]], None]) -> None:
        """The type-ahead's directory search; its answer also resolves a typed UPN (R3)."""

        def answered(users: list[User]) -> None:
            deliver(users)
            self.show_snapshot(self.flow.user_resolved(query, users))

        self.tasks.submit(
            self.services.workflow.search_users,
            query,
            on_result=answered,
            on_error=lambda exc: self.status.set_graph("error", explain_graph_error(exc)),
        )

    def _device_name(self, device: AutopilotDevice) -> str | None:
        template = self.queue.session.name_template
        return make_device_name(template, device.serial_number) if template else None

    # ---- apply -------------------------------------------------------------------------------
    def press_apply(self) -> ApplyDecision:
        """Enter or the Apply button: the flow sends the change, or says why not."""
        decision = self.flow.press_apply()
        send = decision.send
        if send is not None:
            row = self._row_of(decision.snapshot)
            self._keep_sticky(decision.snapshot)
            if row is not None:
                self.queue.update_row(row, RowState.APPLYING)
            # Exactly the device and the change the flow decided on, whatever is on screen
            # when the answer comes.
            self.tasks.submit(
                self.services.workflow.apply,
                send.device,
                send.change,
                on_result=lambda o: self._applied(send.ticket, row, o),
                on_error=lambda exc: self._apply_error(send.ticket, row, exc),
            )
        self.show_snapshot(decision.snapshot)
        return decision

    def _applied(self, ticket: int, row: int | None, outcome: ApplyOutcome) -> None:
        if row is not None:
            self.queue.record_outcome(row, outcome)
        snap = self.flow.apply_result(ticket, outcome)
        self.show_snapshot(snap)
        on_card = snap.card_device is not None and snap.card_device.id == outcome.device.id
        if on_card and snap.state is S.VERIFIED and outcome.change.group_tag is not None:
            # A new tag: watch Intune assign the profile it leads to.
            self.profile_watch.follow(outcome.device.id, after_change=True)
        # The journal is read on a worker: a write's fsync on another thread must not stall
        # the window while it waits for SQLite's lock.
        self.tasks.submit(
            self.services.outbox.status,
            on_result=lambda status: apply_outbox_status(self.status, status),
        )
        self.apply_finished.emit(outcome)
        # No rearm here: a label still in view must not fire again and replace the green
        # tick; the tracker re-arms by itself once the label has left the view.

    def _apply_error(self, ticket: int, row: int | None, exc: BaseException) -> None:
        reason = explain_graph_error(exc, self.account.account)
        log.warning("apply failed: %s", reason)
        if row is not None:
            self.queue.update_row(row, RowState.FAILED, reason=reason)
        self.show_snapshot(self.flow.apply_failed(ticket, reason))

    def skip(self) -> None:
        """Esc / Skip: back to waiting for a label; the row of the label left is "skipped"."""
        row = self._row_of(self.flow.snapshot)
        snap = self.flow.skip()
        if snap.state is S.IDLE:
            self.queue.skip_row(row)
            self.scan_input.setFocus()
        self.show_snapshot(snap)

    def _keep_sticky(self, snap: Snapshot) -> None:
        """The session's sticky choices (recorded on the row of each change) follow the plan."""
        session, plan = self.queue.session, snap.plan
        session.group_tag = plan.group_tag
        session.user_principal_name = plan.user.user_principal_name if plan.user else ""
        session.user_display_name = plan.user.display_name if plan.user else ""

    def _row_of(self, snap: Snapshot) -> int | None:
        return self._rows.get(snap.label_ticket) if snap.label_ticket is not None else None

    # ---- camera ----------------------------------------------------------------------------
    def _announce_missing_engines(self) -> None:
        """Say once, plainly, when a decoder engine cannot run here (the zbar library)."""
        from scanner_app.core.vision.engines import available_engines

        reasons = [r for r in available_engines().values() if r]
        if reasons:
            self.status.set_missing_engines(reasons)

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
        works = self._camera_works()
        self.card.set_camera_available(works)
        # The waiting line must not ask for a camera that is not there.
        self.show_snapshot(self.flow.set_camera_available(works))

    def _camera_works(self) -> bool:
        return self.camera is not None and self._camera_state not in {"failed", "stopped", "ended"}

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.WindowStateChange and self.camera is not None:
            self.camera.set_paused(self.isMinimized())
        super().changeEvent(event)

    # ---- rendering ---------------------------------------------------------------------------
    def show_snapshot(self, snap: Snapshot) -> None:
        """Show ``snap``: banner, card, match list, the planned change, Apply, and this step's
        notice, sound and look-up. Widgets are set with their signals blocked, so rendering
        never feeds an action back into the flow."""
        before, self._shown = self._shown, snap
        self.panel.set_banner(snap.banner.kind, self.message_text(snap.banner))
        self._render_card(snap, before)
        self._render_matches(snap, before)
        self._render_plan(snap)
        self.apply_button.setEnabled(snap.apply_enabled)
        reason = snap.apply_disabled_reason
        hint = not snap.apply_enabled and snap.state in ARMED and reason not in (None, snap.banner)
        self.panel.set_apply_hint(self.message_text(reason) if hint and reason else "")
        if snap.notice is not None:
            self.status.showMessage(self.message_text(snap.notice.message), NOTICE_MS)
        if snap.sound is not None:
            self.feedback.give(snap.sound)
        self._render_focus(snap, before)
        if before is None or before.state is not snap.state:
            self.state_changed.emit(snap.state.value)
        device, earlier = snap.card_device, before.card_device if before else None
        if device is not None and (earlier is None or earlier.id != device.id):
            self.profile_watch.follow(device.id)
            self.device_shown.emit(device)
        elif device is None and earlier is not None:
            self.profile_watch.stop()
        if snap.lookup is not None:
            self._look_up(snap.lookup.ticket, snap.lookup.target)

    def _render_card(self, snap: Snapshot, before: Snapshot | None) -> None:
        face = (snap.state, snap.card_device, snap.change, snap.target, snap.candidates)
        if before is not None and face == (
            before.state, before.card_device, before.change, before.target, before.candidates
        ):  # fmt: skip
            return
        label = snap.target.value if snap.target is not None else ""
        if snap.card_device is not None:
            self.card.show_device(snap.card_device, snap.change)
        elif snap.state is S.NOT_FOUND:
            self.card.show_message(label, self.tr("Not registered in Windows Autopilot."))
        elif snap.state is S.LOOKUP_FAILED:
            self.card.show_message(label, self.tr("Not looked up: scan the label again."))
        elif snap.state is S.REFUSED:
            self.card.show_message(
                self.tr("Code not used"),
                self.tr("Show the label again, or type the serial number below."),
            )
        elif snap.state is S.TWO_LABELS:
            names = ", ".join(t.describe() for t in snap.candidates)
            self.card.show_message(self.tr("Two labels"), names)
        else:
            self.card.clear()

    def _render_matches(self, snap: Snapshot, before: Snapshot | None) -> None:
        several = snap.state is S.SEVERAL
        self.matches.blockSignals(True)
        try:
            if several and (before is None or before.matches != snap.matches):
                self.matches.set_devices(list(snap.matches))
            if several and snap.highlighted is not None:
                if self.matches.currentRow() != snap.highlighted:
                    self.matches.setCurrentRow(snap.highlighted)
        finally:
            self.matches.blockSignals(False)
        if self.matches.isVisibleTo(self.panel) != several:
            self.matches.setVisible(several)

    def _render_plan(self, snap: Snapshot) -> None:
        plan = snap.plan
        combo = self.group_tag
        if self.change.chosen_group_tag() != plan.group_tag:
            combo.blockSignals(True)
            try:
                if plan.group_tag:
                    combo.setCurrentText(plan.group_tag)
                elif combo.isEditable():
                    combo.setEditText("")
                else:
                    combo.setCurrentIndex(0)
            finally:
                combo.blockSignals(False)
        picker, user = self.user_picker, plan.user
        picker.chosen = user
        wanted = plan.user_text  # as typed; a resolved user reads as typed or as its label
        if user is not None:
            kept = picker.text() in (picker.label(user), plan.user_text)
            wanted = picker.text() if kept else picker.label(user)
        if picker.text() != wanted:
            picker.blockSignals(True)
            try:
                picker.setText(wanted)
            finally:
                picker.blockSignals(False)

    def _render_focus(self, snap: Snapshot, before: Snapshot | None) -> None:
        """A new card, or a match picked: Enter in the serial field is then the next key."""
        new_card = snap.state in ARMED and (before is None or before.state not in ARMED)
        picked = snap.chosen is not None and (before is None or before.chosen is None)
        if new_card or picked:
            self.scan_input.setFocus()

    def message_text(self, message: Message) -> str:
        """A flow message in the UI's language, its arguments filled in."""
        return fill(self._messages[message.key], message.args)

    def _message_texts(self) -> dict[str, str]:
        """Every key of ``core.bench.MESSAGES``, each a literal for lupdate."""
        return {
            "ready": self.tr("Ready: hold a device label up to the camera."),
            "ready-no-camera": self.tr(
                "Ready: type the serial number below, or scan it with a barcode scanner."
            ),
            "reading": self.tr("Autopilot code: block %1 of %2 read…"),
            "looking-up": self.tr("Looking up %1…"),
            "found": self.tr("Found %1. Check the change, then press Enter to apply."),
            "found-as": self.tr("Found %1 (%2). Check the change, then press Enter to apply."),
            "offline": self.tr(
                "Offline: %1 shown from a copy seen %2, possibly out of date. A change is queued "
                "and checked against Intune before it is sent."
            ),
            "slow": self.tr(
                "Graph is slow: no answer in time, so %1 is shown from a copy seen %2, possibly "
                "out of date. A change is queued and checked against Intune before it is sent."
            ),
            "several": self.tr(
                "%1 devices match %2: pick one (arrows, Enter). Nothing is applied until you do."
            ),
            "picked": self.tr("Picked %1 (%2 of %3). Check the change, then press Enter to apply."),
            "not-found": self.tr("No Autopilot device found for %1."),
            "lookup-failed": self.tr("Look-up of %1 failed: %2"),
            "refused": self.tr("%1"),
            "two-labels": self.tr("Two codes in view (%1). Show one label at a time."),
            "applying": self.tr("Applying to %1 and verifying…"),
            "verified": self.tr("✔ %1: %2"),
            "accepted": self.tr("%1: %2"),
            "queued": self.tr("%1: %2"),
            "conflict": self.tr("%1: %2 Scan it again to see it as it is now."),
            "apply-failed": self.tr("%1: %2"),
            "card-changed": self.tr("The card just changed: check it, then press Enter"),
            "no-user": self.tr("No user picked: choose one from the list or clear the field"),
            "pick-one": self.tr("Pick one of the %1 devices first (arrows, Enter)."),
            "nothing-to-change": self.tr("Nothing to change: pick a group tag or a user."),
            "name-error": self.tr("%1: no device name can be made from the template: %2"),
            "no-journal": self.tr("Not applied to %1: changes cannot be recorded. %2"),
            "nothing-to-apply": self.tr("Nothing to apply: scan a device label first."),
            "still-applying": self.tr("Still applying the last change; scan again then."),
            "refused-notice": self.tr("Not used: %1"),
            "two-labels-notice": self.tr("Two codes in view (%1): show one label at a time."),
            "reading-notice": self.tr("Autopilot code: block %1 of %2 read…"),
        }

    # ---- helpers ----------------------------------------------------------------------------
    def _group_tags_loaded(self, tags: Sequence[str]) -> None:
        self.change.set_group_tags(list(tags))

    def show_info(self, text: str) -> None:
        """A line for the status bar (the banner belongs to the card on screen)."""
        self.status.showMessage(text, NOTICE_MS)

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
