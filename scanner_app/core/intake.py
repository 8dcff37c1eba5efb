"""From confirmed reads to the one thing to look up, or the reason not to.

A camera confirms symbols one frame at a time: a label's QR and its barcode, two labels side by
side, the blocks of a multi-block Autopilot code. The window asks one question of each batch:
look this target up, refuse this code, say "two labels", or show assembly progress. Keeping the
answer here (no Qt) makes the rule testable alone and the same for the camera and a photo.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from scanner_app.core.models import ScanTarget
from scanner_app.core.payload import PayloadRules, SequenceAssembler

IntakeKind = Literal["target", "rejected", "ambiguous", "progress", "nothing"]


@dataclass(frozen=True)
class Intake:
    """``target`` for "target", "rejected" and "progress"; ``candidates`` for "ambiguous"."""

    kind: IntakeKind
    target: ScanTarget | None = None
    candidates: tuple[ScanTarget, ...] = ()


class ScanIntake:
    """Parses every code through one SequenceAssembler (with the configured payload rules)."""

    def __init__(self, rules: PayloadRules | None = None) -> None:
        self._rules = rules
        self._assembler = SequenceAssembler(rules)

    def parse(self, text: str) -> ScanTarget:
        """One code's text: multi-block Autopilot codes build up, others pass straight through."""
        return self._assembler.feed(text)

    def confirmed(self, texts: Sequence[str], in_view: Iterable[str] = ()) -> Intake:
        """What to do with codes confirmed together, given the codes still in view.

        Codes still in view count too: two different devices in view are never chosen between
        silently, even when the tracker confirmed them one after the other.
        """
        from scanner_app.core.payload import parse

        confirmed = set(texts)
        others = [parse(t, self._rules) for t in in_view if t not in confirmed]
        targets: list[ScanTarget] = []
        progress: ScanTarget | None = None
        for text in texts:
            target = self.parse(text)
            if target.progress is not None and not target.usable:
                progress = target
            else:
                targets.append(target)
        usable = {(t.kind, t.value): t for t in targets if t.usable}
        if usable:
            usable.update({(t.kind, t.value): t for t in others if t.usable})
        if len(usable) > 1:
            return Intake("ambiguous", candidates=tuple(usable.values()))
        if usable:
            return Intake("target", target=next(iter(usable.values())))
        if targets:
            return Intake("rejected", target=targets[0])
        if progress is not None:
            return Intake("progress", target=progress)
        return Intake("nothing")
