"""The outbox: sends journaled changes to Graph exactly once, paced, verified, resumable.

Why each rule:
- Record before send (the journal): a crash at any moment leaves a row that says what is left.
- A change whose fate is unknown (no answer, or a crash after "sent") is re-sent only when a
  re-read *proves* it did not apply: the device still shows the before-values once Graph's
  consistency window (``RetryPolicy.verify_timeout``) has passed. Otherwise it would be applied
  twice.
- Before the first send the device is re-read: if another operator or the portal changed a
  touched field since the operator read it, the change waits as a "conflict" for a decision
  (``overwrite`` or ``discard``) instead of silently overwriting.
- Intune allows 100 writes per 20 s per app. Writes are paced by a sliding log (never more than
  ``limit`` writes in any ``window``; a token bucket with a full burst would allow twice that
  in one window).
- Work is done in order per device; different devices proceed side by side on ``workers``
  threads, so Graph's latency (100-300 ms a call) does not make the queue slower than the limit.
- State changes use the journal's ``expect`` check, so two threads or two processes working on
  the same journal (the app and ``scanner-app journal retry``) never both send a pending change;
  one whose answer was lost is re-sent only after the re-read proof above.
- An outbox works only on its own ``tenant``'s entries (the one it is connected to): a journal
  may hold another tenant's changes, which must never be sent, re-read or failed against this
  one (see ``journal.tenants``).

Where each part lives (each imports only the ones after it; ``pyproject.toml`` holds the
layers contract that keeps it so):
- ``outbox``: ``Outbox``, what the operator and the background loop may ask of the queue;
- ``job``: ``ChangeJob``, the order of one change's steps and its waits;
- ``scheduler``: runs jobs, knowing only ``Job.key`` and ``Job.step()``: per-key order, threads,
  two timelines; ``Claims``: one pass at a time per device;
- ``delivery``: the steps for one change (re-read, send, settle, mark) and the learned ``Lag``;
- ``pacing``: Intune's write limit; ``policy``: ``RetryPolicy``, every retry, poll and idle
  number.
Import from the package, not from these modules.
"""

from __future__ import annotations

from scanner_app.core.outbox.delivery import Autopilot, Offline
from scanner_app.core.outbox.outbox import Outbox, OutboxStatus
from scanner_app.core.outbox.pacing import WriteLimiter
from scanner_app.core.outbox.policy import Backoff, RetryPolicy

__all__ = [
    "Autopilot",
    "Backoff",
    "Offline",
    "Outbox",
    "OutboxStatus",
    "RetryPolicy",
    "WriteLimiter",
]
