"""One table of device fields: the model, the ``$select``, the card's labels, the CLI's lines
and the simulated tenant's devices all agree with it, and with v1.0's contract."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import fields
from pathlib import Path
from typing import Any

from scanner_app.commands._tenant import device_text
from scanner_app.core import device_fields
from scanner_app.core.device_fields import CARD_CONTEXT, CARD_ROWS, DEVICE_FIELDS, PROFILE_ROW
from scanner_app.core.graph.autopilot import SELECT, AutopilotService
from scanner_app.core.models import AutopilotDevice, DeviceChange
from scanner_app.core.tenant_sim import seed
from scanner_app.core.tenant_sim.graph_rules import BETA_ONLY_PROPERTIES, V1_PROPERTIES

TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "scanner_app_de.ts"


def test_the_model_has_exactly_the_tables_fields_each_read_from_its_graph_name() -> None:
    attrs = [f.attr for f in DEVICE_FIELDS]
    assert len(set(attrs)) == len(attrs)
    assert sorted(attrs) == sorted(f.name for f in fields(AutopilotDevice))
    graph = {f.graph_name: f"value of {f.attr}" for f in DEVICE_FIELDS}
    device = AutopilotDevice.from_graph({**graph, "purchaseOrderIdentifier": "PO-1"})
    assert all(getattr(device, f.attr) == f"value of {f.attr}" for f in DEVICE_FIELDS)
    empty = AutopilotDevice.from_graph({"id": "d1", "serialNumber": None})
    assert empty == AutopilotDevice(id="d1", serial_number="")


def test_the_select_is_the_tables_properties_all_v1() -> None:
    assert SELECT.split(",") == [f.graph_name for f in DEVICE_FIELDS]
    assert set(SELECT.split(",")) <= V1_PROPERTIES  # pinned to the OpenAPI file by test_contract
    assert not set(SELECT.split(",")) & BETA_ONLY_PROPERTIES


def test_a_read_through_the_simulated_tenant_fills_every_field(tenant: Any, graph: Any) -> None:
    """The tenant validates the ``$select`` against the contract: a beta name would be a 400."""
    stored = next(iter(tenant.store.devices.values()))
    device = AutopilotService(graph).get(stored["id"])
    for f in DEVICE_FIELDS:
        assert getattr(device, f.attr) == str(stored[f.graph_name] or ""), f.attr


def test_changeable_fields_are_what_a_device_change_can_send() -> None:
    changeable = {f.attr for f in DEVICE_FIELDS if f.changeable}
    assert changeable == {f.name for f in fields(DeviceChange)}
    body = DeviceChange(**dict.fromkeys(changeable, "x")).to_graph()
    assert set(body) == {device_fields.GRAPH_NAMES[a] for a in changeable}


def test_card_rows_are_the_labelled_fields_in_order_then_the_profile() -> None:
    assert [r.key for r in CARD_ROWS] == [
        "model",
        "group_tag",
        "user_principal_name",
        "display_name",
        "enrollment_state",
        "last_contacted",
        "profile",
    ]
    assert CARD_ROWS[-1] == PROFILE_ROW and PROFILE_ROW.field is None
    assert all(r.field is not None and r.field.attr == r.key for r in CARD_ROWS[:-1])


def test_every_card_label_has_a_finished_german_translation_in_the_cards_context() -> None:
    done = {}
    for context in ET.parse(TS).getroot().iter("context"):
        if context.findtext("name") != CARD_CONTEXT:
            continue
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") is None and translation.text:
                done[message.findtext("source")] = translation.text
    missing = [r.label for r in CARD_ROWS if r.label not in done]
    assert not missing, "run: uv run python scripts/update_translations.py, then translate"
    assert all(done[r.label] != r.label for r in CARD_ROWS)  # German, not English copied


def test_seeded_devices_carry_every_field() -> None:
    for device in seed.make_devices(40, 1, seed.make_users(20)):
        assert {f.graph_name for f in DEVICE_FIELDS} <= set(device)


def test_the_cli_prints_the_tables_lines_as_it_always_did() -> None:
    device = AutopilotDevice(
        id="d1",
        serial_number="pf1abcde ",
        manufacturer="LENOVO",
        model="21HD003AUS",
        group_tag="Kiosk",
        enrollment_state="notContacted",
        last_contacted="0001-01-01T00:00:00Z",
    )
    assert device_text(device).split("\n") == [
        "  Serial       pf1abcde ",
        "  Id (ZtdId)   d1",
        "  Model        LENOVO 21HD003AUS",
        "  Group tag    Kiosk",
        "  User         (none)",
        "  Name         (none)",
        "  Enrollment   notContacted",
        "  Last contact 0001-01-01T00:00:00Z",
    ]
    bare = device_text(AutopilotDevice(id="d2", serial_number="X", model="Surface Pro 9"))
    assert "  Model        Surface Pro 9" in bare.split("\n")
    assert "  Enrollment   " in bare.split("\n")
