"""Every CSV the app writes goes through here, so no cell can run as a formula in a spreadsheet.

Why: the bench session and the journal's audit record leave the app (mailed, opened in Excel or
LibreOffice), and their cells hold text from outside: a label's serial, an operator's name,
Graph's group tags and error messages. A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) is run by a spreadsheet: ``=HYPERLINK(...)`` leaks data,
``=cmd|' /C calc'!A0`` used to start programs. OWASP's rule (CSV Injection), applied here:

- a cell whose first character is one of those (after any leading spaces, line breaks or
  quotes, and in their full-width forms too, which some locales also evaluate) gets a leading
  ``'``, which spreadsheets show as text and do not keep;
- embedded separators are escaped: every data cell is quoted (a ``"`` inside doubled), and
  where a separator or line break inside a cell is followed by one of those characters, a ``'``
  goes before it. A spreadsheet set to split on ``;`` (many European locales) or on tabs does
  not honour the quotes of a comma file, and would otherwise start a cell there:
  ``SN1;=1+1`` is written ``"SN1;'=1+1"``.

The header row names our own columns, so it stays unquoted and readable (``time,serial,...``).
Numbers (``int``, ``float``) get no ``'``: a negative number is data, not a formula.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

#: First characters a spreadsheet runs: OWASP's list, and the full-width forms of the four.
FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_LEADING = ' \n\x0b\x0c\u00a0\u3000"'
#: A separator or line break inside a cell, then (after spaces or quotes) a formula character.
_INSIDE = re.compile(r'([,;\t\r\n][ "\n\x0b\x0c\u00a0\u3000]*)([=+\-@\uff1d\uff0b\uff0d\uff20])')


def safe_cell(value: Any) -> Any:
    """``value`` as it may go into a CSV cell: text that a spreadsheet would run, at its start
    or after a separator inside it, gets a ``'`` there; anything else (numbers, None, harmless
    text) is returned unchanged."""
    if not isinstance(value, str):
        return value
    value = _INSIDE.sub(r"\1'\2", value)
    start = value.lstrip(_LEADING)[:1]
    if start and start in FORMULA_START:
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` with the rule above: ``header`` as it is, every row neutralised and
    quoted. ``rows`` counts the data rows written."""

    def __init__(self, file: IO[str]) -> None:
        self._header = csv.writer(file)
        self._rows = csv.writer(file, quoting=csv.QUOTE_ALL)
        self.rows = 0

    def header(self, names: Iterable[str]) -> None:
        self._header.writerow(list(names))

    def row(self, cells: Iterable[Any]) -> None:
        self._rows.writerow([safe_cell(cell) for cell in cells])
        self.rows += 1
