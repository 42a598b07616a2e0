"""Turn an uploaded file into grids of cell text: one per sheet of an .xlsx, one for a .csv.

`SheetLimits` are checked before openpyxl gets the bytes: the workbook's unpacked size from its zip directory,
then its cells counted by streaming the sheets' XML; a .csv's cells while it is read. Going over one raises
`luoshi.filelimits.LimitExceeded` naming it.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.filelimits import MAX_SHEET_CELLS, MAX_UNCOMPRESSED_BYTES, LimitExceeded, check_zip, count_sheet_cells
from luoshi_tasks.breakdown.cells import cell_text
from luoshi_tasks.breakdown.models import BreakdownFileError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls / .et, and password-protected .xlsx
_FORMULA_START = "=+-@"


@dataclass(frozen=True)
class SheetLimits:
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES  # an .xlsx's members, unpacked, in all
    max_cells: int = MAX_SHEET_CELLS  # in all the sheets of a workbook, or in a .csv


def _too_many_cells(limit: int) -> LimitExceeded:
    return LimitExceeded(
        "sheet_too_many_cells",
        f"The table has more than {limit} cells",
        f"表格的单元格超过上限 {limit} 个",
        limit=limit,
    )


@dataclass
class Grid:
    """Non-blank cell text by 1-based row and column, a vertically merged value copied to each row it covers.

    `raw_rows` are the rows with a value of their own, so rows only covered by a merge can count as blank.
    """

    name: str
    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    raw_rows: set[int] = field(default_factory=set)


def load_grids(data: bytes, filename: str, limits: SheetLimits | None = None) -> Iterator[Grid]:
    """The grids of a file, the sheet to try first first. Raises BreakdownFileError for unusable files,
    LimitExceeded for files over a limit."""
    limits = limits or SheetLimits()
    if not data:
        raise BreakdownFileError("The file is empty", "文件为空", code="breakdown_empty")
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot else ""
    if ext == "xlsx":
        return _xlsx_grids(data, limits)
    if ext == "csv":
        return iter([_csv_grid(data, stem or name, limits.max_cells)])
    if ext in {"xls", "et", "xlsm", "xlsb", "ods", "wps"}:
        raise BreakdownFileError(
            f"'.{ext}' files are not read; save the table as .xlsx (Excel workbook) or .csv",
            f"不支持 .{ext} 文件，请将表格另存为 .xlsx（Excel 工作簿）或 .csv 格式",
            code="breakdown_file_type",
        )
    raise BreakdownFileError(
        f"'{name}' is not a breakdown table: upload an .xlsx or .csv file",
        f"“{name}”不是任务分解表文件，请上传 .xlsx 或 .csv 文件",
        code="breakdown_file_type",
    )


def _corrupt(kind: str) -> BreakdownFileError:
    return BreakdownFileError(
        f"The file cannot be opened as {kind}: it is damaged or not really {kind}",
        f"文件无法按 {kind} 打开：文件已损坏或并非 {kind} 格式",
        code="breakdown_corrupt",
    )


def _xlsx_grids(data: bytes, limits: SheetLimits) -> Iterator[Grid]:
    if data.startswith(_OLE_MAGIC):
        raise BreakdownFileError(
            "This is an old .xls workbook or a password-protected file: save it as .xlsx without a password",
            "该文件是旧版 .xls 格式或已加密，请取消密码并另存为 .xlsx 格式",
            code="breakdown_file_type",
        )
    if not data.startswith(b"PK"):
        raise _corrupt(".xlsx")
    archive = check_zip(data, max_uncompressed=limits.max_uncompressed)
    if archive is not None:
        count_sheet_cells(archive, max_cells=limits.max_cells)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it drops (data validation, slicers); none matter here.
            warnings.simplefilter("ignore")
            # Not read_only: merged ranges are only available on normal worksheets.
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises anything from BadZipFile to KeyError on a damaged file
        raise _corrupt(".xlsx") from exc
    sheets = list(book.worksheets)
    active = book.active
    if isinstance(active, Worksheet) and active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    return (_sheet_grid(ws) for ws in sheets)


def _stored_cells(ws: Worksheet) -> Iterator[tuple[int, int, Any]]:
    # ws.iter_rows() creates a cell object for every position up to max_row, which styled but empty rows
    # (WPS often formats whole columns) push into the hundreds of thousands; the store holds real cells only.
    store = getattr(ws, "_cells", None)
    if isinstance(store, dict):
        for (r, c), cell in store.items():
            yield r, c, cell.value
        return
    for row in ws.iter_rows():  # pragma: no cover - only if openpyxl changes its internals
        for cell in row:
            yield cell.row, cell.column, cell.value


def _sheet_grid(ws: Worksheet) -> Grid:
    grid = Grid(ws.title)
    for r, c, value in _stored_cells(ws):
        text = cell_text(value)
        if text:
            grid.cells.setdefault(r, {})[c] = text
    grid.raw_rows = set(grid.cells)
    last = max(grid.raw_rows, default=0)
    for merged in ws.merged_cells.ranges:
        top = grid.cells.get(merged.min_row, {}).get(merged.min_col)
        if not top:
            continue
        # Only down the first column: a merge across columns (a section title over the whole row) must not
        # copy the task text into 具体措施 or 牵头单位.
        for r in range(merged.min_row + 1, min(merged.max_row, last) + 1):
            grid.cells.setdefault(r, {})[merged.min_col] = top
    return grid


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):  # WPS saves CSV in GBK, which GB18030 extends
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    if data.startswith(b"PK"):
        raise BreakdownFileError(
            "This is an Excel workbook named .csv: upload it as .xlsx",
            "该文件实为 Excel 工作簿，请以 .xlsx 扩展名上传",
            code="breakdown_file_type",
        )
    raise BreakdownFileError(
        "The CSV file is not text in UTF-8 or GBK/GB18030",
        "CSV 文件不是 UTF-8 或 GBK/GB18030 编码的文本",
        code="breakdown_encoding",
    )


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    counts = {d: sample.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _csv_grid(data: bytes, name: str, max_cells: int) -> Grid:
    text = _decode(data)
    grid = Grid(name)
    cells = 0
    try:
        for r, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), 1):
            cells += len(record)
            if cells > max_cells:
                raise _too_many_cells(max_cells)
            for c, value in enumerate(record, 1):
                cell = value.strip()
                # The writer guards formula-like text with an apostrophe, as spreadsheets do; undo it.
                if len(cell) > 2 and cell[0] == "'" and cell[1] in _FORMULA_START:
                    cell = cell[1:]
                cell = cell_text(cell)
                if cell:
                    grid.cells.setdefault(r, {})[c] = cell
    except csv.Error as exc:
        raise BreakdownFileError(
            f"The CSV file cannot be parsed: {exc}", "CSV 文件格式有误，无法读取", code="breakdown_corrupt"
        ) from exc
    grid.raw_rows = set(grid.cells)
    return grid
