"""An operator's actions and the world's answers, as plain values for the rule tests.

Their reprs are what a failing test prints: a falsifying example reads as a bench session.
The world's data (labels, devices, the directory) is in ``world.py``; ``Bench`` plays these.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner_app.core.bench import Source as Src


@dataclass(frozen=True)
class Read:  # a label read by the camera, typed, or sent by a wedge scanner
    label: int
    source: Src = Src.CAMERA


@dataclass(frozen=True)
class Arrives:  # a label is read and its look-up answers at once (the common case)
    label: int
    source: Src
    kind: str
    device: int = 0


@dataclass(frozen=True)
class Handles:  # a label is read, its look-up answers, the operator looks, then Enter
    label: int
    source: Src
    kind: str
    device: int
    look_ms: int


@dataclass(frozen=True)
class Misread:  # a code that cannot be used (a misread serial, a web link)
    which: int
    source: Src = Src.CAMERA


@dataclass(frozen=True)
class Blocks:  # some blocks of a multi-block Autopilot QR code
    seen: int
    total: int


@dataclass(frozen=True)
class TwoLabels:
    pass


@dataclass(frozen=True)
class Answer:  # the newest look-up answers (``late``: the oldest, overtaken by a newer label)
    kind: str  # found | several | not-found | failed | raised | offline | offline-several
    device: int = 0
    late: bool = False


@dataclass(frozen=True)
class Highlight:
    index: int


@dataclass(frozen=True)
class Pick:
    index: int


@dataclass(frozen=True)
class GroupTag:
    text: str


@dataclass(frozen=True)
class UserText:
    text: str


@dataclass(frozen=True)
class DirectoryAnswers:  # the type-ahead search answers (``late``: for text typed before)
    late: bool = False


@dataclass(frozen=True)
class TypesUser:  # the operator types, the directory answers, the operator picks (or not)
    text: str
    pick: int | None


@dataclass(frozen=True)
class PickUser:  # the operator picks suggestion ``index`` of the last answer shown
    index: int


@dataclass(frozen=True)
class Enter:
    pass


@dataclass(frozen=True)
class Skip:
    pass


@dataclass(frozen=True)
class Applied:  # the oldest outstanding apply ends
    state: str  # verified | accepted | pending | conflict | failed | nothing-to-do | raised


@dataclass(frozen=True)
class Wait:
    ms: int


@dataclass(frozen=True)
class Camera:
    available: bool


Action = (
    Read | Arrives | Handles | Misread | Blocks | TwoLabels | Answer | Highlight | Pick
    | GroupTag | UserText | DirectoryAnswers | TypesUser | PickUser | Enter | Skip | Applied
    | Wait | Camera
)  # fmt: skip
