"""OData plumbing shared by the simulated Graph routes: replies, errors, paging, $select,
$expand."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, urlencode


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def odata_error(
    status: int,
    code: str,
    message: str,
    request_id: str,
    *,
    intune: bool = False,
    headers: dict[str, str] | None = None,
) -> Reply:
    """An ODataError body; ``intune`` wraps the message the way Intune services do."""
    if intune:
        message = json.dumps(
            {
                "_version": 3,
                "Message": f"{message} - Operation ID (for customer support): {uuid.uuid4()} - "
                f"Activity ID: {request_id} - Url: https://fef.msua06.manage.microsoft.com/"
                f"DeviceEnrollmentFE/StatelessDeviceEnrollmentFEService - Time: {now_iso()}",
                "CustomApiErrorPhrase": "",
                "RetryAfter": None,
                "ErrorSourceService": "",
                "HttpHeaders": "{}",
            }
        )
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": now_iso(),
                "request-id": request_id,
                "client-request-id": request_id,
            },
        }
    }
    return Reply(status, body, dict(headers or {}))


@dataclass
class Ctx:
    """One decoded request, as the route handlers see it."""

    method: str
    version: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    base_url: str
    request_id: str
    scopes: set[str]


def select(obj: dict[str, Any], select: str, expanded: Iterable[str] = ()) -> dict[str, Any]:
    """``obj`` with only the ``$select``ed properties; ``expanded`` relationships always stay."""
    if not select:
        return dict(obj)
    keep = {s.strip() for s in select.split(",")} | {"id", "@odata.type", *expanded}
    return {k: v for k, v in obj.items() if k in keep}


class ExpandError(ValueError):
    """A ``$expand`` Graph refuses; ``str()`` is Graph's message."""


def parse_expand(text: str, entity: str, navigation: tuple[str, ...]) -> dict[str, str]:
    """``$expand`` -> {relationship: its nested ``$select`` ("" for all)}.

    Accepts ``a,b`` and ``a($select=x,y)``, as OData v4 writes them. A name that is not a
    relationship of ``entity`` (in ``navigation``) raises ExpandError with the message Graph's
    OData library gives for it.
    """
    found: dict[str, str] = {}
    for item in _top_level_split(text):
        name, _, options = item.partition("(")
        name = name.strip()
        if not name:
            continue
        if name not in navigation:
            raise ExpandError(
                f"Could not find a property named '{name[:64]}' on type 'microsoft.graph.{entity}'."
            )
        nested = options.rstrip().removesuffix(")")
        key, _, value = nested.partition("=")
        if nested and key.strip() != "$select":
            raise ExpandError(f"The query option '{key.strip()[:32]}' is not supported in $expand.")
        found[name] = value.strip()
    return found


def _top_level_split(text: str) -> list[str]:
    """Split on commas outside parentheses: ``a($select=x,y),b`` -> ``a($select=x,y)``, ``b``."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def page(
    ctx: Ctx,
    items: list[dict[str, Any]],
    entity_set: str,
    top_max: int,
    page_size: int,
    view: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    expanded: Iterable[str] = (),
) -> Reply:
    """One page of ``items`` with ``@odata.count`` (on request) and an opaque nextLink.

    ``view`` turns each item on the page into what this version shows (beta adds properties
    and expanded relationships, which ``$select`` keeps: ``expanded``)."""
    try:
        top = min(int(ctx.query.get("$top", page_size)), top_max)
        offset = int(ctx.query.get("$skiptoken", "o0").lstrip("o") or 0)
    except ValueError:
        return odata_error(400, "BadRequest", "Invalid $top or $skiptoken.", ctx.request_id)
    top = max(top, 1)
    fields = ctx.query.get("$select", "")
    body: dict[str, Any] = {
        "@odata.context": f"{ctx.base_url}/{ctx.version}/$metadata#{entity_set}"
    }
    if ctx.query.get("$count", "").lower() == "true":
        body["@odata.count"] = len(items)
    shown = items[offset : offset + top]
    if view is not None:
        shown = [view(d) for d in shown]
    body["value"] = [select(d, fields, expanded) for d in shown]
    if offset + top < len(items):
        params = {k: v for k, v in ctx.query.items() if k != "$skiptoken"}
        params["$skiptoken"] = f"o{offset + top}"
        query = urlencode(params, quote_via=quote, safe="$'(),:@/")
        body["@odata.nextLink"] = f"{ctx.base_url}/{ctx.version}{ctx.path}?{query}"
    return Reply(200, body)
