"""Real labels, end to end: each row of ``label_table`` drawn in its maker's symbology, decoded
from the image, parsed, and looked up in a simulated tenant that stores the serials the way
Intune does (VM serials with their spaces): found, refused or not found, as the row says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanner_app.core.graph.autopilot import AutopilotService
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.payload import parse
from scanner_app.core.tenant_sim import SimulatedTenant
from scanner_app.core.vision.decoding import Decoder
from tests.conftest import CONTRACT

from .label_table import LABELS, Label, device_id, render

DEVICES = "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities"


@pytest.fixture(scope="module")
def tenant() -> Iterator[SimulatedTenant]:
    """The demo tenant (its 40 devices untouched) plus one device per serial in the table."""
    with SimulatedTenant(validate_contract=True, contract_path=CONTRACT) as sim:
        template = next(iter(sim.devices.values()))
        for stored in sorted({label.stored for label in LABELS if label.stored}):
            sim.store.add_device(dict(template, id=device_id(stored), serialNumber=stored))
        yield sim
        assert not sim.contract_violations, "\n".join(sim.contract_violations)


@pytest.fixture(scope="module")
def service(tenant: SimulatedTenant) -> AutopilotService:
    return AutopilotService(GraphClient(tenant.base_url, lambda: tenant.issue_token()))


def test_the_table_covers_every_maker_with_60_labels_or_more() -> None:
    makers = {label.maker for label in LABELS}
    assert len(LABELS) >= 60
    assert {"Dell", "HP", "Lenovo", "Apple", "Microsoft Surface", "Acer", "ASUS", "Panasonic",
            "Getac", "Virtual machine", "GS1", "Autopilot"} <= makers  # fmt: skip
    assert all(label.source for label in LABELS)


@pytest.mark.parametrize("label", LABELS, ids=str)
def test_a_label_is_decoded_parsed_and_found_or_refused(
    label: Label, tenant: SimulatedTenant, service: AutopilotService
) -> None:
    symbols = Decoder().decode(render(label))
    assert [(s.text, s.format) for s in symbols] == [(label.text, label.fmt)]
    target = parse(symbols[0].text)
    if label.refusal:
        assert target.kind == "rejected" and label.refusal in target.reason
        return
    assert target.usable, target.reason
    before = len(tenant.requests)
    resolution = service.resolve(target)
    assert len(tenant.requests) - before <= 2  # at most two requests, whatever the readings
    if label.stored is None:
        assert resolution.kind == "not_found"
        return
    assert resolution.kind == "found", resolution.describe()
    assert [d.id for d in resolution.devices] == [device_id(label.stored)]
    if label.via:
        assert label.via in resolution.found_as  # never found by a second reading unsaid
    else:
        assert resolution.found_as == ""
