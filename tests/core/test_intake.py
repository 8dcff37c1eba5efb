"""Which confirmed codes lead to a look-up, and which never may."""

from __future__ import annotations

import json

from scanner_app.core.intake import ScanIntake
from scanner_app.core.payload import PayloadRules

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
