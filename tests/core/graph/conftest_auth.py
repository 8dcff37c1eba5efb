"""Sign-in test helpers: a controllable clock, a scripted browser and a started identity provider.

Imported explicitly by the sign-in tests (not a conftest.py, so other engineers' fixtures stay
untouched). Nothing here replaces our own code: the real MSAL talks HTTPS to the real simulated
identity provider, and the "browser" is a few requests calls doing what a browser does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import requests

from scanner_app.core.graph.auth import Authenticator, graph_scopes
from scanner_app.core.models import User
from scanner_app.core.tenant_sim.identity import DEMO_CLIENT_ID, SimulatedIdentityProvider
from scanner_app.core.tenant_sim.tokens import TokenIssuer

ADA = User("1f0c1d9e-0000-4000-8000-00000000a0a0", "Ada Operator", "ada@contoso.example")
BOB = User("1f0c1d9e-0000-4000-8000-00000000b0b0", "Bob Bench", "bob@contoso.example")
GUEST = User(
    "1f0c1d9e-0000-4000-8000-00000000c0c0",
    "Gus Guest",
    "gus_fabrikam.example#EXT#@contoso.example",
)
GRAPH = "https://graph.microsoft.com"


class Clock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action") or ""
        elif tag == "input" and a.get("name"):
            self.fields[str(a["name"])] = a.get("value") or ""


@dataclass
class ScriptedBrowser:
    """Opens the sign-in URL like a browser would: GET the IdP page, then submit its form_post
    to the app's loopback listener. ``visited`` keeps each URL opened."""

    ca_bundle: str
    visited: list[str] = field(default_factory=list)
    before_submit: Callable[[], None] | None = None

    def __call__(self, url: str) -> bool:
        self.visited.append(url)
        page = requests.get(url, verify=self.ca_bundle, timeout=10)
        form = _FormParser()
        form.feed(page.text)
        if not form.action:
            return True  # an error page: a person would read it and close the tab
        if self.before_submit is not None:
            self.before_submit()
        requests.post(form.action, data=form.fields, timeout=10)
        return True


@dataclass
class SignInRig:
    """One simulated IdP plus a factory for Authenticators sharing one cache file."""

    idp: SimulatedIdentityProvider
    clock: Clock
    cache_path: Path
    browser: ScriptedBrowser
    waits: list[float] = field(default_factory=list)
    prompts: list[Any] = field(default_factory=list)

    def authenticator(
        self,
        *,
        client_id: str = DEMO_CLIENT_ID,
        authority: str | None = None,
        scopes: list[str] | None = None,
        **options: Any,
    ) -> Authenticator:
        settings: dict[str, Any] = {
            "verify": self.idp.ca_bundle_path,
            "open_browser": self.browser,
            "on_device_code": self.prompts.append,
            "wait": self.waits.append,
            "encrypt_cache": False,
            **options,
        }
        return Authenticator(
            client_id,
            authority or self.idp.authority,
            scopes or graph_scopes(GRAPH),
            self.cache_path,
            **settings,
        )


def make_rig(tmp_path: Path) -> Iterator[SignInRig]:
    """Body of the ``rig`` fixture each sign-in test module declares."""
    clock = Clock()
    idp = SimulatedIdentityProvider(TokenIssuer(clock=clock), [ADA, BOB, GUEST])
    idp.start()
    try:
        yield SignInRig(
            idp, clock, tmp_path / "msal-cache.bin", ScriptedBrowser(idp.ca_bundle_path)
        )
    finally:
        idp.stop()
