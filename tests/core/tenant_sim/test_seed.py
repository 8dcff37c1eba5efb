"""Seed data: deterministic, realistic shapes, and fast at 100,000."""

from __future__ import annotations

import json
import re
import time

from scanner_app.core.payload import normalise_serial
from scanner_app.core.tenant_sim import seed
from scanner_app.core.tenant_sim.store import SubstringIndex, TenantStore


def test_same_seed_same_tenant_other_seed_other_tenant() -> None:
    assert seed.make_devices(50, 3) == seed.make_devices(50, 3)
    assert seed.make_devices(50, 3) != seed.make_devices(50, 4)
    assert seed.make_users(30, 3) == seed.make_users(30, 3)


def test_serials_have_the_shapes_intune_holds() -> None:
    devices = seed.make_devices(400, 1, seed.make_users(50))
    by_maker: dict[str, list[str]] = {}
    for d in devices:
        by_maker.setdefault(
            d["model"] if d["model"] == "Virtual Machine" else d["manufacturer"], []
        ).append(normalise_serial(d["serialNumber"]))
    assert all(re.fullmatch(r"[0-9A-Z]{7}", s) for s in by_maker["Dell Inc."])
    assert all(re.fullmatch(r"PF[0-9A-Z]{6}", s) for s in by_maker["LENOVO"])
    assert all(re.fullmatch(r"5CG[0-9A-Z]{7}", s) for s in by_maker["HP"])
    assert all(re.fullmatch(r"\d{12}", s) for s in by_maker["Microsoft Corporation"])
    assert all(re.fullmatch(r"(\d{4}-){6}\d{2}", s) for s in by_maker["Virtual Machine"])
    raw = [d["serialNumber"] for d in devices]
    assert any(s != s.strip() for s in raw) and any(s.islower() for s in raw)
    serials = [normalise_serial(s) for s in raw]
    assert len(serials) - len(set(serials)) >= 2  # re-imported boards
    assert any(d["userPrincipalName"] for d in devices)
    assert {d["groupTag"] for d in devices} >= {"", "Sales", "Kiosk"}


def test_demo_labels_are_the_first_devices_of_the_tenant() -> None:
    labels = seed.demo_labels(12)
    devices = seed.make_devices(40, 1, seed.make_users(60))
    assert len(labels) == 12
    for label, device in zip(labels, devices[:12], strict=True):
        assert normalise_serial(label["serial"]) == normalise_serial(device["serialNumber"])
        assert (label["manufacturer"], label["model"]) == (device["manufacturer"], device["model"])
    ztd = [
        json.loads(lb["qr_text"])["BlockSequence"]
        for lb in labels
        if lb["qr_text"] and lb["qr_text"].startswith("{")
    ]
    assert ztd and all(b["ZtdId"] in {d["id"] for d in devices} for b in ztd)
    assert any(lb["qr_text"] == lb["serial"] for lb in labels)
    assert seed.demo_labels(12) == labels


def test_a_100000_device_tenant_seeds_and_searches_quickly() -> None:
    # CPU time, not wall time: the CI machine is shared, and this is about our cost.
    started = time.process_time()
    devices = seed.make_devices(100_000, 1)
    store = TenantStore(devices, [], clock=time.monotonic)
    target = normalise_serial(devices[77_777]["serialNumber"])
    hits = store.serial_contains(target)
    elapsed = time.process_time() - started
    assert devices[77_777] in hits
    assert elapsed < 5.0, elapsed
    started = time.process_time()
    for _ in range(20):
        store.serial_contains(target)
    assert (time.process_time() - started) / 20 < 0.02


def test_substring_index_maps_hits_to_owners() -> None:
    index = SubstringIndex([("Alpha", 0), ("beta", 1), ("ALPHABET", 2), ("gamma ray", 3)])
    assert index.contains("alpha") == [0, 2]
    assert index.contains("A") == [0, 1, 2, 3]
    assert index.prefix("bet") == [1]
    assert index.prefix("ray") == []
    assert index.contains("a\nb") == []
