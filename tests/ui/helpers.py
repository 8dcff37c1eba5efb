"""Helpers several UI tests share: the tenant's plainly printable devices, a simulated drop."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from scanner_app.core.payload import normalise_serial


def unique_devices(tenant: Any, max_len: int | None = None) -> list[dict[str, Any]]:
    """Devices whose serial is on no other device and is stored plainly (upper case, no stray
    spaces), optionally at most ``max_len`` characters: labels a test can print and expect back."""
    counts = Counter(normalise_serial(d["serialNumber"]) for d in tenant.devices.values())
    return [
        dict(d)
        for d in tenant.devices.values()
        if counts[normalise_serial(d["serialNumber"])] == 1
        and d["serialNumber"] == d["serialNumber"].strip().upper()
        and (max_len is None or len(d["serialNumber"]) <= max_len)
    ]


def drop_file(target: Any, path: Path) -> QDropEvent:
    """Drag ``path`` over ``target`` and drop it, as the window system would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with warnings.catch_warnings():  # PySide6 flags the only QDragEnterEvent constructor
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(target, enter)  # Qt delivers a drop only after an accepted enter
    assert enter.isAccepted(), "the window refused the drag"
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return drop
