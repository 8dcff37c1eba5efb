"""Properties of the readings: any serial, in any of the documented wrappers, is found in at most
two requests; an Express Service Code and its tag convert both ways; a reading never invents
characters; readings that contain one another cost one request."""

from __future__ import annotations

import string
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scanner_app.core.graph.autopilot import AutopilotService, plan_lookup
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.models import Reading
from scanner_app.core.payload import (
    LETTERS_ONLY,
    express_service_code,
    normalise_serial,
    parse,
    service_tag,
)
from scanner_app.core.tenant_sim import SimulatedTenant
from tests.conftest import CONTRACT

from .label_table import device_id

ALNUM = string.ascii_uppercase + string.digits
#: Serials as makers make them: 5-20 letters and digits (letters only included).
serials = st.text(ALNUM, min_size=5, max_size=20)
#: A 10-character Lenovo machine type-model: digit, 3, 4, two letters (20S0CTO1WW).
mtms = st.tuples(
    st.sampled_from(string.digits), st.text(ALNUM, min_size=7, max_size=7),
    st.text(string.ascii_uppercase, min_size=2, max_size=2),
).map("".join)  # fmt: skip
GTIN = "09506000134352"
WRAPPERS = {
    "MH10.8.2 S": lambda s: "S" + s,
    "GS1 element string": lambda s: f"(01){GTIN}(21){s}",
    "GS1-128 with FNC1": lambda s: f"]C101{GTIN}21{s}",
    "GS1 Digital Link": lambda s: f"https://id.gs1.org/01/{GTIN}/21/{s}",
    "ISO/IEC 15434": lambda s: f"[)>\x1e06\x1d1PMGN63LL/A\x1dS{s}\x1e\x04",
    "labelled": lambda s: f"S/N: {s.lower()}",
}


@pytest.fixture(scope="module")
def tenant() -> Iterator[SimulatedTenant]:
    with SimulatedTenant(device_count=5, validate_contract=True, contract_path=CONTRACT) as sim:
        yield sim
        assert not sim.contract_violations, "\n".join(sim.contract_violations)


@pytest.fixture(scope="module")
def service(tenant: SimulatedTenant) -> AutopilotService:
    return AutopilotService(GraphClient(tenant.base_url, lambda: tenant.issue_token()))


def _register(tenant: SimulatedTenant, stored: str) -> str:
    template = next(iter(tenant.devices.values()))
    device = dict(template, id=device_id(stored), serialNumber=stored)
    tenant.store.add_device(device)
    return device["id"]


def _found(tenant: SimulatedTenant, service: AutopilotService, text: str) -> tuple[str, str]:
    before = len(tenant.requests)
    resolution = service.resolve(parse(text))
    assert len(tenant.requests) - before <= 2
    assert resolution.kind == "found", (text, resolution.describe())
    return resolution.devices[0].id, resolution.found_as


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(serial=serials, wrapper=st.sampled_from(sorted(WRAPPERS)))
def test_any_serial_in_any_wrapper_is_found(
    tenant: SimulatedTenant, service: AutopilotService, serial: str, wrapper: str
) -> None:
    assume(any(c.isdigit() for c in serial) or len(serial) in LETTERS_ONLY)
    assume(not serial.startswith(("S", "1S", "1P", "P")))  # a wrapper inside the serial
    stored = _register(tenant, serial)
    found, how = _found(tenant, service, WRAPPERS[wrapper](serial))
    assert found == stored
    if how:  # found through another reading than the first: it says which
        assert wrapper == "MH10.8.2 S" and "data identifier S" in how


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mtm=mtms, serial=st.text(ALNUM, min_size=8, max_size=8))
def test_any_lenovo_1s_code_finds_the_serial(
    tenant: SimulatedTenant, service: AutopilotService, mtm: str, serial: str
) -> None:
    stored = _register(tenant, serial)
    assert _found(tenant, service, f"1S{mtm}{serial}") == (stored, "")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tag=st.text(ALNUM, min_size=7, max_size=7).filter(lambda t: t[0] != "0"))
def test_an_express_service_code_finds_the_tag_and_says_so(
    tenant: SimulatedTenant, service: AutopilotService, tag: str
) -> None:
    stored = _register(tenant, tag)
    code = express_service_code(tag)
    found, how = _found(tenant, service, code)
    assert found == stored
    assert how == f"service tag {tag} from Express Service Code {code}"


@given(tag=st.text(ALNUM, min_size=7, max_size=7))
def test_express_service_code_and_service_tag_round_trip(tag: str) -> None:
    code = express_service_code(tag)
    assert int(code) == int(tag, 36)
    if 10 <= len(code) <= 11:  # the codes of 7-character tags (see payload.vendors.dell)
        assert service_tag(code) == tag


@given(number=st.integers(min_value=10**9, max_value=36**7 - 1))
def test_every_code_of_10_or_11_digits_is_a_tag_and_back(number: int) -> None:
    tag = service_tag(str(number))
    assert tag is not None and len(tag) == 7
    assert express_service_code(tag) == str(number)


PREFIXES = [
    "", "S", "1S", "1S20S0CTO1WW", "(01)09506000134352(21)", "S/N: ", "Service Tag: ",
    "https://id.gs1.org/01/09506000134352/21/", "[)>\x1e06\x1dS", "VMware-", "SN ",
]  # fmt: skip


def _subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(c in it for c in needle)


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(PREFIXES),
    tail=st.text(string.ascii_letters + string.digits + " -./#:_", max_size=40),
)
def test_a_reading_never_invents_characters(prefix: str, tail: str) -> None:
    """Every reading is made of the code's own characters, in their order (spaces and case
    aside); the one derived reading, an Express Service Code's tag, is that code converted."""
    text = prefix + tail
    squeezed = normalise_serial(text)
    for reading in parse(text).lookups:
        if reading.name == "service tag" and reading.source.startswith("Express Service Code"):
            assert express_service_code(reading.value) == str(int(reading.source.split()[-1]
                                                                  .replace("-", "")))  # fmt: skip
        else:
            assert _subsequence(reading.value.upper(), squeezed), (text, reading)


@given(serial=serials, extra=st.text(ALNUM, min_size=1, max_size=12))
def test_readings_that_contain_one_another_cost_one_request(serial: str, extra: str) -> None:
    readings = (Reading("serial", serial), Reading("serial", extra + serial))
    (step,) = plan_lookup(readings)
    assert step.literal == serial and step.covers == readings
