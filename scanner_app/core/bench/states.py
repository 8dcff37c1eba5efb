"""The bench flow's one state vocabulary, and the groups of states its rules speak of.

The values keep the strings the main window used before the flow moved here ("looking-up",
"found", "rejected", "failed", …), so a log line or a test that reads them still does; the new
states say what one old string used to mean in several places ("failed" was a look-up, an apply,
a conflict and a queued change).
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

Sound = Literal["read", "success", "error"]


class BenchState(str, Enum):
    """Where the bench stands: what the operator sees and what Enter may do."""

    IDLE = "idle"  # waiting for a label
    READING = "reading"  # some blocks of a multi-block Autopilot QR code read
    LOOKING_UP = "looking-up"
    FOUND = "found"
    OFFLINE = "offline"  # found in the offline copy: possibly out of date
    SEVERAL = "several"  # several devices match: the operator picks one
    NOT_FOUND = "not-found"
    LOOKUP_FAILED = "lookup-failed"
    REFUSED = "rejected"  # a code that cannot be used (a web link, a misread serial…)
    TWO_LABELS = "two-labels"  # two devices' codes in view: neither is chosen
    APPLYING = "applying"
    VERIFIED = "verified"  # applied and seen by a re-read (or already set)
    ACCEPTED = "accepted"  # accepted by Intune, not visible yet; the outbox re-checks
    QUEUED = "queued"  # Graph not reachable: the journal sends it later
    CONFLICT = "conflict"  # the device changed in Intune since it was read
    APPLY_FAILED = "failed"

    def __str__(self) -> str:
        return self.value


class Source(str, Enum):
    """Where a scanned code came from (the session table and the log say so)."""

    CAMERA = "camera"
    TYPED = "typed"
    WEDGE = "wedge"  # a keyboard-wedge (USB) barcode scanner
    PHOTO = "photo"

    def __str__(self) -> str:
        return self.value


#: A device card waits for the operator: Enter may apply (the rules permitting).
ARMED = frozenset({BenchState.FOUND, BenchState.OFFLINE, BenchState.SEVERAL})

#: What an Apply ended in; the card shows the device as the apply left it.
APPLIED = frozenset(
    {
        BenchState.VERIFIED,
        BenchState.ACCEPTED,
        BenchState.QUEUED,
        BenchState.CONFLICT,
        BenchState.APPLY_FAILED,
    }
)

#: Screens a misread, a refused code or a half-read Autopilot code must not cover (R4): a card
#: waits for the operator, a look-up or an apply is under way, or an apply's result is shown.
KEEPS_SCREEN = ARMED | APPLIED | {BenchState.LOOKING_UP, BenchState.APPLYING}

#: States in which the same label read again (its QR code and its barcode, or the camera seeing
#: it once more) is the label already being handled, not a new one.
SAME_LABEL_IGNORED = ARMED | {BenchState.LOOKING_UP, BenchState.APPLYING}

#: The outbox's word for what became of a change (``ApplyOutcome.state``) → the bench's.
OUTCOME_STATES = {
    "verified": BenchState.VERIFIED,
    "nothing-to-do": BenchState.VERIFIED,
    "accepted": BenchState.ACCEPTED,
    "sent": BenchState.ACCEPTED,
    "pending": BenchState.QUEUED,
    "conflict": BenchState.CONFLICT,
}

#: The sound a state makes when it is entered (the others are silent).
SOUNDS: dict[BenchState, Sound] = {BenchState.LOOKING_UP: "read", BenchState.VERIFIED: "success"}
SOUNDS.update(
    dict.fromkeys(
        (
            BenchState.SEVERAL,
            BenchState.NOT_FOUND,
            BenchState.LOOKUP_FAILED,
            BenchState.REFUSED,
            BenchState.TWO_LABELS,
            BenchState.CONFLICT,
            BenchState.APPLY_FAILED,
        ),
        "error",
    )
)
