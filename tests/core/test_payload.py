"""payload.parse, normalise_serial, PayloadRules and SequenceAssembler on the forms labels use."""

from __future__ import annotations

import base64
import json
import random

import pytest

from scanner_app.core.payload import (
    PayloadRules,
    SequenceAssembler,
    normalise_serial,
    parse,
    valid_hardware_hash,
)

ZTD = "e13be37b-1913-4983-9bc4-0d6ccfe0153b"
SEQ = "fff91cde-79a4-4653-9d04-8714577d9603"


def block_sequence(**fields: object) -> dict[str, object]:
    """The Autopilot pre-provisioning QR payload, as the contracts README shows it."""
    return {"BlockSequence": flat_block(**fields)}


def flat_block(**fields: object) -> dict[str, object]:
    """The object inside ``BlockSequence`` (Windows builds it first, then wraps it)."""
    block: dict[str, object] = {
        "Id": SEQ,
        "ZtdId": ZTD,
        "PKID": "",
        "SerialNumber": "",
        "HardwareId": "",
        "SequenceBlockNumber": 1,
        "TotalBlocks": 1,
    }
    block.update(fields)
    return block


# --- serial forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "serial"),
    [
        ("PF1ABCDE", "PF1ABCDE"),  # Lenovo, 8 characters
        ("ABC1234", "ABC1234"),  # Dell service tag, 7
        ("5CG1234XYZ", "5CG1234XYZ"),  # HP, 10
        ("012345678912", "012345678912"),  # Surface, 12 digits
        ("  pf1abcde \n", "PF1ABCDE"),
        ("\ufeffPF1ABCDE", "PF1ABCDE"),
        ("SN-1234", "SN-1234"),  # a serial that merely starts like a label
        ("ABC-123-XYZ", "ABC-123-XYZ"),  # hyphens are kept
        ("1234 5678 9012", "123456789012"),  # printed in groups
        ("S/N: PF1ABCDE", "PF1ABCDE"),
        ("S/N PF1ABCDE", "PF1ABCDE"),
        ("s/n:pf1abcde", "PF1ABCDE"),
        ("SN: 5CG1234XYZ", "5CG1234XYZ"),
        ("SN 5CG1234XYZ", "5CG1234XYZ"),
        ("SN:5CG1234XYZ", "5CG1234XYZ"),
        ("Serial: 012345678912", "012345678912"),
        ("Serial 012345678912", "012345678912"),
        ("Serial No. ABC1234", "ABC1234"),
        ("Serial No: ABC1234", "ABC1234"),
        ("Serial Number: ABC-123-X", "ABC-123-X"),
        ("SerialNumber=ABC1234", "ABC1234"),
        ("Serial#: ABC1234", "ABC1234"),
        ("Service Tag: ABC1234", "ABC1234"),
        ("S/N:\u00a0PF1ABCDE", "PF1ABCDE"),  # no-break space from a label printer
        ("SERIAL NO ABC1234", "ABC1234"),
        ("SN#ABC1234", "ABC1234"),
        ("Device Serial Number: X1Y2Z3", "X1Y2Z3"),
        ("S/N: PF1ABCDE.", "PF1ABCDE"),  # the full stop ends the sentence, not the serial
        ("SN: 1234 5678 9012", "123456789012"),  # digit groups after a label
        ("Model: T14 SN: PF1ABCDE", "PF1ABCDE"),  # several pairs on one line
        ("Model: T14 S/N PF1ABCDE MTM 20S0", "PF1ABCDE"),
    ],
)
def test_serial_forms(text: str, serial: str) -> None:
    target = parse(text)
    assert (target.kind, target.value) == ("serial", serial)
    assert target.usable


@pytest.mark.parametrize(
    "text",
    [
        "Model: ThinkPad T14\nSerial: PF1ABCDE",
        "Manufacturer: Lenovo\r\nModel: 20S0\r\nS/N: PF1ABCDE\r\n",
        "MTM=20S0CTO1WW;SN=PF1ABCDE;PN=5B21",
        "Model: Caf\u00e9 \ufffd\nSerial: PF1ABCDE",  # a mis-decoded byte elsewhere does no harm
        "Model: X | Serial Number: PF1ABCDE | Asset: 42",
        "Serial: PF1ABCDE\nSN: pf1abcde",  # the same serial twice is not ambiguous
    ],
)
def test_key_value_lines(text: str) -> None:
    assert parse(text) == parse("PF1ABCDE")


