"""Label payloads from real devices, by maker, each with the source of its form.

Every row is a code as the maker prints it (or as Windows reports a VM's serial, for the
virtual machines), the symbology it is printed in, and what the app must make of it: the device
it finds (by the serial as Intune stores it, ``stored``), a refusal (``refusal``: words of the
reason), or nothing found. ``via`` holds words of ``Resolution.found_as`` when the device is
found through a reading other than the code's first (an Express Service Code's tag).

Symbologies: Dell service tag labels carry Code 128 (ptouchman.blogspot.com, "Mysterious
unscannable barcode on my service tag": "one that would scan that was Code 128"); Lenovo serial
labels Code 128 (Lenovo support HT001005, X100e: "Enable CODE 128"); Apple service barcodes
Code 128 (AppleInsider, 2006-04-10); Acer's S/N "Barcode Type: Code 128" (Acer service guides);
GS1 data GS1-128 / GS1 DataMatrix and Digital Link URLs QR (GS1 General Specifications, GS1
Digital Link standard); ISO/IEC 15434 envelopes 2D symbols; the Autopilot pre-provisioning
screen a QR code (../shared/contracts/README.md). Where a maker names no symbology (HP, Microsoft,
ASUS, Getac, Panasonic, MSI), Code 128 or Code 39 stands in, as on the others' labels; VM serials
have no label, so a QR code (an admin's printed sheet) carries them.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

_NAMESPACE = uuid.UUID("3f5c9a1e-7b2d-4c6e-8f90-a1b2c3d4e5f6")


def device_id(stored: str) -> str:
    """The simulated tenant's id of the device whose serial is ``stored``."""
    return str(uuid.uuid5(_NAMESPACE, stored))


@dataclass(frozen=True)
class Label:
    maker: str
    fmt: str  # zxing-cpp BarcodeFormat name
    text: str
    source: str
    stored: str | None = None  # found: the device's serialNumber as Intune stores it
    via: str = ""  # found through a second reading: words of Resolution.found_as
    refusal: str = ""  # refused: words of the reason
    gs1: bool = False  # rendered with FNC1 (GS1-128 / GS1 DataMatrix)

    @property
    def expect(self) -> str:
        return "found" if self.stored else ("refused" if self.refusal else "not found")

    def __str__(self) -> str:
        return f"{self.maker}: {self.text[:40]!r}"


def block_sequence(ztd: str = "", serial: str = "", hardware: str = "") -> str:
    """The Autopilot pre-provisioning QR payload (contracts README)."""
    fields = {"Id": "fff91cde-79a4-4653-9d04-8714577d9603", "ZtdId": ztd, "PKID": "",
              "SerialNumber": serial, "HardwareId": hardware, "SequenceBlockNumber": 1,
              "TotalBlocks": 1}  # fmt: skip
    return json.dumps({"BlockSequence": fields})


