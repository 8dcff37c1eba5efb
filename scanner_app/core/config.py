"""Settings: defaults in code, then the admin's machine-wide file, the user's TOML file,
``SCANNER_APP_*`` environment variables and command-line flags, each overriding the one before.

Every value is validated once, here; a bad value is reported with the key and where it came
from ("config.toml: graph_endpoint must be an https:// URL"), and nothing starts with it.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from scanner_app.core import paths
from scanner_app.core.config_text import MAX_CONFIG_BYTES, list_from_text, parse_config
from scanner_app.core.payload import PayloadRules

ENV_PREFIX = "SCANNER_APP_"
PUBLIC_CLOUD_AUTHORITY = "https://login.microsoftonline.com"
PUBLIC_CLOUD_GRAPH = "https://graph.microsoft.com"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DOMAIN = re.compile(
    r"^(?=.{3,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_TENANT_ALIASES = {"organizations", "common"}
#: The longest look-up deadline an admin may set: beyond it an operator gives up anyway.
MAX_LOOKUP_DEADLINE_S = 120.0
MAX_CARD_SETTLE_S = 5.0


class SettingsError(ValueError):
    """A setting has a value the app cannot use. ``key`` names it, ``source`` says where it was."""

    def __init__(self, key: str, message: str, source: str = "") -> None:
        self.key = key
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key} {message}")


@dataclass(frozen=True)
class Settings:
    """Everything the app can be told. Field names are the TOML keys."""

    tenant: str = ""
    client_id: str = ""
    authority_host: str = PUBLIC_CLOUD_AUTHORITY
    graph_endpoint: str = PUBLIC_CLOUD_GRAPH
    use_broker: bool = False
    read_only: bool = False
    demo: bool = False
    camera: str = "0"
    group_tags: tuple[str, ...] = ()
    allow_free_group_tag: bool = True
    name_template: str = ""
    payload_rules: tuple[str, ...] = ()
    sounds: bool = True
    language: str = ""
    log_level: str = "INFO"
    #: Seconds one look-up may take in all (requests, retries, waits) before the app says Graph
    #: is slow and shows the offline copy; writes are not limited by it.
    lookup_deadline_s: float = 20.0
    #: Seconds a device card must have been on screen, unchanged, before Enter applies to it
    #: (the next label is always close to the camera on a bench: the card may just have changed).
    card_settle_s: float = 0.8
    sources: tuple[str, ...] = field(default=(), compare=False)

    # ---- loading -------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        config_file: Path | str | None = None,
        env: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None,
        site_file: Path | None = None,
    ) -> Settings:
        """Build the settings in order of precedence and validate them.

        ``config_file`` replaces the user's file (``--config``); ``overrides`` are flag values
        (``None`` values are ignored, so argparse defaults do not mask the file).
        """
        env = os.environ if env is None else env
        merged: dict[str, Any] = {}
        origin: dict[str, str] = {}
        used: list[str] = []
        site = site_file if site_file is not None else paths.site_config_file()
        user = Path(config_file) if config_file else _user_file()
        if config_file and not Path(config_file).is_file():
            raise SettingsError("config", f"file not found: {config_file}", "--config")
        for path in (site, user):
            if path is not None and path.is_file():
                for key, value in _read_toml(path).items():
                    merged[key] = value
                    origin[key] = str(path)
                used.append(str(path))
        for f in fields(cls):
            name = ENV_PREFIX + f.name.upper()
            if f.name != "sources" and name in env:
                merged[f.name] = env[name]
                origin[f.name] = f"environment {name}"
        for key, value in (overrides or {}).items():
            if value is not None:
                merged[key] = value
                origin[key] = f"--{key.replace('_', '-')}"
        return cls.from_mapping(merged, origin, tuple(used))

    @classmethod
    def from_mapping(
        cls,
        values: Mapping[str, Any],
        origin: Mapping[str, str] | None = None,
        sources: tuple[str, ...] = (),
    ) -> Settings:
        origin = origin or {}
        known = {f.name: f for f in fields(cls) if f.name != "sources"}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                hint = _close_match(key, known)
                raise SettingsError(key, f"is not a setting{hint}", origin.get(key, ""))
            default = known[key].default
            kwargs[key] = _coerce(key, value, default, origin.get(key, ""))
        settings = cls(**kwargs, sources=sources)
        settings.validate(origin)
        return settings

    def replace(self, **changes: Any) -> Settings:
        updated = dataclasses.replace(self, **changes)
        updated.validate({})
        return updated

    # ---- validation ----------------------------------------------------------------------
    def validate(self, origin: Mapping[str, str]) -> None:
        def fail(key: str, message: str) -> SettingsError:
            return SettingsError(key, message, origin.get(key, ""))

        for key in ("authority_host", "graph_endpoint"):
            url = getattr(self, key)
            parsed = urlparse(url)
            if parsed.scheme != "https" and not (parsed.scheme == "http" and _loopback(parsed)):
                raise fail(key, f"must be an https:// URL (got {url!r})")
            if not parsed.hostname:
                raise fail(key, f"has no host name (got {url!r})")
        if self.client_id and not _GUID.match(self.client_id):
            raise fail(
                "client_id", "must be the app registration's Application (client) ID, a GUID"
            )
        tenant = self.tenant
        if tenant and not (
            _GUID.match(tenant) or _DOMAIN.match(tenant) or tenant in _TENANT_ALIASES
        ):
            raise fail("tenant", "must be a tenant ID (GUID) or a domain such as contoso.com")
        if not 1.0 <= self.lookup_deadline_s <= MAX_LOOKUP_DEADLINE_S:
            raise fail(
                "lookup_deadline_s",
                f"must be between 1 and {MAX_LOOKUP_DEADLINE_S:g} seconds "
                f"(got {self.lookup_deadline_s:g})",
            )
        if not 0.0 <= self.card_settle_s <= MAX_CARD_SETTLE_S:
            raise fail(
                "card_settle_s",
                f"must be between 0 and {MAX_CARD_SETTLE_S:g} seconds (got {self.card_settle_s:g})",
            )
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise fail("log_level", "must be DEBUG, INFO, WARNING or ERROR")
        try:
            PayloadRules.from_strings(self.payload_rules)
        except ValueError as exc:
            raise fail("payload_rules", f"cannot be used: {exc}") from None
        for tag in self.group_tags:
            if len(tag) > 200 or any(ord(c) < 32 for c in tag):
                raise fail("group_tags", f"has an unusable group tag {tag[:40]!r}")
        if (
            self.name_template
            and "%SERIAL%" not in self.name_template.upper()
            and ("%RAND:" not in self.name_template.upper())
        ):
            raise fail("name_template", "must contain %SERIAL% or %RAND:n% so names are unique")

    @property
    def needs_tenant(self) -> bool:
        """True when the app has not been told which real tenant to use."""
        return not self.demo and not (self.tenant and self.client_id)

    def to_toml_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "sources":
                continue
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def _user_file() -> Path | None:
    """The user's config file; None when its folder cannot even be made (so there is none):
    settings still load, and what needs the folder says so (paths.FolderError)."""
    try:
        return paths.config_file()
    except OSError:
        return None


def _read_toml(path: Path) -> dict[str, Any]:
    """The settings in ``path`` (UTF-8, or UTF-16 with a BOM: see ``config_text``); anything
    else is a SettingsError naming the file and what to do."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SettingsError("config", f"cannot be read: {reason}", str(path)) from None
    try:
        return parse_config(data)
    except ValueError as exc:
        raise SettingsError("config", str(exc), str(path)) from None


def _coerce(key: str, value: Any, default: Any, source: str) -> Any:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise SettingsError(key, f"must be true or false (got {value!r})", source)
    if isinstance(default, tuple):
        if isinstance(value, str):  # from the environment: see config_text.list_from_text
            try:
                value = list_from_text(key, value)
            except ValueError as exc:
                raise SettingsError(key, str(exc), source) from None
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise SettingsError(key, "must be a list of strings", source)
        return tuple(value)
    if isinstance(default, float):
        return _seconds(key, value, source)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise SettingsError(key, f"must be text (got {type(value).__name__})", source)
    return str(value).strip()


def _seconds(key: str, value: Any, source: str) -> float:
    """A number of seconds from TOML (int or float) or the environment (text)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise SettingsError(key, f"must be a number of seconds (got {value!r})", source)
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(key, f"must be a number of seconds (got {value!r})", source) from None
    if not math.isfinite(seconds):
        raise SettingsError(key, f"must be a number of seconds (got {value!r})", source)
    return seconds


def _loopback(parsed: Any) -> bool:
    return parsed.hostname in {"127.0.0.1", "localhost", "::1"}


def _close_match(key: str, known: Mapping[str, Any]) -> str:
    import difflib

    match = difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""