@pytest.mark.parametrize(
    ("url", "serial"),
    [
        ("https://www.dell.com/support/home/product-support/servicetag/ABC1234", "ABC1234"),
        (
            "https://www.dell.com/support/home/en-us/product-support/servicetag/abc1234/overview",
            "ABC1234",
        ),  # fmt: skip
        ("https://pcsupport.lenovo.com/us/en/?sn=PF1ABCDE", "PF1ABCDE"),
        ("https://support.hp.com/us-en/checkwarranty?serialnumber=5CG1234XYZ", "5CG1234XYZ"),
        ("http://example.com/asset?serial=ABC1234&model=X", "ABC1234"),
        ("https://example.com/?serialNo=ABC1234", "ABC1234"),
        ("https://example.com/?svctag=ABC1234", "ABC1234"),
        ("https://example.com/?service_tag=ABC1234", "ABC1234"),
        ("https://example.com/lookup?st=ABC1234", "ABC1234"),
        ("https://example.com/?s=ABC1234", "ABC1234"),
        ("https://example.com/?s=ignored1&sn=ABC1234", "ABC1234"),  # explicit name wins
        ("www.example.com/?SN=abc1234", "ABC1234"),
    ],
)
def test_url_forms(url: str, serial: str) -> None:
    assert parse(url) == parse(serial)
    assert parse(url).value == serial


def test_url_without_serial_says_so() -> None:
    target = parse("https://www.microsoft.com/surface")
    assert target.kind == "rejected"
    assert "web link" in target.reason


@pytest.mark.parametrize(
    "text",
    [
        "(01)09506000134352(21)PF1ABCDE",  # GS1 element string as zxing-cpp shows it
        "(01)09506000134352(17)261231(21)PF1ABCDE(10)LOT7",
        "]d20109506000134352" + "21PF1ABCDE\x1d10LOT7",  # raw GS1 DataMatrix, FNC1 as GS
        "[)>\x1e06\x1dP20S0CTO1WW\x1dSPF1ABCDE\x1e\x04",  # ISO/IEC 15434, DI "S"
        "[)><RS>06<GS>1PXYZ<GS>SPF1ABCDE<RS><EOT>",  # the same, separators shown as tags
        "[)>\x1e05\x1d0109506000134352" + "21PF1ABCDE\x1e\x04",  # 15434 format 05 (GS1)
    ],
)
def test_label_standards(text: str) -> None:
    assert parse(text) == parse("PF1ABCDE")


def test_gs1_without_serial_is_rejected_plainly() -> None:
    target = parse("(01)09506000134352(17)261231")
    assert target.kind == "rejected"
    assert "AI 21" in target.reason


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Serial: ABC123\nSN: XYZ789", "two different"),
        ("https://example.com/?sn=ABC123&serial=XYZ789", "two different"),
        ("hello world", "does not hold a serial"),
        ("N/A", "does not hold a serial"),  # letters only, shorter than any serial
        ("ASN: 12345", "does not hold a serial"),  # "SN" inside another word is no label
        ("P/N: 5B21A12345", "does not hold a serial"),  # a part number is not a serial
        ("Model: ThinkPad\nColour: black", "does not hold a serial"),
        ("ab", "too short"),
        ("Serial: " + "A1" * 40, "too long"),
        ("Serial: A'B1", "never contain"),
        ("", "empty"),
        ("   \n ", "empty"),
    ],
)
def test_rejections_explain(text: str, words: str) -> None:
    target = parse(text)
    assert target.kind == "rejected"
    assert not target.usable
    assert words in target.reason


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("  pf1abcde ", "PF1ABCDE"),
        ("pf1 abc\tde\n", "PF1ABCDE"),
        ("abc-123_x.y/z", "ABC-123_X.Y/Z"),  # punctuation is part of the serial
        ("\u00a0abc\u2003123", "ABC123"),
    ],
)
def test_normalise_serial(raw: str, normal: str) -> None:
    assert normalise_serial(raw) == normal
    assert normalise_serial(normal) == normal


# --- Autopilot JSON --------------------------------------------------------------------------


def test_blocksequence_json_gives_the_ztd_id() -> None:
    target = parse(json.dumps(block_sequence()))
    assert (target.kind, target.value, target.serial) == ("ztd_id", ZTD, "")
    assert target.describe() == f"Autopilot device {ZTD}"


def test_blocksequence_json_carries_the_serial_when_present() -> None:
    target = parse(json.dumps(block_sequence(SerialNumber=" pf1abcde ")))
    assert (target.kind, target.value, target.serial) == ("ztd_id", ZTD, "PF1ABCDE")