DELL = "Dell"
SRC_DELL_TAG = "Dell document 335407: the service tag acts like a serial number"
SRC_DELL_ESC = "creativyst.com: tag 5RFDP01 = Express Service Code 125-423-316-01 (base 36 -> 10)"
SRC_ISSUE = "issue 15: a 7-character tag of digits and letters often has no digit"
HP = "HP"
SRC_HP_SERIAL = "HP 'How to decode a PSG HP serial number': CC S YWW ZZZZ, 10 characters"
SRC_HP_PRODUCT = "HP ZBook x2 service guide: product identification, 'SKU# ... #ABA, #ABM'"
LENOVO = "Lenovo"
SRC_1S = "ThinkPad HMD: serial string 1STTTTMMMMCCSSSSSSSS (1S, 10-char MTM, 8-char serial)"
SRC_1S_OLD = "ThinkPad HMMs / thinkpads.com: 7-character MTM (3680WZQ) and 7-character serial"
SRC_IDEAPAD = "Lenovo HT070934: IdeaPad serial, 2 letters + 8 digits (EB01570001)"
APPLE = "Apple"
SRC_DI = "ANSI MH10.8.2 data identifiers (ECIA): S serial number, 1P supplier part number"
SRC_APPLE = "Apple serials: 11/12 characters (peniya.com), random 10 since 2021 (MacRumors)"
SRC_15434 = "ISO/IEC 15434 format 06 envelope with MH10.8.2 data identifiers"
SURFACE = "Microsoft Surface"
SRC_SURFACE = "Surface label: 'a 12 digit number listed right below the word Surface'"
ACER = "Acer"
SRC_ACER = "Acer service guide: S/N 22 characters PPPPPPPPPPWWWSSSSSMMEE, Code 128"
SRC_SNID = "Acer 'Understanding Acer FG SNID': YWW + SSSSS in decimal + maker code"
ASUS = "ASUS"
SRC_ASUS = "ASUS (Tom's Hardware forum): serial numbers 10-15 characters"
PANASONIC = "Panasonic"
SRC_PANA = "no Panasonic serial description found: the plain rule; model numbers CF-SV1RDG3TW"
GETAC = "Getac"
SRC_GETAC = "Getac KB 'Serial number logic': RK903V1477"
MSI = "MSI"
SRC_MSI = "MSI FAQ 4759: serials K1601N0000001 and 'GT72S 6QF-017JPK...' (spaces required)"
VM = "Virtual machine"
SRC_VMWARE = "VMware 'Modifying the SMBIOS UUID': 16 hex pairs, spaces, dash after the 8th"
SRC_VMWARE_GUEST = "enterpriseadmins.org: guest serial 'VMware-42 02 30 81 ...'"
SRC_HYPERV = "Microsoft (J. Howard): Hyper-V BIOS serial XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XX"
SRC_PARALLELS = "field reports (no Parallels documentation found): Parallels- + 16 hex pairs"
GS1 = "GS1"
SRC_GS1 = "GS1 General Specifications 3.2: AI 21 serial number, AI 01 GTIN"
SRC_DL = "GS1 Digital Link URI Syntax 1.2: /01/<GTIN>[/10/<batch>]/21/<serial>"
AUTOPILOT = "Autopilot"
SRC_AP = "contracts README: pre-provisioning QR BlockSequence; ZtdId = the device's id"

VMWARE_1 = "VMware-56 4d 2f 1a 3b 5c 6d 7e-8f 90 a1 b2 c3 d4 e5 f6"
VMWARE_2 = "VMware-42 02 30 81 33 1b 58 e1-27 30 ca 56 07 89 e5 51"
PARALLELS = "Parallels-ca 9f 3b 8f 41 6b 4d 8a a8 1e 4f 73 93 4c 1a 3b"
HYPER_V = "0000-0012-3456-7890-1234-5678-90"
ACER_SN = "NXHQ7EK0011220100C7600"  # part NXHQ7EK001, week 122, serial 0100C, maker 76, eng 00
ACER_SNID = "12200410876"  # 122 + 0x0100C = 004108 + maker code

