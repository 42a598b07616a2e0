"""Read a breakdown table (任务分解表) from an .xlsx or .csv file as offices keep it."""

from __future__ import annotations

import re

from luoshi_tasks.breakdown.cells import assign_units
from luoshi_tasks.breakdown.headers import HeaderLayout, field_of_header, find_header
from luoshi_tasks.breakdown.models import BreakdownFileError, BreakdownRow, BreakdownSheet
from luoshi_tasks.breakdown.numbering import number_level, parent_indexes, split_number_prefix
from luoshi_tasks.breakdown.sources import Grid, SheetLimits, load_grids

# A footnote under the table ("注：…", "说明：…") is not a task.
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[:：]")


def read_breakdown(data: bytes, filename: str, limits: SheetLimits | None = None) -> BreakdownSheet:
    """Read the table in `data`; `filename`'s extension (.xlsx or .csv) says how.

    In a workbook the active sheet is tried first, then the others in order; the first with a header row
    is read. Raises BreakdownFileError (English `str()`, Chinese `message_zh`) when no sheet is usable, and
    `luoshi.filelimits.LimitExceeded` for a file over `limits` (checked before the workbook is opened).
    """
    errors: list[BreakdownFileError] = []
    for grid in load_grids(bytes(data), filename, limits):
        try:
            return read_grid(grid)
        except BreakdownFileError as exc:
            errors.append(exc)
    if not errors:
        raise BreakdownFileError("The workbook has no worksheet", "工作簿中没有工作表", code="breakdown_no_sheet")
    # "has headers but no task column" helps the user more than "no header" from an unrelated sheet.
    raise next((e for e in errors if e.code == "breakdown_no_task_column"), errors[0])


def read_grid(grid: Grid) -> BreakdownSheet:
    """The breakdown table in one grid of cells, from a workbook, a .csv or a table inside a document (the plan
    parser reads a Word table through here, so a table gives the same rows however it arrives). Raises
    BreakdownFileError when the grid has no header row with a task column."""
    return _read_grid(grid, find_header(grid.cells))


def _read_grid(grid: Grid, layout: HeaderLayout) -> BreakdownSheet:
    rows: list[BreakdownRow] = []
    for r in sorted(grid.cells):
        if r < layout.data_start or r not in grid.raw_rows:
            continue
        texts = {key: grid.cells[r].get(col, "") for key, col in layout.columns.items()}
        filled = [(key, text) for key, text in texts.items() if text]
        if not filled or _is_repeated_header(filled) or _is_note(filled):
            continue
        rows.append(_row(r, texts, layout))
    for row, parent in zip(rows, parent_indexes([row.number for row in rows]), strict=True):
        if parent is not None:
            row.parent_number, row.parent_row = rows[parent].number, rows[parent].row
    return BreakdownSheet(
        sheet_name=grid.name,
        header_row=layout.header_row,
        columns=layout.letters,
        headers=layout.headers,
        ignored_columns=layout.ignored,
        rows=rows,
    )


def _is_repeated_header(filled: list[tuple[str, str]]) -> bool:
    # Long tables are sometimes pasted together with the header row repeated at each page break.
    return len(filled) >= 2 and all(field_of_header(text) == key for key, text in filled)


def _is_note(filled: list[tuple[str, str]]) -> bool:
    return len(filled) == 1 and filled[0][0] in {"number", "title"} and bool(_NOTE.match(filled[0][1]))


def _row(r: int, texts: dict[str, str], layout: HeaderLayout) -> BreakdownRow:
    number: str | None = texts.get("number") or None
    title = texts.get("title", "")
    if number and not title and number_level(number) is None:
        # A section row merged across the whole width leaves its text in the 序号 column.
        number, title = None, number
    if not number and title:
        split = split_number_prefix(title)
        if split:
            number, title = split
    lead, cooperating = assign_units(
        texts.get("lead"),
        texts.get("cooperating"),
        texts.get("responsible"),
        has_lead_column="lead" in layout.columns,
    )
    return BreakdownRow(
        row=r,
        number=number,
        title=title,
        measures=texts.get("measures") or None,
        lead_units=lead,
        cooperating_units=cooperating,
        deadline_text=texts.get("deadline") or None,
        person=texts.get("person") or None,
        remarks=texts.get("remarks") or None,
        cells=texts,
    )
