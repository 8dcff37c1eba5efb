"""The contract between a frame source and the capture thread: ``FrameSource`` and
``CaptureError``.

Every source (camera, stream, video file, image folder, the synthetic bench) honours this small
protocol, and the capture thread knows nothing else: a pulled cable, a phone stream that drops
or a missing file all surface as a ``CaptureError`` whose text an operator can act on and whose
``kind`` says what went wrong. It lives apart from the sources so each source module can raise
it without importing the others; ``capture.py`` re-exports both names.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

import numpy as np

__all__ = ["CaptureError", "FaultKind", "FrameSource"]

FaultKind = Literal["missing", "busy", "unplugged", "stream_down", "file", "failed"]


class CaptureError(RuntimeError):
    """A source cannot deliver frames; ``str(exc)`` is a sentence for the status bar."""

    def __init__(self, message: str, kind: FaultKind = "failed") -> None:
        super().__init__(message)
        self.kind: FaultKind = kind


@runtime_checkable
class FrameSource(Protocol):
    """Anything that yields BGR uint8 frames. ``read()`` returns None when no frame is ready."""

    name: str
    fps: float

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None: ...

    def close(self) -> None: ...