LABELS: tuple[Label, ...] = (
    # --- Dell ----------------------------------------------------------------------------
    Label(DELL, "Code128", "5RFDP01", SRC_DELL_TAG, stored="5RFDP01"),
    Label(DELL, "Code128", "DRFHTLG", SRC_ISSUE, stored="DRFHTLG"),
    Label(DELL, "Code39", "HXTZ9Q2", SRC_DELL_TAG, stored="HXTZ9Q2"),
    Label(DELL, "Code128", "12542331601", SRC_DELL_ESC, stored="5RFDP01", via="service tag"),
    Label(DELL, "Code128", "125-423-316-01", SRC_DELL_ESC, stored="5RFDP01", via="Express Service"),
    Label(DELL, "QRCode", "Express Service Code: 17266573803", SRC_DELL_ESC, stored="7XK2LM3"),
    Label(
        DELL,
        "QRCode",
        "https://www.dell.com/support/home/en-us/product-support/servicetag/7xk2lm3/overview",
        "Dell support link: /product-support/servicetag/<tag>",
        stored="7XK2LM3",
    ),  # fmt: skip
    Label(DELL, "QRCode", "Service Tag: 7XK2LM3", SRC_DELL_TAG, stored="7XK2LM3"),
    # --- HP ------------------------------------------------------------------------------
    Label(HP, "Code128", "CND24917QZ", SRC_HP_SERIAL, stored="CND24917QZ"),
    Label(HP, "Code39", "5CG2061KTR", SRC_HP_SERIAL, stored="5CG2061KTR"),
    Label(
        HP,
        "QRCode",
        "S/N: 5CG2061KTR",
        "HP service guides: 'Serial number (s/n)'",
        stored="5CG2061KTR",
    ),  # fmt: skip
    Label(HP, "Code128", "4Y2M8UT#ABA", SRC_HP_PRODUCT, refusal="HP product number"),
    Label(HP, "Code128", "E3U85UT#ABA", SRC_HP_PRODUCT, refusal="HP product number"),
    Label(HP, "QRCode", "Product number: 4Y2M8UT#ABA", SRC_HP_PRODUCT, refusal="product number"),
    # --- Lenovo --------------------------------------------------------------------------
    Label(LENOVO, "Code128", "1S20S0CTO1WWPF1ABCDE", SRC_1S, stored="PF1ABCDE"),
    Label(LENOVO, "Code128", "1S21HD003AUSPF4KX9QZ", SRC_1S, stored="PF4KX9QZ"),
    Label(LENOVO, "Code128", "1S2516CTOL3A1234", SRC_1S_OLD, stored="L3A1234"),
    Label(LENOVO, "Code128", "PF1ABCDE", SRC_1S, stored="PF1ABCDE"),
    Label(
        LENOVO,
        "Code128",
        "MPHJKLQR",
        "Lenovo serials: letters and digits; none is a rule",
        stored="MPHJKLQR",
    ),  # fmt: skip
    Label(LENOVO, "Code128", "EB01570001", SRC_IDEAPAD, stored="EB01570001"),
    Label(
        LENOVO,
        "QRCode",
        "S/N PF4KX9QZ",
        "Lenovo HT070934: 'the number after S/N'",
        stored="PF4KX9QZ",
    ),  # fmt: skip
    Label(LENOVO, "Code128", "MTM: 20S0CTO1WW", SRC_1S, refusal="machine type-model"),
    Label(LENOVO, "Code128", "1P20S0CTO1WW", SRC_DI, refusal="part number"),
    # --- Apple ---------------------------------------------------------------------------
    Label(APPLE, "Code128", "SC02XL0GHJGH5", SRC_DI, stored="C02XL0GHJGH5"),
    Label(APPLE, "Code128", "SFVFXC2ABJ1WK", SRC_APPLE, stored="FVFXC2ABJ1WK"),
    Label(APPLE, "Code128", "SK7QW2Y9PLM", SRC_APPLE, stored="K7QW2Y9PLM"),
    Label(APPLE, "Code128", "W8812ABCDEF", SRC_APPLE, stored="W8812ABCDEF"),
    Label(APPLE, "Code128", "1PMGN63LL/A", SRC_DI, refusal="part number"),
    Label(
        APPLE,
        "DataMatrix",
        "[)>\x1e06\x1dSC02XL0GHJGH5\x1d1PMGN63LL/A\x1e\x04",
        SRC_15434,
        stored="C02XL0GHJGH5",
    ),  # fmt: skip
    Label(APPLE, "QRCode", "[)><RS>06<GS>1PMGN63LL/A<RS><EOT>", SRC_15434, refusal="part number"),
    # --- Microsoft Surface ---------------------------------------------------------------
    Label(SURFACE, "Code128", "028173692153", SRC_SURFACE, stored="028173692153"),
    Label(SURFACE, "QRCode", "Serial Number: 0281 7369 2153", SRC_SURFACE, stored="028173692153"),
    Label(SURFACE, "Code39", "059812743361", SRC_SURFACE, stored="059812743361"),
    # --- Acer ----------------------------------------------------------------------------
    Label(ACER, "Code128", ACER_SN, SRC_ACER, stored=ACER_SN),
    Label(ACER, "QRCode", f"S/N: {ACER_SN}", SRC_ACER, stored=ACER_SN),
    Label(ACER, "Code128", ACER_SNID, SRC_SNID),  # not the serial Windows reports: not found
    Label(ACER, "QRCode", f"SNID: {ACER_SNID}", SRC_SNID, refusal="SNID"),
    # --- ASUS ----------------------------------------------------------------------------
    Label(ASUS, "Code128", "R5N0CV00G123456", SRC_ASUS, stored="R5N0CV00G123456"),
    Label(ASUS, "QRCode", "S/N: M7NRKD00V542T8D", SRC_ASUS, stored="M7NRKD00V542T8D"),
    # --- Panasonic -----------------------------------------------------------------------
    Label(PANASONIC, "Code128", "1AKSA12345", SRC_PANA, stored="1AKSA12345"),
    Label(PANASONIC, "QRCode", "Model No.: CF-SV1RDG3TW", SRC_PANA, refusal="model number"),
    # --- Getac ---------------------------------------------------------------------------
    Label(GETAC, "Code128", "RK903V1477", SRC_GETAC, stored="RK903V1477"),
    Label(GETAC, "Code39", "RK906B0042", SRC_GETAC, stored="RK906B0042"),
    # --- MSI -----------------------------------------------------------------------------
    Label(MSI, "Code128", "K1601N0000001", SRC_MSI, stored="K1601N0000001"),
    Label(
        MSI, "QRCode", "GT72S 6QF-017JPK1234567890", SRC_MSI, stored="GT72S 6QF-017JPK1234567890"
    ),  # fmt: skip
    # --- virtual machines, as Windows reports them ----------------------------------------
    Label(VM, "QRCode", VMWARE_1, SRC_VMWARE, stored=VMWARE_1),
    Label(VM, "QRCode", f"S/N: {VMWARE_2}", SRC_VMWARE_GUEST, stored=VMWARE_2),
    Label(VM, "QRCode", f"Serial Number: {VMWARE_1.upper()}", SRC_VMWARE, stored=VMWARE_1),
    Label(VM, "Code128", "VMware-564d2f1a3b5c6d7e-8f90a1b2c3d4e5f6", SRC_VMWARE, stored=VMWARE_1),
    Label(VM, "Code128", HYPER_V, SRC_HYPERV, stored=HYPER_V),
    Label(VM, "QRCode", PARALLELS, SRC_PARALLELS, stored=PARALLELS),
    Label(
        VM,
        "QRCode",
        "TB 33-0042 A",
        "issue 15: a serial stored with inner spaces",
        stored="TB 33-0042 A",
    ),  # fmt: skip
    # --- GS1 -----------------------------------------------------------------------------
    Label(GS1, "Code128", "(01)09506000134352(21)GS1A0042", SRC_GS1, stored="GS1A0042", gs1=True),
    Label(
        GS1,
        "DataMatrix",
        "(01)09506000134352(17)261231(21)GS1A0043(10)LOT7",
        SRC_GS1,
        stored="GS1A0043",
        gs1=True,
    ),  # fmt: skip
    Label(
        GS1, "QRCode", "https://id.gs1.org/01/09506000134352/21/GS1A0044", SRC_DL, stored="GS1A0044"
    ),  # fmt: skip
    Label(
        GS1,
        "QRCode",
        "https://example.com/p/01/09506000134352/10/ABC123/21/GS1A0045?17=261231",
        SRC_DL,
        stored="GS1A0045",
    ),  # fmt: skip
    Label(GS1, "Code128", "(01)09506000134352", SRC_GS1, refusal="GTIN", gs1=True),
    Label(GS1, "QRCode", "https://id.gs1.org/01/09506000134352", SRC_DL, refusal="GTIN"),
    Label(
        GS1,
        "QRCode",
        "[)>\x1e05\x1d0109506000134352\x1d21GS1A0046\x1e\x04",
        "ISO/IEC 15434 format 05 (GS1 AIs)",
        stored="GS1A0046",
    ),  # fmt: skip
    # --- the Autopilot pre-provisioning QR and a bare ZtdId -------------------------------
    Label(
        AUTOPILOT, "QRCode", block_sequence(ztd=device_id("PF4KX9QZ")), SRC_AP, stored="PF4KX9QZ"
    ),  # fmt: skip
    Label(
        AUTOPILOT,
        "QRCode",
        json.dumps(block_sequence(ztd=device_id("5CG2061KTR"))),
        SRC_AP,
        stored="5CG2061KTR",
    ),  # fmt: skip
    Label(AUTOPILOT, "QRCode", device_id("R5N0CV00G123456"), SRC_AP, stored="R5N0CV00G123456"),
    Label(
        AUTOPILOT,
        "QRCode",
        block_sequence(serial="K1601N0000001", hardware="QUJDRA=="),
        SRC_AP,
        stored="K1601N0000001",
    ),  # fmt: skip
    Label(AUTOPILOT, "QRCode", block_sequence(), SRC_AP, refusal="neither a device id"),
)


def render(label: Label, scale: int = 3) -> np.ndarray:
    """The label's code drawn by zxing-cpp's writer, on a white margin (grey, uint8)."""
    options = {"gs1": True} if label.gs1 else {}
    barcode = zxingcpp.create_barcode(label.text, zxingcpp.BarcodeFormat[label.fmt], **options)
    image = np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=scale), dtype=np.uint8)
    return cv2.copyMakeBorder(image, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255)
