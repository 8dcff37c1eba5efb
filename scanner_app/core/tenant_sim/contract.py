"""Check every exchange against Microsoft's OpenAPI description of Graph (where it has one).

openapi-core is a development dependency, so it is imported only when validation is switched
on. The file (Kiota-generated) carries two artefacts that no real Graph answer could satisfy or
that would let a wrong request through; both are corrected when it is loaded, and only those:

1. ``additionalProperties: {type: object}`` is how the generator marks OData *open* types. Read
   literally it rejects every string property of an ``allOf`` entity (``serialNumber`` is checked
   against ``entity``'s additionalProperties) and every ``innerError`` field. It becomes
   ``true`` (any value) everywhere...
2. ...except in the inline request bodies of *actions* (``updateDeviceProperties``, ``import``,
   ``assignUserToDevice``): Graph rejects unknown action parameters with 400, so there it
   becomes ``false``, and a request with a misspelt or invented property is a violation.

Graph accepts bound actions with or without the ``microsoft.graph.`` namespace; the file lists
only the qualified form, so an unqualified action segment is qualified before lookup.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

GRAPH_HOST = "https://graph.microsoft.com"
_ACTIONS = ("updateDeviceProperties", "assignUserToDevice", "unassignUserFromDevice", "import")
_ACTION_SEGMENT = re.compile(r"/(" + "|".join(_ACTIONS) + r")$")


def default_contract_path() -> Path | None:
    """The vendored copy in tests/contracts, or ../shared beside the repository."""
    root = Path(__file__).resolve().parents[3]
    for candidate in (
        root / "tests" / "contracts" / "DeviceManagement.Enrollment.yml",
        root.parent / "shared" / "contracts" / "graph-v1.0" / "DeviceManagement.Enrollment.yml",
    ):
        if candidate.is_file():
            return candidate
    return None


def _relax(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("additionalProperties") == {"type": "object"}:
            node["additionalProperties"] = True
        for value in node.values():
            _relax(value)
    elif isinstance(node, list):
        for value in node:
            _relax(value)


def prepare(spec: dict[str, Any]) -> dict[str, Any]:
    """Apply the two corrections described in the module docstring (in place)."""
    for item in spec.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict) or op.get("x-ms-docs-operation-type") != "action":
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            schema = body.get("schema", {})
            if schema.get("additionalProperties") == {"type": "object"}:
                schema["additionalProperties"] = False
    _relax(spec)
    return spec


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Any:
    import yaml
    from openapi_core import OpenAPI

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        spec = yaml.load(fh, Loader=loader)
    return OpenAPI.from_dict(prepare(spec))


class ContractValidator:
    """Validates v1.0 requests/responses; paths the file does not cover are not judged."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.api = _load(self.path)

    def _request(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> Any:
        from openapi_core.testing import MockRequest

        path = _ACTION_SEGMENT.sub(r"/microsoft.graph.\1", path)
        # Judge the Content-Type that was sent: a body without one matches no media type of the
        # operation (a violation), rather than being taken for the JSON the client meant.
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        return MockRequest(
            GRAPH_HOST,
            method,
            path,
            args=query,
            headers=headers,
            data=body or None,
            content_type=ctype.split(";")[0].strip().lower(),
        )

    def check_request(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> list[str]:
        if not path.startswith("/v1.0/"):
            return []
        req = self._request(method, path, query, headers, body)
        return self._errors(lambda: self.api.validate_request(req), f"{method} {path}")

    def check_response(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        status: int,
        response_body: bytes,
    ) -> list[str]:
        if not path.startswith("/v1.0/"):
            return []
        from openapi_core.testing import MockResponse

        req = self._request(method, path, query, headers, body)
        ctype = "application/json" if response_body else None
        resp = MockResponse(response_body, status_code=status, content_type=ctype)  # type: ignore[arg-type]
        return self._errors(
            lambda: self.api.validate_response(req, resp), f"{method} {path} -> {status}"
        )

    @staticmethod
    def _errors(run: Any, what: str) -> list[str]:
        from openapi_core.templating.paths.exceptions import (
            OperationNotFound,
            PathNotFound,
        )

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Unsupported scheme type" for the oauth2 scheme
            try:
                run()
            except (PathNotFound, OperationNotFound):
                return []
            except Exception as exc:  # every other openapi-core error is a violation
                return [f"{what}: {_describe(exc)}"]
        return []


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    details = [getattr(e, "message", str(e)) for e in getattr(cause, "schema_errors", ()) or ()]
    text = f"{type(exc).__name__}"
    if details:
        return text + ": " + "; ".join(details[:5])
    return text + ": " + str(exc)[:300]


def body_json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
