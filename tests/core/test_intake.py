"""Which confirmed codes lead to a look-up, and which never may."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from scanner_app.core.intake import ScanIntake
from scanner_app.core.payload import PayloadRules
from scanner_app.core.vision.decoding import Decoder

from .label_table import Label, render

ZTD = "668123dd-e1ee-4727-b01c-77a963d6e7a2"


SEQ = "fff91cde-79a4-4653-9d04-8714577d9603"


def block(n: int, total: int, chunk: str) -> str:
    fields = {"Id": SEQ, "ZtdId": "", "SerialNumber": "PF1ABCDE", "HardwareId": chunk,
              "SequenceBlockNumber": n, "TotalBlocks": total}  # fmt: skip
    return json.dumps({"BlockSequence": fields})


def test_a_labels_qr_and_barcode_are_one_target() -> None:
    intake = ScanIntake().confirmed(["S/N: 5CG1234XYZ", "5CG1234XYZ"])
    assert intake.kind == "target" and intake.target is not None
    assert intake.target.value == "5CG1234XYZ"


def test_two_devices_confirmed_together_are_ambiguous() -> None:
    intake = ScanIntake().confirmed(["5CG1234XYZ", "PF1ABCDE"])
    assert intake.kind == "ambiguous"
    assert {t.value for t in intake.candidates} == {"5CG1234XYZ", "PF1ABCDE"}


def test_a_device_still_in_view_makes_the_next_one_ambiguous() -> None:
    intake = ScanIntake().confirmed(["PF1ABCDE"], in_view=["5CG1234XYZ", "PF1ABCDE"])
    assert intake.kind == "ambiguous"


def test_the_same_device_still_in_view_is_not_a_second_one() -> None:
    intake = ScanIntake().confirmed(["PF1ABCDE"], in_view=["S/N: PF1ABCDE"])
    assert intake.kind == "target"


def test_a_hostile_code_is_refused_with_a_reason() -> None:
    intake = ScanIntake().confirmed(["X' or 1 eq 1 or '"])
    assert intake.kind == "rejected" and intake.target is not None and intake.target.reason


def test_a_hostile_code_in_view_does_not_block_a_real_one() -> None:
    intake = ScanIntake().confirmed(["PF1ABCDE"], in_view=["X' or 1 eq 1 or '"])
    assert intake.kind == "target"


def test_autopilot_qr_gives_the_ztd_id() -> None:
    text = json.dumps({"BlockSequence": {"Id": "x", "ZtdId": ZTD, "SequenceBlockNumber": 1,
                                         "TotalBlocks": 1}})  # fmt: skip
    intake = ScanIntake().confirmed([text])
    assert intake.kind == "target" and intake.target is not None
    assert (intake.target.kind, intake.target.value) == ("ztd_id", ZTD)


def test_multi_block_code_reports_progress_then_the_hash() -> None:
    scan = ScanIntake()
    first = scan.confirmed([block(1, 2, "QUJD")])
    assert first.kind == "progress" and first.target is not None
    assert first.target.progress == (1, 2)
    done = scan.confirmed([block(2, 2, "REVG")])
    assert done.kind == "target" and done.target is not None
    assert done.target.kind == "hardware_hash"


def test_configured_rules_apply_to_codes_in_view_too() -> None:
    rules = PayloadRules.from_strings([r"^ASSET-\d+;SN=(?P<serial>[A-Z0-9]+)$"])
    intake = ScanIntake(rules).confirmed(["PF1ABCDE"], in_view=["ASSET-7;SN=5CG1234XYZ"])
    assert intake.kind == "ambiguous"


# -- a label with several barcodes: the serial, and the numbers beside it -----------------------
def _label_image(*texts_and_formats: tuple[str, str]) -> np.ndarray:
    """One label with its codes side by side, drawn by zxing-cpp's writer."""
    codes = [render(Label("", fmt, text, "")) for text, fmt in texts_and_formats]
    height = max(code.shape[0] for code in codes)
    padded = [
        cv2.copyMakeBorder(c, 0, height - c.shape[0], 0, 0, cv2.BORDER_CONSTANT, value=255)
        for c in codes
    ]
    return np.hstack(padded)


@pytest.mark.parametrize(
    ("codes", "serial"),
    [
        # Apple box: MH10.8.2 "S" serial and "1P" part number, both Code 128.
        ((("SC02XL0GHJGH5", "Code128"), ("1PMGN63LL/A", "Code128")), "C02XL0GHJGH5"),
        # Lenovo: the 1S code (type-model + serial) beside the serial's own barcode.
        ((("1S20S0CTO1WWPF1ABCDE", "Code128"), ("PF1ABCDE", "Code128")), "PF1ABCDE"),
        # Lenovo box: the type-model as a 1P part number beside the serial.
        ((("1P20S0CTO1WW", "Code128"), ("PF1ABCDE", "Code128")), "PF1ABCDE"),
        # HP service label: serial and product number with its #ABA option.
        ((("5CG2061KTR", "Code128"), ("4Y2M8UT#ABA", "Code128")), "5CG2061KTR"),
        # Acer: the 22-character S/N and the SNID derived from it.
        (
            (("NXHQ7EK0011220100C7600", "Code128"), ("12200410876", "Code128")),
            "NXHQ7EK0011220100C7600",
        ),  # fmt: skip
        # Dell: the service tag and its Express Service Code.
        ((("5RFDP01", "Code128"), ("12542331601", "Code128")), "5RFDP01"),
        # A box: the product's GTIN (GS1-128, no AI 21) beside the serial.
        ((("(01)09506000134352", "QRCode"), ("PF1ABCDE", "Code128")), "PF1ABCDE"),
    ],
)
def test_a_label_with_one_serial_among_its_barcodes_gives_that_serial(
    codes: tuple[tuple[str, str], ...], serial: str
) -> None:
    texts = [s.text for s in Decoder().decode(_label_image(*codes))]
    assert sorted(texts) == sorted(text for text, _ in codes)
    intake = ScanIntake().confirmed(texts)
    assert intake.kind == "target" and intake.target is not None, intake
    assert intake.target.value == serial


def test_two_serials_on_one_label_are_still_two_codes_in_view() -> None:
    texts = [s.text for s in Decoder().decode(
        _label_image(("1S20S0CTO1WWPF1ABCDE", "Code128"), ("PF9ZZZZZ", "Code128"))
    )]  # fmt: skip
    intake = ScanIntake().confirmed(texts)
    assert intake.kind == "ambiguous"
    assert {t.value for t in intake.candidates} == {"PF1ABCDE", "PF9ZZZZZ"}


def test_an_acer_snid_of_another_device_is_a_second_device() -> None:
    intake = ScanIntake().confirmed(["NXHQ7EK0011220100C7600", "12200410977"])
    assert intake.kind == "ambiguous"


def test_only_part_numbers_in_view_are_refused_with_what_they_hold() -> None:
    intake = ScanIntake().confirmed(["1PMGN63LL/A", "4Y2M8UT#ABA"])
    assert intake.kind == "rejected" and intake.target is not None
    assert "part number" in intake.target.reason
