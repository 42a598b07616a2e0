"""Formula-safe spreadsheets: every workbook the services export is saved through `workbook_bytes`.

Text from users (a plan's title, a scheme's or unit's name, a task) that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return is what Excel and WPS take for a formula (`=HYPERLINK(…)`, `=cmd|…`): openpyxl even
stores a string starting with `=` as one. Before saving, every text cell of every sheet is made a string cell,
and one that looks like a formula also gets the quote prefix (Excel's leading apostrophe), so it stays text
when someone edits it. Numbers stay numbers. CSV writers use `csv_text`, the same guard for plain text.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def clean_text(text: str) -> str:
    """Without the control characters that make openpyxl refuse a whole workbook (they carry nothing)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def guard_cell(cell: Any) -> None:
    """A text cell as text: never a formula (nor an error value such as `#N/A`)."""
    value = cell.value
    if not isinstance(value, str):
        return
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True


def guard_workbook(book: Any) -> None:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                guard_cell(cell)


def workbook_bytes(book: Any) -> bytes:
    """The workbook as .xlsx bytes, every text cell guarded first."""
    guard_workbook(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(text: str) -> str:
    """Text for a CSV cell: formula-like text gets the apostrophe a spreadsheet shows as "this is text"."""
    return f"'{text}" if text and looks_like_formula(text) else text
