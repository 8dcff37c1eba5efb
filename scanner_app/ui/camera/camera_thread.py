"""The capture and decode loops, each on its own QThread, with a latest-frame-only hand-off.

Capture reads the source as fast as it delivers and drops each frame in a one-slot mailbox; the
decoder takes whatever is newest when it is free, so it never works through a backlog (a frame
replaced before it was taken counts as dropped). The GUI gets at most one frame in flight at
display rate, downscaled off the GUI thread, so a slow paint never queues up frames.
A failing source never ends the session: a fault becomes a status within a second and the loop
rebuilds the source with backoff until it comes back. Stopping is cooperative (an Event).
With nothing in view the decoder rests: a motion gate (``core/vision/motion_gate.py``) lets through
only frames where something changed, a code was read lately, or a heartbeat is due.

Beside it: ``thread_plumbing`` (mailbox, QThread), ``display_scaling`` (frame to QImage) and
``capture_types`` (the injected and reported types, re-exported here).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from scanner_app.core.models import Symbol
from scanner_app.core.vision.capture import CaptureError, FrameSource
from scanner_app.core.vision.motion_gate import GatedReader, MotionGate
from scanner_app.ui.camera.capture_types import CaptureStats, DecoderLike, TrackerLike
from scanner_app.ui.camera.display_scaling import scale_symbol, to_display_image
from scanner_app.ui.camera.thread_plumbing import LoopThread, Mailbox

log = logging.getLogger(__name__)


class CameraThread(QObject):
    """Owns the capture loop and the decode loop.

    Signals (all emitted from worker threads, delivered queued to the GUI thread):

    - ``frame_ready(QImage, list[Symbol])``: a frame for the view, at most ``display_fps`` per
      second and never more than one waiting; the symbols decoded most recently, with positions
      in the coordinates of *this image* (it may be scaled down from the camera's frame).
    - ``symbols_confirmed(list[Symbol])``: what the Tracker confirmed (each presentation once).
    - ``status_changed(str state, str message)``: ``starting``, ``live``, ``reconnecting``
      (a live source failed; retrying), ``failed`` (cannot open; retrying with backoff),
      ``paused``, ``ended`` (a video file ran out) and ``stopped``; the message is for people.
    - ``stats(object)``: a ``CaptureStats`` copy about once a second.

    ``gate``: the motion gate in front of the decoder (True: a default ``MotionGate``; False:
    none). ``stats_now.decoded`` counts only the frames the decoder worked on.
    """

    frame_ready = Signal(QImage, list)
    symbols_confirmed = Signal(list)
    status_changed = Signal(str, str)
    stats = Signal(object)
    _gui_frame = Signal(QImage, list, int)  # + the session it belongs to

    def __init__(
        self,
        source_factory: Callable[[], FrameSource],
        decoder: DecoderLike | None = None,
        tracker: TrackerLike | None = None,
        *,
        display_fps: float = 30.0,
        display_max_width: int = 1280,
        backoff: tuple[float, float] = (0.25, 1.5),
        stall_timeout: float = 1.0,
        gate: MotionGate | bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if decoder is None:
            from scanner_app.core.vision.decoding import Decoder

            decoder = Decoder()
        if tracker is None:
            from scanner_app.core.vision.tracker import Tracker

            tracker = Tracker()
        self._factory = source_factory
        self.gate = gate if isinstance(gate, MotionGate) else MotionGate() if gate else None
        self._reader = GatedReader(decoder, tracker, self.gate)
        self._display_interval = 1.0 / display_fps
        self._display_max_width = display_max_width
        # The view's size in device pixels: frames are scaled to it here, off the GUI thread,
        # so painting is a 1:1 copy (smooth-scaling 1280x720 in paintEvent cost ~10 ms a frame).
        self._display_size: tuple[int, int] | None = None
        self._backoff = backoff
        self._stall_timeout = stall_timeout
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._resume.set()
        self._rearm = threading.Event()
        self._mailbox = Mailbox()
        self._status_lock = threading.Lock()
        self._status: tuple[str, str] = ("stopped", "")
        self._in_flight = threading.Event()
        self._seen: list[Symbol] = []  # decoded most recently, in frame coordinates
        self._live = False
        self._last_frame_at = 0.0
        self.stats_now = CaptureStats()
        self._threads: list[LoopThread] = []
        self._session = 0  # bumped by start(): frames still queued from a previous run are dropped
        self._gui_frame.connect(self._deliver)

    # ---- control (GUI thread) ------------------------------------------------------------
    def start(self) -> None:
        if self.is_running():
            return
        self._stop.clear()
        self._session += 1
        self._in_flight.clear()
        self._mailbox = Mailbox()
        self.stats_now = CaptureStats()
        if self.gate is not None:
            self.gate.reset()
        self._set_status("starting", self.tr("Starting the camera…"))
        self._threads = [
            LoopThread(self._capture_loop, "capture"),
            LoopThread(self._decode_loop, "decode"),
        ]
        for t in self._threads:
            t.start()

    def stop(self, timeout_ms: int = 5000) -> bool:
        """Ask both loops to finish and wait for them; never terminates a thread."""
        self._stop.set()
        self._resume.set()
        self._mailbox.wake()
        done = all([t.wait(timeout_ms) for t in self._threads])  # wait for each, in any case
        if not done:
            log.error("Capture threads did not stop within %d ms", timeout_ms)
        self._threads = [t for t in self._threads if t.isRunning()]
        self._set_status("stopped", self.tr("Camera off"))
        return done

    def is_running(self) -> bool:
        return any(t.isRunning() for t in self._threads)

    def set_paused(self, paused: bool) -> None:
        """Pause reading (window minimised): no frames are read, decoded or drawn."""
        if paused:
            self._resume.clear()  # the capture thread says "paused" when it has stopped reading
        else:
            self._resume.set()

    def rearm(self) -> None:
        """Let the label in view be confirmed again (the tracker forgets, on the decode thread)."""
        self._rearm.set()

    # ---- capture thread ------------------------------------------------------------------
    def _capture_loop(self) -> None:
        session = self._session
        source: FrameSource | None = None
        delay = self._backoff[0]
        index = -1
        last_shown = last_stats = 0.0
        was_live = False
        try:
            while not self._stop.is_set():
                if not self._resume.is_set():
                    self._set_status("paused", self.tr("Camera paused"))
                    self._resume.wait()
                    self._last_frame_at = time.monotonic()
                    continue
                if source is None:
                    source = self._open(was_live)
                    if source is None:  # retry, waiting twice as long each time up to the cap
                        self._stop.wait(delay)
                        delay = min(delay * 2, self._backoff[1])
                        continue
                    delay, was_live = self._backoff[0], True
                try:
                    frame = source.read()
                except Exception as exc:
                    if not isinstance(exc, CaptureError):
                        log.exception("Reading the camera failed")
                    self._drop(source)
                    source = None
                    self._fault("reconnecting", str(exc))
                    self._stop.wait(self._backoff[0])
                    continue
                now = time.monotonic()
                if frame is None:
                    if getattr(source, "ended", False):
                        self._live = False
                        self._set_status("ended", self.tr("%1 ended").replace("%1", source.name))
                    self._stop.wait(0.005)
                    continue
                index += 1
                self._last_frame_at = now
                if self._status[0] != "live":
                    self._live = True
                    self._set_status("live", source.name)
                self.stats_now.captured = index + 1
                self._mailbox.put(index, frame)
                due = now - last_shown >= 0.8 * self._display_interval  # slack for capture jitter
                if due and not self._in_flight.is_set():
                    last_shown = now
                    self._show(frame, session)
                if now - last_stats >= 1.0:
                    last_stats = now
                    self.stats.emit(replace(self.stats_now))
        finally:
            self._live = False
            self._drop(source)

    def _open(self, was_live: bool) -> FrameSource | None:
        """A freshly opened source, now live; or None once the failure is reported."""
        source: FrameSource | None = None
        try:
            source = self._factory()
            source.open()
        except CaptureError as exc:
            self._drop(source)
            self._fault("reconnecting" if was_live else "failed", str(exc))
            return None
        except Exception as exc:  # a bug or driver error must not end the session
            log.exception("Opening the camera failed")
            self._drop(source)
            self._fault("failed", self.tr("Camera error: %1").replace("%1", str(exc)))
            return None
        self._last_frame_at = time.monotonic()
        self._live = True
        self._set_status("live", source.name)
        return source

    def _drop(self, source: FrameSource | None) -> None:
        self._live = False
        self._seen = []
        if source is not None:
            try:
                source.close()
            except Exception:
                log.exception("Closing the camera failed")

    def set_display_size(self, width: int, height: int) -> None:
        """The view's size in device pixels (any thread); frames are scaled to fit it."""
        self._display_size = (width, height) if width > 0 and height > 0 else None

    def _show(self, frame: np.ndarray, session: int) -> None:
        size = self._display_size
        image, scale = to_display_image(frame, self._display_max_width, size)
        scaled = [scale_symbol(s, scale) for s in self._seen]
        self._in_flight.set()
        self.stats_now.shown += 1
        self._gui_frame.emit(image, scaled, session)

    @Slot(QImage, list, int)
    def _deliver(self, image: QImage, symbols: list[Symbol], session: int) -> None:
        if session != self._session:
            return
        self._in_flight.clear()
        if not self._stop.is_set():
            self.frame_ready.emit(image, symbols)

    # ---- decode thread -------------------------------------------------------------------
    def _decode_loop(self) -> None:
        while not self._stop.is_set():
            item = self._mailbox.take(0.1)
            if item is None:
                self._watchdog()
                continue
            index, frame = item
            started = time.perf_counter()
            rearm = self._rearm.is_set()
            if rearm:
                self._rearm.clear()
            try:
                step = self._reader.step(frame, rearm=rearm)
            except Exception:  # one bad frame must not stop scanning
                log.exception("Decoding frame %d failed", index)
                continue
            st = self.stats_now
            st.dropped = self._mailbox.replaced
            if step.symbols is not None:  # None: the gate held the frame back
                st.decoded += 1
                st.decode_ms = (time.perf_counter() - started) * 1000
                st.last_decoded_index = index
                self._seen = list(step.symbols)
            if step.confirmed:
                st.last_confirmed_index = index
                self.symbols_confirmed.emit(list(step.confirmed))

    def _watchdog(self) -> None:
        """A source blocked inside read() cannot report itself: say so after a second."""
        stalled = time.monotonic() - self._last_frame_at > self._stall_timeout
        if self._live and self._resume.is_set() and stalled:
            self._fault("reconnecting", self.tr("No picture from the camera; waiting for it…"))

    # ---- status --------------------------------------------------------------------------
    def _fault(self, state: str, message: str) -> None:
        self._live = False
        self._set_status(state, message)

    def _set_status(self, state: str, message: str) -> None:
        with self._status_lock:
            if (state, message) == self._status:
                return
            self._status = (state, message)
        log.info("Camera %s: %s", state, message)
        self.status_changed.emit(state, message)

    @property
    def status(self) -> tuple[str, str]:
        return self._status


__all__ = ["CameraThread", "CaptureStats", "DecoderLike", "TrackerLike"]
