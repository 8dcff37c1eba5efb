"""UserDirectory: $search with ConsistencyLevel on every page, startswith fallback, cache."""

from __future__ import annotations

from collections.abc import Callable

from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.users import UserDirectory, search_expression
from scanner_app.core.tenant_sim import SimulatedTenant

from .conftest import FakeClock


def user_requests(tenant: SimulatedTenant) -> list:
    return [r for r in tenant.requests if r.path == "/v1.0/users"]


def test_search_sends_consistency_level_and_count_on_every_page(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    directory = UserDirectory(client)
    found = directory.search("jo", limit=4)
    expected = [
        u["userPrincipalName"]
        for u in sim.users.values()
        if any(
            w.startswith("jo")
            for v in (u["displayName"], u["userPrincipalName"], u["mail"] or "")
            for w in v.lower().replace("@", " ").replace(".", " ").split()
        )
    ]
    assert [u.user_principal_name for u in found] == expected[:4]
    # Ask for more than one page holds, so the client must follow nextLink.
    pages = list(
        client.get_pages(
            "/users",
            {"$search": search_expression("a"), "$count": "true", "$top": 5},
            {"ConsistencyLevel": "eventual"},
        )
    )
    assert len(pages) > 1
    for request in user_requests(sim):
        assert request.header("ConsistencyLevel") == "eventual"
        assert request.query["$count"] == "true"


def test_search_asks_only_for_the_fields_the_picker_shows(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    UserDirectory(client).search("ada")
    query = user_requests(sim)[0].query
    assert query["$select"] == "id,displayName,userPrincipalName,mail,department"
    assert query["$top"] == "10"
    assert query["$search"] == ('"displayName:ada" OR "userPrincipalName:ada" OR "mail:ada"')


def test_without_consistency_level_graph_refuses_search(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    try:
        client.get("/users", {"$search": '"displayName:jo"'})
    except Exception as err:  # noqa: BLE001 - the exact type is checked below
        assert getattr(err, "status", None) == 400
        assert "ConsistencyLevel" in str(err)
    else:
        raise AssertionError("the tenant accepted $search without ConsistencyLevel")


def test_when_graph_refuses_search_startswith_is_used(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    user = next(iter(sim.users.values()))
    fragment = user["userPrincipalName"][:8]
    sim.faults.error(400, count=1, path="/v1.0/users")  # e.g. advanced queries unavailable
    found = UserDirectory(client).search(fragment)
    assert user["userPrincipalName"] in [u.user_principal_name for u in found]
    first, second = user_requests(sim)
    assert "$search" in first.query and "$search" not in second.query
    assert second.query["$filter"].startswith(f"startswith(displayName,'{fragment}')")


def test_quotes_in_the_text_are_escaped_both_ways(
    sim: SimulatedTenant, client: GraphClient
) -> None:
    assert UserDirectory(client).search('o\'neil "x"') == []
    search, fallback = user_requests(sim)
    assert search.query["$search"].startswith('"displayName:o\'neil \\"x\\""')
    assert "startswith(displayName,'o''neil \"x\"')" in fallback.query["$filter"]


def test_results_are_cached_briefly(
    sim: SimulatedTenant, make_client: Callable[..., GraphClient], clock: FakeClock
) -> None:
    directory = UserDirectory(make_client(sim), ttl=30, clock=clock)
    first = directory.search("Jo")
    assert directory.search("  jo ") == first
    assert len(user_requests(sim)) == 1
    clock.advance(31)
    directory.search("jo")
    assert len(user_requests(sim)) == 2


def test_a_big_directory_answers_the_first_page_in_one_request(
    make_tenant: Callable[..., SimulatedTenant], make_client: Callable[..., GraphClient]
) -> None:
    tenant = make_tenant(device_count=10, user_count=20_000)
    found = UserDirectory(make_client(tenant)).search("mar", limit=10)
    assert len(found) == 10
    assert len(user_requests(tenant)) == 1
