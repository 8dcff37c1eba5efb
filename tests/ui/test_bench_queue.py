"""Bench (queue) mode end to end: 20 labels through the real camera thread, one at a time.

The synthetic camera runs a deterministic script (one upright label, then an empty desk). The
"operator" here takes each label away as soon as it beeps, presses Enter and shows the next one
after the green tick, so the run does not depend on how fast this machine decodes or how long
the simulated tenant takes: every step waits for what the operator would wait for.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scanner_app.core.bench.session import RowState
from scanner_app.core.payload import normalise_serial
from scanner_app.core.services import Services
from scanner_app.core.vision.decoding import Decoder
from scanner_app.core.vision.synthetic import HandHeldSource, Label, Script
from scanner_app.core.vision.tracker import Tracker
from scanner_app.ui.camera.camera_thread import CameraThread
from scanner_app.ui.main_window import MainWindow
from tests.ui.conftest import BenchClock
from tests.ui.helpers import unique_devices

WAIT_MS = 15_000
TAG = "Bench-Queue-20"
UNKNOWN = "ZX9NOTREG01"
SCRIPT = Script(hold_frames=8, gap_frames=4)
FRAME = (960, 540)  # small frames; the widest card (a Hyper-V serial, ~900 px) still fits


def label_of(record: dict[str, Any]) -> Label:
    serial = normalise_serial(record["serialNumber"])
    # Code 128 only: a QR with the same text would be confirmed as a second read of the same
    # label on a later frame (the tracker keys on symbology + text) and start a second look-up.
    return Label(serial, None, record["manufacturer"], record["model"])


def test_twenty_labels_in_queue_mode(
    qtbot: Any, services: Services, tenant: Any, clock: BenchClock
) -> None:
    unique = unique_devices(tenant)[:17]
    assert len(unique) == 17
    counts = Counter(normalise_serial(d["serialNumber"]) for d in tenant.devices.values())
    twice = next(s for s, n in counts.items() if n == 2)
    # 20 scans: 17 devices, one shown again (duplicate), one unregistered, one serial shared
    # by two Autopilot records.
    plan: list[tuple[str, Label]] = [("found", label_of(r)) for r in unique[:6]]
    plan.append(("duplicate", label_of(unique[2])))
    plan += [("found", label_of(r)) for r in unique[6:11]]
    plan.append(("unknown", Label(UNKNOWN, None, "Contoso", "Prototype")))
    plan += [("found", label_of(r)) for r in unique[11:14]]
    plan.append(("several", Label(twice, None, "Contoso", "Laptop")))
    plan += [("found", label_of(r)) for r in unique[14:17]]
    assert len(plan) == 20

    source = HandHeldSource([label for _kind, label in plan], size=FRAME, script=SCRIPT)
    camera = CameraThread(lambda: source, Decoder(), Tracker())
    window = MainWindow(services, camera=camera, clock=clock)
    qtbot.add_widget(window)
    window.show()
    qtbot.wait_exposed(window)
    camera.start()
    try:
        # Sticky choices, set once for the whole session: a group tag and a user.
        window.group_tag.setCurrentText(TAG)
        picker = window.user_picker
        picker.setFocus()
        with qtbot.wait_signal(picker.search_done, timeout=WAIT_MS):
            QTest.keyClicks(picker, "ad")
        popup = picker.completer().popup()
        assert popup is not None
        qtbot.wait_until(popup.isVisible, timeout=WAIT_MS)
        QTest.keyClick(popup, Qt.Key.Key_Down)
        QTest.keyClick(popup, Qt.Key.Key_Return)
        assert picker.chosen is not None
        upn = picker.chosen.user_principal_name
        window.scan_input.setFocus()

        picked: list[str] = []
        for slot, (kind, _label) in enumerate(plan):
            expected = {"unknown": "not-found", "several": "several"}.get(kind, "found")
            with qtbot.wait_signal(
                window.state_changed, timeout=WAIT_MS, check_params_cb=lambda s, e=expected: s == e
            ):
                source.show(slot)
            # The operator takes the label away after the beep and acts once the view shows no
            # code (else Enter's re-arm would announce the label still in view once more).
            with qtbot.wait_signal(
                camera.frame_ready, timeout=WAIT_MS, check_params_cb=lambda _img, syms: not syms
            ):
                source.show(None)
            if kind == "several":
                assert window.matches.count() == 2
                assert not window.apply_button.isEnabled()
                with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS) as shown:
                    QTest.keyClick(window.matches, Qt.Key.Key_Down)
                    QTest.keyClick(window.matches, Qt.Key.Key_Return)
                picked.append(shown.args[0].id)
                kind = "found"
            if kind == "found":
                clock.advance(1.0)  # the operator checks the card (R1), then Enter
                with qtbot.wait_signal(window.apply_finished, timeout=WAIT_MS) as done:
                    QTest.keyClick(window.scan_input, Qt.Key.Key_Return)
                assert done.args[0].verified, done.args[0].message
                assert window.state == "verified"
            else:  # unknown or a repeat: nothing to apply, Esc for the next device
                QTest.keyClick(window, Qt.Key.Key_Escape)
                assert window.state == "idle"
    finally:
        window.close()

    rows = window.queue.session.rows
    assert [r.serial for r in rows] == [label.serial for _kind, label in plan]
    states = [r.state for r in rows]
    assert states[6] is RowState.SKIPPED and rows[6].duplicate_of == rows[2].id
    assert states[12] is RowState.NOT_FOUND
    assert states[16] is RowState.VERIFIED  # several matches, then the operator's pick
    assert all(states[i] is RowState.VERIFIED for i in range(20) if i not in {6, 12})
    assert [r.id for r in rows if r.is_duplicate] == [rows[6].id]
    changed = [r for i, r in enumerate(rows) if i not in {6, 12}]
    assert all(r.group_tag == TAG and r.user_principal_name == upn for r in changed)
    for untouched in (rows[6], rows[12]):  # skipped, not registered: nothing went to them
        assert (untouched.group_tag, untouched.user_principal_name) == ("", "")
    # The table shows the same, with the duplicate flagged.
    model = window.queue.model
    assert model.rowCount() == 20
    assert model.data(model.index(6, 1)).startswith("⚠")
    assert "duplicate of row 3" in model.data(model.index(6, 6))
    assert model.data(model.index(12, 5)) == "not found"
    summary = window.queue.summary_text()
    assert summary.startswith("20 scans")
    assert "18 verified" in summary and "1 skipped" in summary and "1 not found" in summary
    assert "1 duplicate" in summary

    # The tenant: each verified device changed exactly once, with the sticky choices.
    changed = [r["id"] for r in unique] + picked
    for device_id in changed:
        assert tenant.applied_updates(device_id) == 1, device_id
        assert tenant.devices[device_id]["groupTag"] == TAG
        assert tenant.devices[device_id]["userPrincipalName"] == upn
    other = [
        d["id"] for d in tenant.devices.values() if normalise_serial(d["serialNumber"]) == twice
    ]
    assert sum(tenant.applied_updates(i) for i in other) == 1  # the twin was left alone
