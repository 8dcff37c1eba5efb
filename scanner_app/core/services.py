"""Wires the core together from Settings: the one place that knows how the pieces fit.

Demo mode starts the simulated tenant on loopback and talks to it over real HTTP with the real
client, so training mode exercises the same code paths as production.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner_app.core.config import Settings, SettingsError
from scanner_app.core.device_cache import CachedAutopilot, DeviceCache, GraphReadsRemembered
from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.users import UserDirectory
from scanner_app.core.journal.journal import Journal
from scanner_app.core.journal.tenants import open_tenant_journal
from scanner_app.core.outbox import Outbox
from scanner_app.core.workflow import Workflow

log = logging.getLogger(__name__)

DEMO_OPERATOR = "operator@contoso.example"
DEMO_TENANT = "contoso.example"
DEMO_CONSISTENCY_DELAY_S = 0.6


@dataclass
class Services:
    """Everything a front end (GUI or CLI) needs, already connected."""

    settings: Settings
    client: GraphClient
    autopilot: AutopilotService
    users: UserDirectory
    journal: Journal
    outbox: Outbox
    workflow: Workflow
    operator: str
    tenant_name: str
    simulator: Any = None  # the SimulatedTenant in demo mode
    auth: Any = None  # the Authenticator for a real tenant
    #: One line about the journal to show the operator: recovered from damage, or why changes
    #: cannot be recorded (then ``journal.problem`` is set and nothing is applied); else "".
    journal_notice: str = ""
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        while self._closers:
            try:
                self._closers.pop()()
            except Exception:  # closing must go on for the rest
                log.exception("error while closing services")

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_services(
    settings: Settings,
    *,
    journal_path: Path | None = None,
    device_code_prompt: Callable[[str], None] | None = None,
    simulator_options: dict[str, Any] | None = None,
    simulator: Any = None,
) -> Services:
    """Build the services for ``settings`` (demo or a real tenant).

    In demo mode a running ``simulator`` can be passed in (tests do); otherwise one is started
    here and stopped by ``close()``.
    """
    closers: list[Callable[[], None]] = []
    auth = None
    if settings.demo:
        if simulator is None:
            from scanner_app.core.tenant_sim import SimulatedTenant
            from scanner_app.core.tenant_sim.write_limit import INTUNE_WRITE_LIMIT

            # Like the real service: Intune's write limit, and a change that becomes visible
            # to reads a moment after it was accepted (eventual consistency).
            options = {
                "write_limit": INTUNE_WRITE_LIMIT,
                "consistency_delay": DEMO_CONSISTENCY_DELAY_S,
                **(simulator_options or {}),
            }
            simulator = SimulatedTenant(**options)
            simulator.start()
            closers.append(simulator.stop)
        base_url = simulator.base_url
        operator, tenant_name = DEMO_OPERATOR, DEMO_TENANT
        sim = simulator

        def token_provider(*, force_refresh: bool = False) -> str:
            return str(sim.issue_token(operator))
    else:
        if settings.needs_tenant:
            raise SettingsError(
                "tenant",
                "and client_id are needed for a real tenant: run with --demo, or set them "
                "(see docs/app-registration.md)",
            )
        from scanner_app.core.graph.auth import build_authenticator

        auth = build_authenticator(settings, device_code_prompt=device_code_prompt)
        token_provider = auth.token_provider
        base_url = settings.graph_endpoint
        operator = auth.username() or ""
        tenant_name = settings.tenant
    client = GraphClient(base_url, token_provider)
    closers.append(client.session.close)
    autopilot = AutopilotService(client)
    users = UserDirectory(client)
    cache = _device_cache(tenant_name)
    closers.append(cache.close)
    # Training has a journal of its own, each run filed as a tenant of its own (journal.tenants).
    # A journal that cannot record still opens (look-ups go on); its problem stops every apply.
    run = str(simulator.tokens.tenant_id) if settings.demo else None
    opened, filed_as = open_tenant_journal(tenant_name, run=run, path=journal_path)
    journal = opened.journal
    closers.append(journal.close)
    # The outbox verifies by re-reading Graph, so it never reads the cache; its re-reads only
    # refresh it (an offline look-up after a change shows the verified values). Look-ups may
    # fall back to recently seen devices (marked stale) while Graph is unreachable.
    outbox = Outbox(
        journal, GraphReadsRemembered(autopilot, cache), operator=operator, tenant=filed_as
    )
    deadline_s = settings.lookup_deadline_s  # a whole look-up, then the offline copy
    lookups = CachedAutopilot(
        autopilot, cache, lookup_deadline=lambda: client.read_deadline(deadline_s)
    )
    workflow = Workflow(lookups, users, outbox)
    return Services(
        settings=settings,
        client=client,
        autopilot=autopilot,
        users=users,
        journal=journal,
        outbox=outbox,
        workflow=workflow,
        operator=operator,
        tenant_name=tenant_name,
        simulator=simulator,
        auth=auth,
        journal_notice=opened.notice,
        _closers=closers,
    )


def _device_cache(tenant_name: str) -> DeviceCache:
    """The tenant's offline cache, or one in memory when its folder cannot be written (an
    unwritable home): look-ups work, nothing is remembered after the run."""
    try:
        return DeviceCache.for_tenant(tenant_name)
    except (OSError, sqlite3.Error) as exc:
        log.info("The offline device cache cannot be written (%s): this run only", exc)
        return DeviceCache(":memory:")


def settings_from_args(args: Any) -> Settings:
    """Settings from the config file, environment and the shared tenant flags of ``args``."""
    overrides = {
        "demo": True if getattr(args, "demo", False) else None,
        "tenant": getattr(args, "tenant", None),
        "client_id": getattr(args, "client_id", None),
        "authority_host": getattr(args, "authority_host", None),
        "graph_endpoint": getattr(args, "graph_endpoint", None),
        "camera": getattr(args, "camera", None),
        "log_level": getattr(args, "log_level", None),
    }
    return Settings.load(config_file=getattr(args, "config", None), overrides=overrides)
