"""Reads: the simulated tenant refuses the queries Graph refuses, with Graph's answer (raw HTTP).

``$search`` on users without ``ConsistencyLevel: eventual``; ``$select``/``$expand`` naming what
this version's windowsAutopilotDeviceIdentity does not have; ``serialNumber eq``. Writes:
test_graph_rules.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.tenant_sim.graph_rules import BETA_ONLY_PROPERTIES, V1_PROPERTIES

from .raw_graph import BETA, V1, error, first, send


@pytest.fixture
def tenant() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(validate_contract=True, device_count=4, user_count=4) as t:
        yield t


def test_search_on_users_needs_consistency_level_eventual(tenant: SimulatedTenant) -> None:
    search = {"$search": '"displayName:a"'}
    assert error(send(tenant, "GET", "/v1.0/users", **search)) == (
        400,
        "Request_UnsupportedQuery",
        "Request with $search query parameter only works through MSGraph with a special "
        "request header: 'ConsistencyLevel: eventual'",
    )
    eventual = {"ConsistencyLevel": "eventual"}
    assert send(tenant, "GET", "/v1.0/users", None, eventual, **search).status_code == 200


def test_count_without_consistency_level_is_ignored_not_refused(tenant: SimulatedTenant) -> None:
    plain = send(tenant, "GET", "/v1.0/users", **{"$count": "true"})
    assert plain.status_code == 200 and "@odata.count" not in plain.json()
    eventual = {"ConsistencyLevel": "eventual"}
    counted = send(tenant, "GET", "/v1.0/users", None, eventual, **{"$count": "true"})
    assert counted.json()["@odata.count"] == 4


@pytest.mark.parametrize("prop", sorted(BETA_ONLY_PROPERTIES))
def test_a_beta_only_property_in_a_v1_select_is_refused(tenant: SimulatedTenant, prop: str) -> None:
    select = {"$select": f"id,groupTag,{prop}"}
    message = (
        "Parsing OData Select and Expand failed: Could not find a property named "
        f"'{prop}' on type 'microsoft.graph.windowsAutopilotDeviceIdentity'."
    )
    for path in (V1, f"{V1}/{first(tenant)}"):
        assert error(send(tenant, "GET", path, **select)) == (400, "BadRequest", message)
    for path in (BETA, f"{BETA}/{first(tenant)}"):
        assert send(tenant, "GET", path, **select).status_code == 200


def test_expand_names_a_navigation_property_of_this_version(tenant: SimulatedTenant) -> None:
    expand = {"$expand": "deploymentProfile($select=id,displayName)"}
    assert error(send(tenant, "GET", V1, **expand)) == (
        400,
        "BadRequest",
        "Parsing OData Select and Expand failed: Could not find a property named "
        "'deploymentProfile' on type 'microsoft.graph.windowsAutopilotDeviceIdentity'.",
    )
    assert send(tenant, "GET", f"{BETA}/{first(tenant)}", **expand).status_code == 200
    assert error(send(tenant, "GET", BETA, **{"$expand": "groupTag"})) == (
        400,
        "BadRequest",
        "Parsing OData Select and Expand failed: Property 'groupTag' on type "
        "'microsoft.graph.windowsAutopilotDeviceIdentity' is not a navigation property or "
        "complex property. Only navigation properties can be expanded.",
    )


def test_every_v1_property_can_be_selected(tenant: SimulatedTenant) -> None:
    reply = send(tenant, "GET", V1, **{"$select": ",".join(sorted(V1_PROPERTIES))})
    assert reply.status_code == 200 and reply.json()["value"]


def test_serial_number_eq_is_refused(tenant: SimulatedTenant) -> None:
    serial = tenant.devices[first(tenant)]["serialNumber"]
    reply = send(tenant, "GET", V1, **{"$filter": f"serialNumber eq '{serial}'"})
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "BadRequest"
