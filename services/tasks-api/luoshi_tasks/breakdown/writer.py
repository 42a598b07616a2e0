"""Write a breakdown table as an office files it: .xlsx ready to print, .docx (the form offices file and print
from Word or WPS), or .csv for other systems."""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from luoshi.spreadsheet import csv_text, workbook_bytes
from luoshi.worddoc import WordDocument
from luoshi_tasks.breakdown.models import FIELD_LABELS
from luoshi_tasks.breakdown.numbering import number_level

UNIT_JOINER = "、"
TITLE_SUFFIX = "任务分解表"
# (row attribute, header, column width in Excel character units, horizontal alignment); headers are FIELD_LABELS
LAYOUT: tuple[tuple[str, str, float, str], ...] = (
    ("number", FIELD_LABELS["number"], 7, "center"),
    ("title", FIELD_LABELS["title"], 28, "left"),
    ("measures", FIELD_LABELS["measures"], 48, "left"),
    ("lead_units", FIELD_LABELS["lead"], 16, "center"),
    ("cooperating_units", FIELD_LABELS["cooperating"], 24, "left"),
    ("deadline_text", FIELD_LABELS["deadline"], 16, "center"),
    ("person", FIELD_LABELS["person"], 10, "center"),
    ("remarks", FIELD_LABELS["remarks"], 14, "left"),
)
HEADERS: tuple[str, ...] = tuple(header for _, header, _, _ in LAYOUT)

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY_FONT = Font(name="宋体", size=11)
_SECTION_FONT = Font(name="宋体", size=11, bold=True)
_HEADER_FONT = Font(name="黑体", size=11, bold=True)
_TITLE_FONT = Font(name="黑体", size=16, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_LINE_HEIGHT = 14.5  # points per line of 11-pt 宋体


def _value(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)


def _texts(row: Any) -> list[str]:
    """The eight cells of one row, units joined with 、, blanks as ""."""
    out = []
    for name, _, _, _ in LAYOUT:
        value = _value(row, name)
        if isinstance(value, list | tuple):
            value = UNIT_JOINER.join(str(v).strip() for v in value if str(v).strip())
        out.append("" if value is None else str(value).strip())
    return out


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    # Excel does not grow a row to fit wrapped text it did not lay out itself, so estimate the height here.
    return sum(max(1, math.ceil(_display_width(line) / max(width - 1, 1))) for line in text.split("\n"))


def full_title(title: str) -> str:
    """ "夏邑县…实施方案" -> "夏邑县…实施方案任务分解表", without doubling a suffix already there."""
    title = title.strip()
    return title if title.endswith(TITLE_SUFFIX) else f"{title}{TITLE_SUFFIX}"


def write_breakdown_xlsx(title: str, rows: Iterable[Any]) -> bytes:
    """An .xlsx of the rows: merged title, bordered table, frozen and repeated header, A4 landscape.

    `rows` are BreakdownRow objects, or anything with the same attributes or keys (dicts included).
    """
    texts = [t for t in (_texts(row) for row in rows) if any(t)]  # the reader skips blank rows anyway
    columns = [(header, width, align) for _, header, width, align in LAYOUT]
    bold = [number_level(t[0]) == 1.0 for t in texts]
    return write_table_xlsx(full_title(title), TITLE_SUFFIX, columns, texts, bold_rows=bold)


def write_table_xlsx(
    title: str,
    sheet_name: str,
    columns: list[tuple[str, float, str]],
    rows: list[list[str]],
    *,
    bold_rows: list[bool] | None = None,
) -> bytes:
    """One printable table as offices keep them: `title` merged over the columns (header, width in Excel
    characters, alignment), a bordered body whose rows grow to their text, the header frozen and repeated on
    every printed page, A4 landscape fitted to the page's width."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet_name
    book.properties.title = _safe(title)  # the document properties refuse control characters too
    last_col = get_column_letter(len(columns))

    ws.merge_cells(f"A1:{last_col}1")
    head = ws.cell(row=1, column=1, value=_safe(title))
    head.font = _TITLE_FONT
    head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 36

    for c, (header, width, _) in enumerate(columns, 1):
        cell = ws.cell(row=2, column=c, value=header)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[2].height = 24

    r = 2
    for i, texts in enumerate(rows):
        r += 1
        font = _SECTION_FONT if bold_rows and bold_rows[i] else _BODY_FONT
        height = 1
        for c, (text, (_, width, align)) in enumerate(zip(texts, columns, strict=True), 1):
            cell = ws.cell(row=r, column=c)
            if c == 1 and text.isascii() and text.isdigit() and not text.startswith("0"):
                cell.value = int(text)  # a plain number, so Excel does not flag "number stored as text"
            elif text:
                cell.value = _safe(text)
            cell.font = font
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
            height = max(height, _lines(text, width))
        ws.row_dimensions[r].height = min(409, max(20, height * _LINE_HEIGHT + 6))

    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.print_area = f"A1:{last_col}{r}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    return workbook_bytes(book)  # every text cell a string, never a formula


def _safe(text: str) -> str:
    # Control characters make openpyxl refuse the whole workbook; they carry nothing a reader needs.
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def write_breakdown_docx(title: str, rows: Iterable[Any]) -> bytes:
    """A landscape A4 .docx: the title, then the table under the same eight headers (section rows in bold),
    its header row repeated on every page."""
    document = WordDocument(full_title(title), landscape=True)
    document.title(full_title(title), size=18)
    texts = [t for t in (_texts(row) for row in rows) if any(t)]
    document.table(
        HEADERS,
        texts,
        widths=[width for _, _, width, _ in LAYOUT],
        bold_rows=[number_level(t[0]) == 1.0 for t in texts],
        size=10,
    )
    return document.to_bytes()


def write_breakdown_csv(rows: Iterable[Any]) -> bytes:
    """A CSV of the rows under the same eight headers, UTF-8 with a BOM so Excel shows the Chinese."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        texts = _texts(row)
        if any(texts):
            # Text a spreadsheet would run as a formula ("=HYPERLINK(…)") gets the usual apostrophe guard.
            writer.writerow(csv_text(t) if len(t) > 1 else t for t in texts)
    return out.getvalue().encode("utf-8-sig")
