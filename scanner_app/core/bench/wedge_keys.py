"""Keyboard-wedge barcode scanners: tell a scanner's burst of keys from a person typing (R6).

A USB hand scanner is a keyboard that types a code and Enter in a few milliseconds, pressing
whatever keys the keyboard layout needs: Shift for capitals, AltGr for ``@`` or ``\\`` on many
European layouts, keypad digits (or Alt + keypad digits: Windows "Alt codes") when configured to
be independent of the layout. A person types the same keys ten times slower. The recogniser
holds characters back for a few tens of milliseconds: a fast run of at least ``min_chars``
characters ended by Enter is a scan (none of its keys, nor its Enter, reach the widget with
focus: not the group tag, not the user, and the Enter is not the operator's Apply); anything
slower is given back, in order, to be delivered as typed.

Qt-free: keys are plain values with the time they were pressed. Every gap is measured between
consecutive key presses of any kind, so the Shift or AltGr a scanner presses before a character
is part of its burst rather than the end of it (the old filter let a Shift press end the burst:
upper-case serials were never recognised). The caller feeds every key press to :meth:`key`,
delivers what :class:`KeyDecision` says, and calls :meth:`expire` when ``deadline`` passes with
no further key (a timer).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Key:
    """One key press. ``at``: seconds on one clock for all keys (a window system's event
    timestamp is best: keys that queued up while the window was busy keep their real gaps).
    ``text``: the character it types ("" for none). ``is_modifier``: the key types nothing and
    edits nothing by itself (Shift, Ctrl, Alt, AltGr, Meta, Caps Lock, Num Lock, or a keypad
    digit pressed while Alt composes an Alt code). ``is_enter``: Return or the keypad's Enter.
    ``tag``: the caller's own handle (where the key was going, its key code…), handed back."""

    at: float
    text: str = ""
    is_modifier: bool = False
    is_enter: bool = False
    auto_repeat: bool = False
    tag: object = field(default=None, compare=False)

    @property
    def is_character(self) -> bool:
        """A key that types one visible character (a scan is made of these)."""
        if self.is_modifier or self.is_enter or self.auto_repeat:
            return False
        return len(self.text) == 1 and self.text.isprintable()


@dataclass(frozen=True)
class KeyDecision:
    """What to do with one key press. ``replay``: keys held earlier, to deliver first, in order,
    where they were going. Then the key itself: dropped when ``swallow`` (held, or the Enter
    that ends a scan), else delivered as usual. ``scanned``: a complete scan (without Enter)."""

    swallow: bool
    replay: tuple[Key, ...] = ()
    scanned: str | None = None


class BurstRecogniser:
    """Turns scanner bursts into scans; gives every other key back in order.

    ``min_chars``: the shortest scan; ``max_gap_s``: the longest gap between two keys of a
    scan; ``enter_gap_s``: the longest gap before the Enter that ends one (scanners often
    pause before their suffix).
    """

    def __init__(
        self, *, min_chars: int = 6, max_gap_s: float = 0.030, enter_gap_s: float = 0.080
    ) -> None:
        self.min_chars = min_chars
        self.max_gap_s = max_gap_s
        self.enter_gap_s = max(enter_gap_s, max_gap_s)
        self._held: list[Key] = []
        self._last = 0.0  # when the last key (of any kind) of the held run was pressed

    @property
    def holding(self) -> int:
        """How many characters are held back right now."""
        return len(self._held)

    @property
    def deadline(self) -> float | None:
        """When (on the keys' clock) to call :meth:`expire` if no key comes before: a short
        run waits ``max_gap_s`` for its next key, a long one ``enter_gap_s`` for its Enter."""
        if not self._held:
            return None
        long_enough = len(self._held) >= self.min_chars
        return self._last + (self.enter_gap_s if long_enough else self.max_gap_s)

    def key(self, key: Key) -> KeyDecision:
        """Decide about one key press (presses only: releases follow their press)."""
        gap = key.at - self._last if self._held else float("inf")
        if key.is_enter:
            if self._held and len(self._held) >= self.min_chars and gap <= self.enter_gap_s:
                text = "".join(k.text for k in self._held)
                self._held.clear()
                return KeyDecision(True, scanned=text)
            return KeyDecision(False, self.expire())
        if key.is_modifier and not key.auto_repeat:
            if self._held and gap > self.max_gap_s:
                return KeyDecision(False, self.expire())
            if self._held:
                self._last = key.at  # Shift, AltGr, an Alt-code digit: part of the burst
            return KeyDecision(False)
        if not key.is_character:
            return KeyDecision(False, self.expire())  # arrows, Backspace, shortcuts: in order
        replay = self.expire() if self._held and gap > self.max_gap_s else ()
        self._held.append(key)
        self._last = key.at
        return KeyDecision(True, replay)

    def expire(self) -> tuple[Key, ...]:
        """No key came in time (or a key that ends a run did): give back what is held."""
        held, self._held = tuple(self._held), []
        return held
