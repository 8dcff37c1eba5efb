"""Deterministic seed data: Autopilot devices and users that look like a real tenant's.

Serial shapes follow what Intune really holds: Dell 7-character service tags, Lenovo ``PF``
serials, HP ``5CG`` serials, Surface 12-digit serials, Hyper-V virtual machines with hyphenated
30-character serials; some stored in lower case or with stray spaces (as firmware reported them),
and a couple of serials registered twice (a board swap re-imported). The first devices are fixed
in kind so ``demo_labels`` gives the synthetic camera a varied, stable set.
"""

from __future__ import annotations

import json
import random
import string
import uuid
from typing import Any

DOMAIN = "contoso.example"
GROUP_TAGS = ("Sales", "Engineering", "Kiosk", "Shared-Lab", "Finance", "Warehouse")
DEPARTMENTS = ("Sales", "Engineering", "Finance", "Operations", "IT", "Marketing", "Legal", "HR")
FIRST = (
    "Ada Alan Amelia Anna Ben Carla Chen David Elena Emma Farid Grace Hannah Ivan Jo Joan John "
    "Jonas Julia Karim Laura Leo Lucia Maria Mateo Mei Mia Noah Nora Olga Omar Paul Priya Rosa "
    "Sam Sara Sofia Tom Yara Zoe"
).split()
LAST = (
    "Andersen Baker Brown Chen Costa Dubois Evans Fischer Garcia Hansen Ito Jensen Johnson Kim "
    "Kowalski Larsen Lee Martin Meyer Moreau Nakamura Nguyen Novak Okafor Olsen Patel Rossi "
    "Schmidt Silva Smith Sousa Tanaka Taylor Weber Wilson Young"
).split()

#: Autopilot deployment profiles (beta: ``windowsAutopilotDeploymentProfile``). A real tenant
#: assigns them to dynamic device groups whose rule reads the group tag
#: (``device.devicePhysicalIds -any (_ -eq "[OrderID]:Kiosk")``); here that is ``TAG_PROFILES``.
PROFILES: tuple[dict[str, Any], ...] = (
    {
        "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
        "id": "5b0c7f3e-2a41-4d8e-9c6b-1f0e3a7d2c11",
        "displayName": "Kiosk",
        "description": "Single-app kiosk, no user sign-in",
        "deviceNameTemplate": "KIOSK-%RAND:5%",
        "deviceType": "windowsPc",
        "createdDateTime": "2025-11-03T09:12:00Z",
        "lastModifiedDateTime": "2026-01-20T14:40:00Z",
    },
    {
        "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
        "id": "8e2d4a6b-7c19-4f3a-b5e0-9d1c2b4a6e22",
        "displayName": "Staff laptop",
        "description": "User-driven, Entra ID joined",
        "deviceNameTemplate": "CTS-%SERIAL%",
        "deviceType": "windowsPc",
        "createdDateTime": "2025-11-03T09:12:00Z",
        "lastModifiedDateTime": "2026-01-20T14:40:00Z",
    },
    {
        "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
        "id": "c3f1e5a7-4b2d-4e6c-8a9f-0b7d5c3e1f33",
        "displayName": "Shared device",
        "description": "Self-deploying (needs TPM 2.0)",
        "deviceNameTemplate": "LAB-%RAND:6%",
        "deviceType": "windowsPc",
        "createdDateTime": "2025-11-03T09:12:00Z",
        "lastModifiedDateTime": "2026-01-20T14:40:00Z",
    },
)
#: Self-deploying profiles need TPM 2.0 attestation: a virtual machine's assignment fails
#: (``failed``, detailed status ``hardwareRequirementsNotMet``), as on a real tenant.
SELF_DEPLOYING = frozenset({"Shared device"})
#: Group tag -> the display name of the profile its dynamic group is assigned (casefolded tag).
#: A tag not listed here ("Warehouse", a bench's own tag) leads to no profile.
TAG_PROFILES = {
    "kiosk": "Kiosk",
    "sales": "Staff laptop",
    "engineering": "Staff laptop",
    "finance": "Staff laptop",
    "shared-lab": "Shared device",
}

# kind -> (manufacturer, [models], serial maker)
_ALNUM = string.ascii_uppercase + string.digits
_DELL_CHARS = "BCDFGHJKLMNPQRSTVWXYZ0123456789"


def _dell(rng: random.Random) -> str:
    tag = "".join(rng.choices(_DELL_CHARS, k=7))
    if not any(c.isdigit() for c in tag):
        # Real service tags carry digits; derive one from the tag itself so the random
        # stream (and every other seeded value) stays the same.
        tag = tag[:-1] + str(sum(map(ord, tag)) % 10)
    return tag


def _lenovo(rng: random.Random) -> str:
    return "PF" + "".join(rng.choices(_ALNUM, k=6))


def _hp(rng: random.Random) -> str:
    return "5CG" + str(2000 + rng.getrandbits(11) % 2000) + "".join(rng.choices(_ALNUM, k=3))


def _surface(rng: random.Random) -> str:
    return f"{rng.getrandbits(40) % 10**12:012d}"


def _hyperv(rng: random.Random) -> str:
    digits = f"{rng.getrandbits(90) % 10**26:026d}"
    return "-".join(digits[i : i + 4] for i in range(0, 24, 4)) + "-" + digits[24:]


