"""The bench: from a scanned label to a verified change, as one Qt-free state machine.

``BenchFlow`` (``flow.py``) takes the operator's actions and the look-up / apply results and
returns a ``Snapshot`` per step (``snapshot.py``) in the one state vocabulary ``BenchState``
(``states.py``), with message keys the GUI translates (``messages.py``). ``BurstRecogniser``
(``wedge_keys.py``) tells a keyboard-wedge scanner's burst from a person typing.
"""

from __future__ import annotations

from scanner_app.core.bench.flow import BenchFlow
from scanner_app.core.bench.messages import MESSAGES, Message
from scanner_app.core.bench.snapshot import (
    ApplyDecision,
    LookupRequest,
    Notice,
    Plan,
    SendRequest,
    Snapshot,
)
from scanner_app.core.bench.states import ARMED, KEEPS_SCREEN, BenchState, Source
from scanner_app.core.bench.wedge_keys import BurstRecogniser, Key, KeyDecision

__all__ = [
    "ARMED",
    "KEEPS_SCREEN",
    "MESSAGES",
    "ApplyDecision",
    "BenchFlow",
    "BenchState",
    "BurstRecogniser",
    "Key",
    "KeyDecision",
    "LookupRequest",
    "Message",
    "Notice",
    "Plan",
    "SendRequest",
    "Snapshot",
    "Source",
]
