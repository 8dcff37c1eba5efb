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
from scanner_app.core.payload import PayloadRules, SequenceAssembler, same_device

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
        devices = _one_per_device(list(usable.values()))
        if len(devices) > 1:
            return Intake("ambiguous", candidates=tuple(devices))
        if devices:
            return Intake("target", target=devices[0])
        if targets:
            return Intake("rejected", target=targets[0])
        if progress is not None:
            return Intake("progress", target=progress)
        return Intake("nothing")


def _one_per_device(targets: list[ScanTarget]) -> list[ScanTarget]:
    """One target per device: codes of one label that name the same device (a ``1S`` code and
    the S/N barcode, an Express Service Code and the tag) count once, by the code with the
    fewest readings (the least to guess); the order of first appearance is kept. A part
    number, product number or UPC beside the serial is no target at all (payload refuses it)."""
    groups: list[list[ScanTarget]] = []
    for target in targets:
        group = next((g for g in groups if any(same_device(target, t) for t in g)), None)
        if group is None:
            groups.append([target])
        else:
            group.append(target)
    return [min(group, key=lambda t: len(t.lookups)) for group in groups]
