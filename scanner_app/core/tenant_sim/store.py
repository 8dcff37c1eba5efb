"""The simulated tenant's data: devices and users, with indexes and eventual consistency.

``devices`` and ``users`` are plain dicts (id -> Graph JSON) holding the *true* state, so tests
can read and arrange them directly. ``devices`` hold v1.0's properties only; what beta adds
(profile assignment, remediation) lives in ``profiles`` (see ``profiles.py``). What Graph
*shows* can lag behind: after a write, reads return the old snapshot until
``consistency_delay`` seconds have passed on ``clock`` (Intune is eventually consistent; the
app must verify by re-reading).

Substring and prefix searches run over one big joined string with ``str.find``, so
``contains(serialNumber,'x')`` on 100,000 devices costs well under a millisecond per hit.
"""

from __future__ import annotations

import bisect
import copy
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scanner_app.core.tenant_sim.profiles import ProfileBook

_TOKEN_SPLIT = re.compile(r"[^0-9a-z]+")


class SubstringIndex:
    """Case-insensitive substring / line-prefix search over many short strings."""

    def __init__(self, entries: Iterable[tuple[str, int]]) -> None:
        texts: list[str] = []
        self._starts: list[int] = []
        self._owners_list: list[int] = []
        pos = 1
        for text, owner in entries:
            line = text.casefold().replace("\n", " ")
            texts.append(line)
            self._starts.append(pos)
            self._owners_list.append(owner)
            pos += len(line) + 1
        self._text = "\n" + "\n".join(texts) + "\n"

    def _owners(self, positions: Iterable[int]) -> list[int]:
        found: list[int] = []
        seen: set[int] = set()
        for pos in positions:
            owner = self._owners_list[max(bisect.bisect_right(self._starts, pos) - 1, 0)]
            if owner not in seen:
                seen.add(owner)
                found.append(owner)
        return found

    def _find_all(self, needle: str) -> Iterator[int]:
        text, pos = self._text, 0
        while (pos := text.find(needle, pos)) >= 0:
            yield pos
            pos += 1

    def contains(self, needle: str) -> list[int]:
        needle = needle.casefold()
        return [] if not needle or "\n" in needle else self._owners(self._find_all(needle))

    def prefix(self, needle: str) -> list[int]:
        """Lines that start with ``needle``."""
        needle = needle.casefold()
        if "\n" in needle:
            return []
        return self._owners(p + 1 for p in self._find_all("\n" + needle))

    def word_prefix(self, needle: str) -> list[int]:
        """Lines with a word (after a non-alphanumeric or the line start) starting ``needle``."""
        needle = needle.casefold()
        if not needle or "\n" in needle:
            return []
        text = self._text  # str.find then a look back: much faster than a regex lookbehind
        return self._owners(p for p in self._find_all(needle) if not text[p - 1].isalnum())


def tokens(value: str) -> list[str]:
    """Words Graph's $search matches by prefix: the whole value and its alphanumeric parts."""
    low = value.casefold()
    return [low] + [t for t in _TOKEN_SPLIT.split(low) if t and t != low]


class TenantStore:
    """Devices, users and imports, guarded by one lock (the HTTP server is threaded)."""

    def __init__(
        self,
        devices: list[dict[str, Any]],
        users: list[dict[str, Any]],
        *,
        clock: Callable[[], float],
        consistency_delay: float = 0.0,
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.consistency_delay = consistency_delay
        self.devices: dict[str, dict[str, Any]] = {d["id"]: d for d in devices}
        self.users: dict[str, dict[str, Any]] = {u["id"]: u for u in users}
        self.imports: dict[str, dict[str, Any]] = {}
        self.applied: dict[str, int] = {}
        self._stale: dict[str, tuple[float, dict[str, Any]]] = {}
        self._serial_index: SubstringIndex | None = None
        self._serial_ids: list[str] = []
        self._user_index: dict[str, SubstringIndex] | None = None
        self._user_ids: list[str] = []
        #: Profile assignment (beta-only fields): moves on when a write changes a group tag.
        self.profiles = ProfileBook(self.devices, clock=clock)

    # -- devices ------------------------------------------------------------------------------
    def _device_index(self) -> tuple[SubstringIndex, list[str]]:
        if self._serial_index is None or len(self._serial_ids) != len(self.devices):
            self._serial_ids = list(self.devices)
            self._serial_index = SubstringIndex(
                (str(self.devices[i].get("serialNumber") or ""), n)
                for n, i in enumerate(self._serial_ids)
            )
        return self._serial_index, self._serial_ids

    def visible(self, device_id: str) -> dict[str, Any] | None:
        """The device as a read shows it now (possibly a stale snapshot)."""
        with self.lock:
            stale = self._stale.get(device_id)
            if stale is not None:
                if self.clock() < stale[0]:
                    return stale[1]
                del self._stale[device_id]
            return self.devices.get(device_id)

    def serial_contains(self, needle: str) -> list[dict[str, Any]]:
        with self.lock:
            index, ids = self._device_index()
            hits = [self.visible(ids[n]) for n in sorted(index.contains(needle))]
            return [d for d in hits if d is not None]

    def all_devices(self) -> list[dict[str, Any]]:
        with self.lock:
            return [d for i in self.devices if (d := self.visible(i)) is not None]

    def update_device(self, device_id: str, changes: dict[str, Any]) -> None:
        """Apply a write now; reads keep the old snapshot for ``consistency_delay`` seconds."""
        with self.lock:
            device = self.devices[device_id]
            if self.consistency_delay > 0:
                old = self._stale.get(device_id, (0.0, copy.deepcopy(device)))[1]
                self._stale[device_id] = (self.clock() + self.consistency_delay, old)
            old_tag = str(device.get("groupTag") or "")
            device.update(changes)
            self.applied[device_id] = self.applied.get(device_id, 0) + 1
            if "groupTag" in changes:
                self.profiles.tag_changed(device_id, old_tag, str(changes["groupTag"] or ""))

    def add_device(self, device: dict[str, Any]) -> None:
        """A newly registered device: its tag's profile is assigned after the usual delay."""
        with self.lock:
            self.devices[device["id"]] = device
            self.profiles.registered(device["id"])

    # -- users --------------------------------------------------------------------------------
    def _users_index(self) -> tuple[dict[str, SubstringIndex], list[str]]:
        if self._user_index is None or len(self._user_ids) != len(self.users):
            self._user_ids = list(self.users)
            self._user_index = {}
            for prop in ("displayName", "userPrincipalName", "mail"):
                self._user_index[prop] = SubstringIndex(
                    (str(self.users[uid].get(prop) or ""), n)
                    for n, uid in enumerate(self._user_ids)
                )
        return self._user_index, self._user_ids

    def search_users(self, clauses: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """OR of ``(property, word-prefix)`` clauses, in directory order."""
        with self.lock:
            index, ids = self._users_index()
            hits: set[int] = set()
            for prop, text in clauses:
                if prop in index:
                    hits.update(index[prop].word_prefix(text))
            return [self.users[ids[n]] for n in sorted(hits)]

    def users_startswith(self, clauses: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """OR of ``startswith(property, value)`` clauses (whole value, case-insensitive)."""
        with self.lock:
            wanted = [(p, v.casefold()) for p, v in clauses]
            return [
                u
                for u in self.users.values()
                if any(str(u.get(p) or "").casefold().startswith(v) for p, v in wanted)
            ]
