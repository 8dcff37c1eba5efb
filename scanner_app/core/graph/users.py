"""Type-ahead over the directory: display name, UPN and mail.

``$search`` (tokenised, prefix per word) finds "jo" in "Maria Jo Smith"; it needs the header
``ConsistencyLevel: eventual`` and ``$count=true``, and Graph does not carry the header into
``@odata.nextLink``, so ``get_pages`` sends it again on every page. When ``$search`` is refused
(400) or finds nothing, a ``startswith`` filter is tried: it matches UPN fragments such as
``jo.sm`` that word-tokenised search misses. Answers are cached briefly because a type-ahead
asks for the same prefixes again as the operator types and deletes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.errors import GraphError
from scanner_app.core.models import User

log = logging.getLogger(__name__)

SELECT = "id,displayName,userPrincipalName,mail,department"
SEARCH_PROPERTIES = ("displayName", "userPrincipalName", "mail")
EVENTUAL = {"ConsistencyLevel": "eventual"}


def search_expression(text: str) -> str:
    """``"displayName:t" OR "userPrincipalName:t" OR "mail:t"`` with ``"`` and ``\\`` escaped."""
    safe = text.replace("\\", "\\\\").replace('"', '\\"')
    return " OR ".join(f'"{prop}:{safe}"' for prop in SEARCH_PROPERTIES)


def startswith_filter(text: str) -> str:
    literal = "'" + text.replace("'", "''") + "'"
    return " or ".join(f"startswith({prop},{literal})" for prop in SEARCH_PROPERTIES)


class UserDirectory:
    """User search for the picker. ``ttl`` seconds of caching on ``clock``."""

    def __init__(
        self,
        client: GraphClient,
        *,
        ttl: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple[str, int], tuple[float, list[User]]] = {}

    def search(self, text: str, limit: int = 10) -> list[User]:
        text = " ".join(text.split())
        if not text or limit <= 0:
            return []
        key = (text.casefold(), limit)
        hit = self._cache.get(key)
        if hit and self.clock() - hit[0] < self.ttl:
            return list(hit[1])
        try:
            users = self._collect(
                {"$search": search_expression(text), "$count": "true"}, EVENTUAL, limit
            )
        except GraphError as err:
            if err.status != 400:
                raise
            log.info("user $search refused (%s); using startswith", err.code)
            users = []
        if not users:
            users = self._collect({"$filter": startswith_filter(text)}, {}, limit)
        self._cache[key] = (self.clock(), users)
        if len(self._cache) > 256:
            self._cache.pop(next(iter(self._cache)))
        return list(users)

    def _collect(self, params: dict[str, str], headers: dict[str, str], limit: int) -> list[User]:
        users: list[User] = []
        query = {**params, "$select": SELECT, "$top": str(min(limit, 999))}
        for page in self.client.get_pages("/users", query, headers):
            users.extend(User.from_graph(obj) for obj in page.get("value", []))
            if len(users) >= limit:
                break
        return users[:limit]