def test_blocksequence_with_an_unusable_serial_keeps_the_ztd_id_only() -> None:
    target = parse(json.dumps(block_sequence(SerialNumber="X' or 1 eq 1 or '")))
    assert (target.kind, target.value, target.serial) == ("ztd_id", ZTD, "")


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(block_sequence()),
        json.dumps(block_sequence(), indent=2),
        json.dumps(json.dumps(block_sequence())),  # a JSON-encoded string
        json.dumps(json.dumps(block_sequence()))[1:-1],  # escaped quotes, outer quotes lost
        json.dumps(json.dumps(json.dumps(block_sequence()))),  # encoded twice
        "\ufeff" + json.dumps(block_sequence()) + "\r\n",  # BOM and trailing newline
        "  \n" + json.dumps(json.dumps(block_sequence())) + "  ",
        json.dumps(block_sequence(ZtdId=ZTD.upper())),  # ids compare lower-case
        json.dumps(block_sequence(ZtdId="{" + ZTD + "}")),  # braces as Windows writes GUIDs
        json.dumps(block_sequence()).replace("ZtdId", "ztdid"),  # key case does not matter
        json.dumps(flat_block(Version="1.0.0")),  # the flat form
        '{ "BlockSequence": { "Id": "fff91cde-79a4-4653-9d04-8714577d9603","ZtdId": '
        '"e13be37b-1913-4983-9bc4-0d6ccfe0153b","PKID": "","SerialNumber": "","HardwareId": '
        '"","SequenceBlockNumber": 1,"TotalBlocks": 1 }}',
        '"{ \\"BlockSequence\\": { \\"Id\\": \\"fff91cde-79a4-4653-9d04-8714577d9603\\",'
        '\\"ZtdId\\": \\"e13be37b-1913-4983-9bc4-0d6ccfe0153b\\",\\"PKID\\": \\"\\",'
        '\\"SerialNumber\\": \\"\\",\\"HardwareId\\": \\"\\",\\"SequenceBlockNumber\\": 1,'
        '\\"TotalBlocks\\": 1 }}"',  # the escaped form as seen in a companion app's source
    ],
)
def test_every_autopilot_json_form(text: str) -> None:
    target = parse(text)
    assert (target.kind, target.value) == ("ztd_id", ZTD)


def test_single_block_hardware_hash_without_ztd_id() -> None:
    digest = base64.b64encode(b"hardware hash bytes").decode()
    target = parse(json.dumps(block_sequence(ZtdId="", HardwareId=digest, SerialNumber="X1Y2Z3")))
    assert (target.kind, target.value, target.serial) == ("hardware_hash", digest, "X1Y2Z3")


def test_autopilot_code_without_device_says_so() -> None:
    target = parse(json.dumps(block_sequence(ZtdId="")))
    assert target.kind == "rejected"
    assert "ZtdId" in target.reason


def test_other_json_with_a_serial_field() -> None:
    assert parse('{"asset": 42, "serialNumber": "pf1abcde"}') == parse("PF1ABCDE")
    assert parse('{"asset": 42}').kind == "rejected"


# --- extra rules from settings ---------------------------------------------------------------


def test_payload_rules_come_first() -> None:
    rules = PayloadRules.from_strings([r"^ACME\|(?P<serial>[0-9A-Z]+)\|"])
    assert parse("ACME|XY12345|2024", rules) == parse("XY12345")
    assert parse("ACME|XY12345|2024").kind == "rejected"  # without the rule: not a serial


def test_payload_rule_whose_capture_fails_the_serial_rule_falls_through() -> None:
    rules = PayloadRules.from_strings([r"(?P<serial>.+)"])
    assert parse("X' or 1 eq 1 or '", rules).kind == "rejected"
    assert parse("S/N: PF1ABCDE", rules).value == "PF1ABCDE"


