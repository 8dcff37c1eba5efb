"""A simulated tenant (Graph subset + identity provider) served on loopback."""

from scanner_app.core.tenant_sim.server import RecordedRequest, SimulatedTenant

__all__ = ["RecordedRequest", "SimulatedTenant"]
