"""Simulated ``GET /users``: ``$search``, ``startswith``, paging.

Whether ``$search`` came with ``ConsistencyLevel: eventual`` is checked in graph_rules.py."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from scanner_app.core.tenant_sim.odata import Ctx, Reply, odata_error, page
from scanner_app.core.tenant_sim.store import TenantStore, tokens

_LITERAL = r"'((?:[^']|'')*)'"
_STARTSWITH = re.compile(r"startswith\(\s*(\w+)\s*,\s*" + _LITERAL + r"\s*\)")
_STARTSWITH_ALL = re.compile(
    r"^\s*" + _STARTSWITH.pattern + r"(\s+or\s+" + _STARTSWITH.pattern + r")*\s*$"
)
_SEARCH_CLAUSE = re.compile(r'"((?:[^"\\]|\\.)*)"')


class UsersApi:
    """Mixed into GraphApi: the directory half of the simulated Graph."""

    store: TenantStore
    page_size: int

    def list_users(self, ctx: Ctx) -> Reply:
        # $search without ConsistencyLevel: eventual never gets here (graph_rules.py refuses it).
        # $count=true without it is silently ignored: no @odata.count ("Error handling for
        # advanced queries on directory objects", Microsoft Graph docs).
        if ctx.headers.get("consistencylevel", "").lower() != "eventual":
            ctx = replace(ctx, query={k: v for k, v in ctx.query.items() if k != "$count"})
        search = ctx.query.get("$search", "")
        flt = ctx.query.get("$filter", "")
        if search:
            clauses = _parse_search(search)
            if clauses is None:
                return odata_error(
                    400,
                    "Request_UnsupportedQuery",
                    "Syntax error: invalid $search expression.",
                    ctx.request_id,
                )
            found = self._search(clauses)
        elif flt:
            if not _STARTSWITH_ALL.match(flt):
                return odata_error(
                    400,
                    "Request_UnsupportedQuery",
                    "Unsupported or invalid query filter clause.",
                    ctx.request_id,
                )
            clauses = [(p, v.replace("''", "'")) for p, v in _STARTSWITH.findall(flt)]
            found = self.store.users_startswith(clauses)
        else:
            found = list(self.store.users.values())
        return page(ctx, found, "users", 999, self.page_size)

    def _search(self, clauses: list[tuple[str, str]]) -> list[dict[str, Any]]:
        hits: dict[str, dict[str, Any]] = {}
        for prop, value in clauses:
            props = [prop] if prop else ["displayName", "userPrincipalName", "mail"]
            for p in props:
                words = tokens(value)[1:] or [value]
                match = {u["id"]: u for u in self.store.search_users([(p, value)])}
                if len(words) > 1:
                    sets = [{u["id"] for u in self.store.search_users([(p, w)])} for w in words]
                    both = set.intersection(*sets)
                    match.update({i: self.store.users[i] for i in both})
                hits.update(match)
        return [u for uid, u in self.store.users.items() if uid in hits]


def _parse_search(text: str) -> list[tuple[str, str]] | None:
    """``"displayName:jo" OR "mail:jo"`` -> [(property, value)]; None if it does not parse."""
    clauses = _SEARCH_CLAUSE.findall(text)
    rest = _SEARCH_CLAUSE.sub("", text).replace("OR", "").replace("AND", "").strip()
    if not clauses or rest:
        return None
    out = []
    for clause in clauses:
        clause = re.sub(r"\\(.)", r"\1", clause)
        prop, sep, value = clause.partition(":")
        out.append((prop, value) if sep and prop.isidentifier() else ("", clause))
    return out