@pytest.mark.parametrize(
    ("rules", "words"),
    [
        ([r"(?P<sn>\w+)"], "named group"),
        ([r"(unclosed"], "not a valid regular expression"),
        ([""], "empty"),
        ([r"(?P<serial>x)"] * 51, "at most"),
    ],
)
def test_bad_payload_rules_are_refused_with_a_message(rules: list[str], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        PayloadRules.from_strings(rules)


# --- multi-block sequences -------------------------------------------------------------------

HASH = base64.b64encode(bytes(range(256)) * 14).decode()  # ~4.8 kB, like a 4K hardware hash


def blocks(total: int, sequence: str = SEQ, serial: str = "PF1ABCDE") -> list[str]:
    size = -(-len(HASH) // total)
    return [
        json.dumps(
            block_sequence(
                Id=sequence,
                ZtdId="",
                SerialNumber=serial,
                HardwareId=HASH[i * size : (i + 1) * size],
                SequenceBlockNumber=i + 1,
                TotalBlocks=total,
            )
        )
        for i in range(total)
    ]


def test_parse_alone_asks_to_keep_a_multi_block_code_in_view() -> None:
    target = parse(blocks(4)[1])
    assert target.kind == "rejected" and not target.usable
    assert target.progress == (1, 4)
    assert "Keep the code in view" in target.reason


def test_assembler_in_order() -> None:
    assembler = SequenceAssembler()
    results = [assembler.feed(text) for text in blocks(4)]
    assert [r.progress for r in results] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [r.kind for r in results[:3]] == ["rejected"] * 3
    assert "2 of 4" in results[1].reason
    done = results[-1]
    assert (done.kind, done.value, done.serial) == ("hardware_hash", HASH, "PF1ABCDE")
    assert valid_hardware_hash(done.value)


def test_assembler_out_of_order_with_repeats() -> None:
    texts = blocks(5)
    order = [4, 2, 4, 4, 0, 2, 1, 3]
    assembler = SequenceAssembler()
    results = [assembler.feed(texts[i]) for i in order]
    assert [r.progress for r in results] == [
        (1, 5), (2, 5), (2, 5), (2, 5), (3, 5), (3, 5), (4, 5), (5, 5)
    ]  # fmt: skip
    assert results[-1].value == HASH
    # Further blocks of the finished code answer the same result, not a new collection.
    assert assembler.feed(texts[0]) == results[-1]


@pytest.mark.parametrize("seed", range(5))
def test_assembler_any_order(seed: int) -> None:
    texts = blocks(6)
    rng = random.Random(seed)
    stream = texts + [rng.choice(texts) for _ in range(6)]
    rng.shuffle(stream)
    assembler = SequenceAssembler()
    results = [assembler.feed(text) for text in stream]
    finished = [r for r in results if r.kind == "hardware_hash"]
    assert finished and all(r.value == HASH for r in finished)


def test_a_block_of_another_sequence_starts_over() -> None:
    first = blocks(3)
    other = blocks(3, sequence="0a7c4f3e-2b1d-4c5e-9f80-112233445566", serial="OTHER123")
    assembler = SequenceAssembler()
    assert assembler.feed(first[0]).progress == (1, 3)
    assert assembler.feed(first[1]).progress == (2, 3)
    assert assembler.feed(other[2]).progress == (1, 3)  # restart
    assert assembler.progress == (1, 3)
    assert assembler.feed(first[2]).progress == (1, 3)  # and again
    assert assembler.feed(first[0]).progress == (2, 3)
    done = assembler.feed(first[1])
    assert (done.kind, done.value, done.serial) == ("hardware_hash", HASH, "PF1ABCDE")


def test_a_block_that_contradicts_a_held_one_starts_over() -> None:
    texts = blocks(3)
    tampered = json.loads(texts[0])
    tampered["BlockSequence"]["HardwareId"] = "QUJD"
    assembler = SequenceAssembler()
    assembler.feed(texts[0])
    assembler.feed(texts[1])
    assert assembler.feed(json.dumps(tampered)).progress == (1, 3)


def test_assembler_passes_other_codes_through() -> None:
    assembler = SequenceAssembler()
    assembler.feed(blocks(3)[0])
    assert assembler.feed("S/N: PF1ABCDE") == parse("PF1ABCDE")
    assert assembler.feed(json.dumps(block_sequence())).value == ZTD
    assert assembler.progress == (1, 3)  # a label seen meanwhile does not lose the progress
    assembler.reset()
    assert assembler.progress is None


def test_assembler_uses_the_rules() -> None:
    assembler = SequenceAssembler(PayloadRules.from_strings([r"^ACME\|(?P<serial>\w+)$"]))
    assert assembler.feed("ACME|XY12345").value == "XY12345"


def test_assembled_hash_that_is_not_base64_is_rejected() -> None:
    parts = blocks(2)
    broken = json.loads(parts[1])
    broken["BlockSequence"]["HardwareId"] = "A"  # length no longer a multiple of 4
    assembler = SequenceAssembler()
    assembler.feed(parts[0])
    target = assembler.feed(json.dumps(broken))
    assert target.kind == "rejected"
    assert "damaged" in target.reason
