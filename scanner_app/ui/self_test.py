"""`scanner-app --demo --self-test`: drive scan → card → pick → Apply → verified in the real
window with no human, print one line per step with its time, and report 0 only if all passed.

The frozen-app smoke test and CI run it. The label comes from the camera thread, the answers from
the simulated tenant; the operator's part is played as the bench flow's actions, through the
window's own slots (pick a user, set the group tag, press Apply), and every step is checked on
what the window renders. Apply waits until the card has been on screen long enough (R1), as an
operator would, on the window's clock and a QTimer: never a sleep.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from PySide6.QtCore import QObject, QTimer, Signal

from scanner_app.core.bench import BenchState
from scanner_app.core.models import AutopilotDevice, User
from scanner_app.core.services import Services
from scanner_app.core.workflow import ApplyOutcome
from scanner_app.ui.main_window import MainWindow

TIMEOUT_S = 30.0
SELF_TEST_TAG = "SelfTest-Bench"
#: States that end the self-test as failed when it is waiting for something else.
FAILED = {BenchState.LOOKUP_FAILED, BenchState.APPLY_FAILED, BenchState.CONFLICT}


@dataclass
class Step:
    """``action`` runs once, on the first tick at which ``ready`` holds; then the step waits
    for ``done``."""

    name: str
    done: Callable[[], bool]
    action: Callable[[], None] | None = None
    ready: Callable[[], bool] = lambda: True
    acted: bool = False


class SelfTest(QObject):
    """Signals: ``finished(int)`` with the exit code (0 when every step passed)."""

    finished = Signal(int)

    def __init__(self, window: MainWindow, services: Services, out: TextIO | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.out: TextIO = out or sys.stdout
        self.frames = 0
        self.device: AutopilotDevice | None = None
        self.outcome: ApplyOutcome | None = None
        self.users: list[User] | None = None
        self._timer = QTimer(self, interval=20)
        self._timer.timeout.connect(self._tick)
        # A hard deadline of its own: whatever happens inside a step, the test ends.
        self._deadline = QTimer(self, singleShot=True, interval=int(TIMEOUT_S * 1000) + 2000)
        self._deadline.timeout.connect(lambda: self._finish(1, "self-test: no result in time"))
        self._done = False
        if window.camera is not None:
            window.camera.frame_ready.connect(self._frame)
        window.device_shown.connect(self._device)
        window.apply_finished.connect(self._applied)
        self.steps = [
            Step("window shown", window.isVisible),
            Step("camera streaming", lambda: self.frames >= 3),
            Step("label read from the camera, device found", lambda: self.device is not None),
            Step("user type-ahead answered", lambda: bool(self.users), self._search_user),
            Step("user and group tag picked", self._picked, self._pick),
            Step(
                "Apply pressed once the card has settled",
                lambda: window.state in {BenchState.APPLYING, BenchState.VERIFIED},
                self._press_apply,
                ready=self._card_settled,
            ),
            Step("change verified by a re-read", lambda: self.outcome is not None, None),
            Step("tenant recorded the change", self._tenant_has_change),
        ]

    def start(self) -> None:
        if self.services.simulator is None:
            self._print("self-test: needs --demo (the simulated tenant)")
            # Emitted from the event loop, so a caller that starts it before exec() still hears.
            QTimer.singleShot(0, lambda: self.finished.emit(2))
            return
        self._t0 = self._t_step = time.monotonic()
        self._index = 0
        self._timer.start()
        self._deadline.start()

    # ---- observers ------------------------------------------------------------------------
    def _frame(self, *_: object) -> None:
        self.frames += 1

    def _device(self, device: AutopilotDevice) -> None:
        if self.device is None:
            self.device = device

    def _applied(self, outcome: ApplyOutcome) -> None:
        self.outcome = outcome

    # ---- actions: the operator's, as the bench flow's ----------------------------------------
    def _search_user(self) -> None:
        self.window.search_users("ad", self._found_users)

    def _found_users(self, users: list[User]) -> None:
        self.users = list(users)

    def _pick(self) -> None:
        assert self.users
        self.window.pick_user(self.users[0])
        self.window.set_group_tag(SELF_TEST_TAG)

    def _picked(self) -> bool:
        """The flow's plan holds both, and the fields show them."""
        plan = self.window.flow.snapshot.plan
        return (
            plan.user is not None
            and plan.group_tag == SELF_TEST_TAG
            and self.window.user_picker.chosen == plan.user
            and self.window.change.chosen_group_tag() == SELF_TEST_TAG
        )

    def _card_settled(self) -> bool:
        """R1: Enter acts only on a card that has been on screen unchanged for a while."""
        ready_at = self.window.flow.snapshot.apply_ready_at
        return ready_at is not None and self.window.clock() >= ready_at

    def _press_apply(self) -> None:
        decision = self.window.press_apply()
        if decision.send is None:
            why = decision.refusal.text() if decision.refusal else "nothing sent"
            self._finish(1, f"self-test: Apply was refused: {why}")

    def _tenant_has_change(self) -> bool:
        if self.outcome is None or not self.outcome.verified or self.device is None:
            return False
        record = self.services.simulator.devices[self.device.id]
        user = self.window.flow.snapshot.plan.user
        return bool(
            record.get("groupTag") == SELF_TEST_TAG
            and user is not None
            and record.get("userPrincipalName") == user.user_principal_name
        )

    # ---- the loop ---------------------------------------------------------------------------
    def _tick(self) -> None:
        try:
            self._step()
        except Exception as exc:  # a failing step is a failed test, never a hang
            self._finish(1, f"self-test: error in step {self._index + 1}: {exc!r}")

    def _step(self) -> None:
        now = time.monotonic()
        step = self.steps[self._index]
        if not step.acted and step.action is not None and step.ready():
            step.acted = True
            step.action()
            if self._done:
                return
        if step.done():
            ms = (now - self._t_step) * 1000
            self._print(
                f"self-test: [{self._index + 1}/{len(self.steps)}] {step.name:<42} ok {ms:7.0f} ms"
            )
            self._t_step = now
            self._index += 1
            if self._index == len(self.steps):
                self._finish(0, f"self-test: passed in {(now - self._t0):.1f} s")
            return
        if self.window.state in FAILED or (self.outcome and not self.outcome.verified):
            self._finish(1, f"self-test: step '{step.name}' failed: {self.window.banner.text()}")
        elif now - self._t0 > TIMEOUT_S:
            self._finish(
                1,
                f"self-test: step '{step.name}' timed out after {TIMEOUT_S:.0f} s "
                f"({self.window.banner.text()})",
            )

    def _finish(self, code: int, message: str) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        self._deadline.stop()
        self._print(message)
        self.finished.emit(code)

    def _print(self, text: str) -> None:
        try:
            print(text, file=self.out, flush=True)
        except OSError:  # stdout closed (piped into `head`): the exit code still tells
            pass
