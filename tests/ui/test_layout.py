"""What the operator sees on a small screen and from across the room: at 800x600 the card's rows
never draw over each other and the bench table shows State without scrolling sideways; big text
is big (1.6x); the status bar speaks in short words and keeps the details in tooltips."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from scanner_app.core.bench.session import RowState
from scanner_app.core.models import AutopilotDevice, DeviceChange, ScanTarget
from scanner_app.core.workflow import ApplyOutcome
from scanner_app.ui.main_window import MainWindow
from scanner_app.ui.queue_panel import QueuePanel
from tests.ui.helpers import unique_devices
from tests.ui.test_main_window import WAIT_MS, type_scan, unique_device

LONG_UPN = "bartholomew.featherstonehaugh@contoso-manufacturing.example"


def needed_height(label: QLabel) -> int:
    if label.hasHeightForWidth():
        return label.heightForWidth(label.width())
    return label.sizeHint().height()


def show_device_at_800x600(qtbot: Any, window: MainWindow, tenant: Any) -> None:
    window.resize(800, 600)
    qtbot.wait_until(lambda: window.size().width() == 800, timeout=WAIT_MS)
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        type_scan(qtbot, window, unique_device(tenant)["serialNumber"])
    # The card previews the change: a new tag and a user picked from the suggestions.
    window.group_tag.setCurrentText("Bench-Kiosk-Long-Name")
    picker = window.user_picker
    picker.setFocus()
    with qtbot.wait_signal(picker.search_done, timeout=WAIT_MS):
        QTest.keyClicks(picker, "ad")
    popup = picker.completer().popup()
    qtbot.wait_until(popup.isVisible, timeout=WAIT_MS)
    first = popup.model().index(0, 0)
    QTest.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(first).center()
    )
    qtbot.wait_until(lambda: "→" in window.card.text_of("user_principal_name"))


def test_at_800x600_the_card_rows_never_overlap(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    show_device_at_800x600(qtbot, window, tenant)
    rows = list(window.card.values.values())
    qtbot.wait_until(lambda: all(row.height() >= needed_height(row) for row in rows))
    for upper, lower in zip(rows, rows[1:], strict=False):
        assert upper.geometry().bottom() < lower.geometry().top(), (upper.text(), lower.text())
    # The card is never cut at the side: the column is as wide as the card needs.
    assert window.card.width() >= window.card.minimumSizeHint().width()


def test_at_800x600_the_change_and_apply_are_reached_by_tab(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    show_device_at_800x600(qtbot, window, tenant)
    window.user_picker.setFocus()
    QTest.keyClick(window.user_picker, Qt.Key.Key_Tab)
    apply = window.apply_button
    assert apply.hasFocus()
    # Focus scrolled it into view: the whole button shows, not a sliver under the fold.
    qtbot.wait_until(lambda: apply.visibleRegion().boundingRect() == apply.rect())
    # The next device is shown from its heading, not from where the last one was scrolled to
    # (here with the bench table dragged taller, as in a long queue run).
    window.resizeDocks([window.bench_dock], [260], Qt.Orientation.Vertical)
    bar = window.panel.scroller.verticalScrollBar()
    qtbot.wait_until(lambda: bar.maximum() > 60)
    bar.setValue(bar.maximum())  # the operator scrolled down to the buttons
    others = [d for d in unique_devices(tenant) if d["serialNumber"] != window.card.title.text()]
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        type_scan(qtbot, window, others[0]["serialNumber"])
    title = window.card.title
    qtbot.wait_until(lambda: title.visibleRegion().boundingRect() == title.rect())


def test_the_bench_table_shows_state_without_scrolling_and_widths_hold_still(
    qtbot: Any,
) -> None:
    panel = QueuePanel()
    qtbot.add_widget(panel)
    panel.resize(800, 220)
    panel.show()
    qtbot.wait_exposed(panel)
    header = panel.table.horizontalHeader()
    fixed = range(header.count() - 1)  # all but Reason, which takes the rest
    widths = [header.sectionSize(c) for c in fixed]
    panel.session.group_tag, panel.session.user_principal_name = "Bench-Kiosk-Long-Name", LONG_UPN
    for n in range(12):
        row = panel.add_scan(ScanTarget("serial", f"5CG{n:04d}LONGSERIAL"))
        device = AutopilotDevice(
            id=f"d{n}",
            serial_number=f"5CG{n:04d}LONGSERIAL",
            manufacturer="Hewlett-Packard Development Company, L.P.",
            model="HP EliteBook 840 14 inch G10 Notebook PC",
        )
        panel.update_row(row.id, RowState.APPLYING, device=device)
        change = DeviceChange(group_tag="Bench-Kiosk-Long-Name", user_principal_name=LONG_UPN)
        panel.record_outcome(row.id, ApplyOutcome(n, "failed", device, change, "Graph said 403"))
    assert panel.table.verticalScrollBar().isVisible()  # the rows fill the table
    assert [header.sectionSize(c) for c in fixed] == widths
    state = panel.model.COLUMNS.index("state")
    right = header.sectionViewportPosition(state) + header.sectionSize(state)
    assert right <= panel.table.viewport().width()
    assert panel.table.horizontalScrollBar().maximum() == 0
    # Every state name fits its column whole.
    metrics = panel.table.fontMetrics()
    longest = max(metrics.horizontalAdvance(n) for n in panel.model.state_names.values())
    assert header.sectionSize(state) > longest
    # What is elided shows whole in a tooltip.
    model = panel.model
    assert model.data(model.index(0, 4), Qt.ItemDataRole.ToolTipRole) == LONG_UPN


def test_big_text_is_at_least_1_6_times_the_normal_size(
    qtbot: Any, window: MainWindow, tenant: Any
) -> None:
    with qtbot.wait_signal(window.device_shown, timeout=WAIT_MS):
        type_scan(qtbot, window, unique_device(tenant)["serialNumber"])
    parts = {
        "banner": window.banner,
        "card heading": window.card.title,
        "card row": window.card.values["group_tag"],
        "table": window.queue.table,
    }
    normal = {name: widget.font().pointSizeF() for name, widget in parts.items()}
    big = next(a for a in window.menuBar().actions()[0].menu().actions() if a.isCheckable())
    try:
        QTest.keyClick(
            window,
            Qt.Key.Key_B,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert big.isChecked()
        for name, widget in parts.items():
            qtbot.wait_until(lambda w=widget, n=name: w.font().pointSizeF() >= 1.6 * normal[n])
    finally:
        big.setChecked(False)
    for name, widget in parts.items():
        qtbot.wait_until(lambda w=widget, n=name: abs(w.font().pointSizeF() - normal[n]) < 0.01)


def test_the_status_bar_says_short_words_and_keeps_details_in_tooltips(
    qtbot: Any, services: Any, monkeypatch: Any
) -> None:
    import scanner_app.core.vision.engines as engines
    from scanner_app.core.vision.engines.zbar import ZBAR_MISSING

    reason = ZBAR_MISSING.format(detail="libzbar.so.0 not found")
    monkeypatch.setattr(engines, "available_engines", lambda: {"zxing-cpp": None, "pyzbar": reason})
    window = MainWindow(services)
    qtbot.add_widget(window)
    window.resize(800, 600)
    window.show()
    qtbot.wait_exposed(window)
    status = window.status
    status.set_camera("failed", "No camera found (no /dev/video5).")
    assert status.camera.text().endswith(" No camera")
    assert "/dev/video5" in status.camera.toolTip() and "doctor" in status.camera.toolTip()
    assert status.decoder.isVisible() and status.decoder.text().endswith(" Second decoder off")
    assert reason in status.decoder.toolTip()
    assert status.currentMessage() == ""  # no developer sentence, cut mid-word
    fields = (status.sign_in, status.camera, status.decoder, status.graph, status.outbox)

    def whole(label: QLabel) -> bool:  # the text fits its field at 800 pixels: nothing cut
        return label.fontMetrics().horizontalAdvance(drawn_text(label)) <= label.width() + 1

    qtbot.wait_until(lambda: all(whole(label) for label in fields))
    why = "Graph refused the request (403 Forbidden): the app lacks DeviceManagementServiceConfig"
    status.set_graph("error", why)
    assert status.graph.text().endswith(" Graph: not available") and status.graph.toolTip() == why
    window.close()


def drawn_text(label: QLabel) -> str:
    """A status label's text as drawn (its rich-text dot as one character)."""
    return re.sub(r"<[^>]*>", "", label.text())
