"""Every number that says when the outbox looks, waits, tries again or gives up: one value.

Change how the outbox retries here and nowhere else: the outbox, its scheduler, the steps of one
change and the background loop (and the GUI's runner, which only starts that loop) read these
fields; none of them holds a number of its own. The defaults are the numbers the outbox was
measured with (``benchmarks/outbox.py``); tests and benchmarks pass a faster policy.

Not a setting: each number answers to how Graph behaves, not to how a site works. The one an
admin might reach for, ``verify_timeout``, is also what proves a lost write did not apply (a
change is re-sent only when the old values are still shown once it has passed), so shortening
it risks applying a change twice; lengthening it only delays the "not yet visible" notice.
Intune's write limit is Intune's and lives with the pacing (``Outbox(write_rate=…)``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Waits that grow: ``first``, then each ``factor`` times the one before, never above
    ``most``."""

    first: float
    factor: float
    most: float

    def after(self, previous: float) -> float:
        """The wait after ``previous`` (0.0: none yet, so ``first``)."""
        return min(max(previous * self.factor, self.first), self.most)


@dataclass(frozen=True)
class RetryPolicy:
    """The outbox's timing, in seconds (counts where named so). Frozen: replace it whole."""

    #: How long Graph is given to show a write: a re-read within it that still shows the old
    #: values proves nothing; after it, an accepted change is left "not yet visible" for the
    #: next pass, and a lost write whose old values still show is sent again.
    verify_timeout: float = 30.0
    #: Re-reads while waiting for a write to show (after an answer, or after a lost one).
    poll: Backoff = Backoff(0.25, 1.5, 2.0)
    #: Graph's recent consistency lag is learned so the first re-read comes when a write usually
    #: shows: after a first look that already showed it, the lag shrinks by ``lag_shrink``; it
    #: never exceeds ``lag_most`` nor ``lag_share`` of ``verify_timeout``.
    lag_shrink: float = 0.8
    lag_most: float = 5.0
    lag_share: float = 0.25
    #: Tries of a failed re-read on top of the Graph client's own retries, and the waits
    #: between them; beyond them the pass stops and the background loop backs off.
    read_retries: int = 0
    read_backoff: Backoff = Backoff(1.0, 2.0, 30.0)
    #: Sends of a change that re-reads prove did not apply, before it fails.
    max_sends: int = 3
    #: A pre-send re-read older than this (the write waited for a slot) is done again.
    reread_after: float = 2.0
    #: How early a write that waited long for a slot wakes to re-read: early enough that the
    #: re-read is done before the slot frees up, late enough to stay within ``reread_after``.
    wake_early: float = 1.5
    #: How soon to ask the write limiter again while the writes it waits on are in flight.
    slot_recheck: float = 0.01
    #: The background loop: the pause after a pass that reached Graph, the pauses while Graph
    #: is away (or the journal cannot be written), and how often it looks for stop or new work.
    idle: float = 5.0
    offline: Backoff = Backoff(1.0, 2.0, 60.0)
    tick: float = 0.05