KINDS: dict[str, tuple[str, tuple[str, ...], Any]] = {
    "dell": (
        "Dell Inc.",
        ("Latitude 5440", "Latitude 7440", "OptiPlex 7010", "Precision 3581"),
        _dell,
    ),
    "lenovo": ("LENOVO", ("21HD003AUS", "21K0001LMX", "20XW00K9GE"), _lenovo),
    "hp": ("HP", ("HP EliteBook 840 G10", "HP ProBook 450 G9", "HP Elite Mini 800 G9"), _hp),
    "surface": ("Microsoft Corporation", ("Surface Laptop 5", "Surface Pro 9"), _surface),
    "hyperv": ("Microsoft Corporation", ("Virtual Machine",), _hyperv),
}
#: The first devices, fixed in kind (and quirk) so demo labels are varied and stable.
_FIRST = (
    ("dell", ""),
    ("lenovo", ""),
    ("hp", ""),
    ("surface", ""),
    ("dell", "lower"),
    ("lenovo", ""),
    ("hyperv", ""),
    ("hp", "space"),
    ("dell", ""),
    ("lenovo", "lower"),
    ("surface", ""),
    ("hp", ""),
)
_WEIGHTED = ["dell"] * 4 + ["lenovo"] * 3 + ["hp"] * 3 + ["surface"] * 2 + ["hyperv"]


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:]}"


def _when(rng: random.Random) -> str:
    r = rng.getrandbits(32)
    month, day, hour, minute = 1 + r % 10, 1 + (r >> 4) % 28, (r >> 9) % 24, (r >> 14) % 60
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00Z"


def make_users(count: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(f"users-{seed}")
    users: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        base = f"{first}.{last}".lower()
        n = seen.get(base, 0)
        seen[base] = n + 1
        upn = f"{base}{n if n else ''}@{DOMAIN}"
        users.append(
            {
                "id": _uuid(rng),
                "displayName": f"{first} {last}",
                "userPrincipalName": upn,
                "mail": upn if i % 9 else None,
                "department": rng.choice(DEPARTMENTS),
                "jobTitle": None,
            }
        )
    return users


def make_devices(
    count: int, seed: int = 1, users: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    rng = random.Random(f"devices-{seed}")
    assign = random.Random(f"assign-{seed}")  # separate, so labels don't depend on users
    devices: list[dict[str, Any]] = []
    for i in range(count):
        kind, quirk = _FIRST[i] if i < len(_FIRST) else (_WEIGHTED[rng.getrandbits(16) % 13], "")
        manufacturer, models, maker = KINDS[kind]
        serial = maker(rng)
        if quirk == "lower" or (not quirk and i >= len(_FIRST) and rng.random() < 0.03):
            serial = serial.lower()
        if quirk == "space" or (not quirk and i >= len(_FIRST) and rng.random() < 0.02):
            serial = serial + " "
        bits = rng.getrandbits(24)
        contacted = bits % 10 < 6
        upn = ""
        if users and assign.random() < 0.35:
            upn = assign.choice(users)["userPrincipalName"]
        devices.append(
            {
                "@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity",
                "id": _uuid(rng),
                "groupTag": GROUP_TAGS[(bits >> 4) % 6] if (bits >> 8) % 10 < 7 else "",
                "purchaseOrderIdentifier": f"PO-{10000 + rng.getrandbits(17) % 90000}",
                "serialNumber": serial,
                "productKey": "",
                "manufacturer": manufacturer,
                "model": models[(bits >> 12) % len(models)],
                "enrollmentState": "enrolled" if contacted else "notContacted",
                "lastContactedDateTime": _when(rng) if contacted else "0001-01-01T00:00:00Z",
                "addressableUserName": upn.split("@")[0].replace(".", " ").title() if upn else "",
                "userPrincipalName": upn,
                "resourceName": "",
                "skuNumber": "",
                "systemFamily": "",
                "azureActiveDirectoryDeviceId": _uuid(rng),
                "managedDeviceId": "00000000-0000-0000-0000-000000000000",
                "displayName": "",
            }
        )
    # A board swap re-imported under the same serial: two records, one serial.
    for src, dst in ((1, 37), (23, 61)):
        if dst < count:
            devices[dst]["serialNumber"] = devices[src]["serialNumber"]
            devices[dst]["manufacturer"] = devices[src]["manufacturer"]
            devices[dst]["model"] = devices[src]["model"]
    return devices


def demo_labels(n: int = 12, seed: int = 1) -> list[dict[str, Any]]:
    """What the synthetic camera prints: the first ``n`` devices of the seeded tenant.

    Every third label carries the Autopilot pre-provisioning QR (BlockSequence with the ZtdId);
    the others a QR holding the serial, except every fifth, which has no QR at all.
    """
    labels = []
    for i, dev in enumerate(make_devices(max(n, 0), seed)):
        serial = dev["serialNumber"].strip().upper()
        qr: str | None = serial
        if i % 3 == 2:
            qr = json.dumps(
                {
                    "BlockSequence": {
                        "Id": str(uuid.UUID(int=i + 1)),
                        "ZtdId": dev["id"],
                        "PKID": "",
                        "SerialNumber": "",
                        "HardwareId": "",
                        "SequenceBlockNumber": 1,
                        "TotalBlocks": 1,
                    }
                }
            )
        elif i % 5 == 4:
            qr = None
        labels.append(
            {
                "serial": serial,
                "qr_text": qr,
                "manufacturer": dev["manufacturer"],
                "model": dev["model"],
                "ztd_id": dev["id"],
            }
        )
    return labels
