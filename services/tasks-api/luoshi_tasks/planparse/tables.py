"""Task division tables inside a document (a .docx whose plan is a table, or whose 附件 is a 重点任务分工表).

A table is read through the breakdown reader, the one that imports .xlsx and .csv (header detection, numbering,
the lead / cooperating rules), so a table gives the same tasks however it arrives; here its rows become draft
tasks whose spans point at the lines the rows became in the document's text. A table with no breakdown header
(a leading-group list, a budget) is left to the text parser.

A table pasted as text, one cell per line (as copied from a web page), is turned back into a grid
(`pasted_tables`) and read the same way: a run of at least three lines that are each a header the breakdown
reader knows, one of them the task column, gives the columns; then each row begins with a line holding its
number alone (1, 一, （一）) and takes one line per column, an empty line an empty cell; a line where a row
would begin that is a section heading (一、知识产权保护方面) is a section row, kept in the first column as a
merged row is. The table ends at the first line that fits neither, and the lines above the header (`附件` /
its title) are its caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi_tasks.breakdown import (
    HEADER_ALIASES,
    BreakdownFileError,
    BreakdownRow,
    BreakdownSheet,
    Grid,
    normalise_header,
    read_grid,
)
from luoshi_tasks.planparse.documents import DocumentTable, _caption
from luoshi_tasks.planparse.models import DraftTask
from luoshi_tasks.planparse.schedule import find_deadline
from luoshi_tasks.planparse.text import fold, to_simplified

# `附件2 重点任务分工表`, `附件2：…`, or a caption on its own (`重点任务分工表`)
_ATTACHMENT = re.compile(r"^\s*(附件\s*[0-9０-９一二三四五六七八九十]*)\s*[:：.．、]?\s*(.*)$")


_HEADER_FIELD = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
_ROW_NUMBER = re.compile(r"^\s*[(（]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）]?[、.．]?\s*$")
_SECTION_ROW = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]\S")
_LINE = re.compile(r"(?<![^\n])[^\n]*")
_MIN_HEADERS = 3
_HEADER_CHARS = 12


@dataclass(frozen=True)
class TaskTable:
    table: DocumentTable
    sheet: BreakdownSheet

    @property
    def rows(self) -> int:
        return len(self.sheet.rows)

    def heading(self) -> tuple[str | None, str]:
        """The number and title of the branch the table's tasks go under: `附件2`, `重点任务分工表`."""
        caption = to_simplified(self.table.caption.strip())
        found = _ATTACHMENT.match(caption)
        if found:
            return found.group(1).replace(" ", ""), found.group(2).strip() or "任务分工"
        return None, caption or "任务分工"


def task_tables(tables: list[DocumentTable]) -> list[TaskTable]:
    """The tables that are task division tables (a header row with a task column), in document order."""
    found = []
    for table in tables:
        try:
            sheet = read_grid(table.grid)
        except BreakdownFileError:
            continue
        if sheet.rows:
            found.append(TaskTable(table, sheet))
    return found


def pasted_tables(text: str) -> list[DocumentTable]:
    """Task tables pasted into the text one cell per line, as grids with each row's lines as its span."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]  # each line once: a line's end is no line
    cells = [text[a:b].strip() for a, b in lines]
    found: list[DocumentTable] = []
    i = 0
    while i < len(lines):
        if _field(cells[i]) is None:
            i += 1
            continue
        k = i
        while k < len(lines) and 0 < len(cells[k]) <= _HEADER_CHARS and not _starts_row(cells[k]):
            k += 1
        fields = [f for c in cells[i:k] if (f := _field(c)) is not None]
        if len(fields) < _MIN_HEADERS or "title" not in fields or k >= len(lines) or not _starts_row(cells[k]):
            i += 1
            continue
        table, i = _pasted_table(text, lines, cells, i, k)
        found.append(table)
    return found


def _field(cell: str) -> str | None:
    return _HEADER_FIELD.get(normalise_header(cell)) if cell else None


def _starts_row(cell: str) -> bool:
    return bool(_ROW_NUMBER.match(cell) or _SECTION_ROW.match(cell))


def _pasted_table(
    text: str, lines: list[tuple[int, int]], cells: list[str], header: int, first_row: int
) -> tuple[DocumentTable, int]:
    """The table whose header is lines [header, first_row); returns it and the line after its last row."""
    width = first_row - header
    grid = Grid(name="table")
    grid.cells[1] = {c + 1: cells[header + c] for c in range(width)}
    grid.raw_rows.add(1)
    row_spans = {1: (lines[header][0], lines[first_row - 1][1])}
    r, at = 1, first_row
    while at < len(lines):
        if not cells[at]:
            at += 1
            continue
        if _ROW_NUMBER.match(cells[at]) and at + width <= len(lines):
            row = cells[at : at + width]
            r += 1
            grid.cells[r] = {c + 1: row[c] for c in range(width) if row[c]}
            row_spans[r] = (lines[at][0], lines[at + width - 1][1])
            at += width
        elif _SECTION_ROW.match(cells[at]):
            r += 1
            grid.cells[r] = {1: cells[at]}
            row_spans[r] = lines[at]
            at += 1
        else:
            break
        grid.raw_rows.add(r)
    # the caption a .docx table gets: the line above, with an `附件2` line above that (blank lines skipped)
    return DocumentTable(grid, row_spans, _caption(cells[max(0, header - 3) : header])), at


def masked(text: str, tables: list[TaskTable]) -> str:
    """`text` with the task tables' lines blanked (offsets kept), so the outline reader does not take their rows
    (`1　加强…`) for the body's own numbered items."""
    chars = list(text)
    for task_table in tables:
        for start, end in task_table.table.row_spans.values():
            chars[start:end] = " " * (end - start)
    return "".join(chars)


def table_tasks(
    task_table: TaskTable, *, first_index: int, parent: int | None, level: int, year: int | None
) -> list[DraftTask]:
    """The table's rows as draft tasks, indexed from `first_index`, under task `parent` at `level`."""
    rows = task_table.sheet.rows
    index_of_row = {row.row: first_index + i for i, row in enumerate(rows)}
    level_of: dict[int, int] = {}
    tasks = []
    for row in rows:
        own_parent = index_of_row.get(row.parent_row) if row.parent_row is not None else None
        row_level = level_of[own_parent] + 1 if own_parent is not None else level
        level_of[first_index + len(tasks)] = row_level
        tasks.append(_task(row, task_table.table, parent if own_parent is None else own_parent, row_level, year))
    return tasks


def _task(row: BreakdownRow, table: DocumentTable, parent: int | None, level: int, year: int | None) -> DraftTask:
    found = None
    if row.deadline_text:
        simplified = to_simplified(row.deadline_text)
        found = find_deadline(fold(simplified), simplified, year)
    return DraftTask(
        number=(row.number or "").rstrip("、.．") or None,
        parent=parent,
        level=level,
        section_kind="task",
        title=to_simplified(row.title or ""),
        measures=to_simplified(row.measures or ""),
        lead_units=[to_simplified(u) for u in row.lead_units],
        cooperating_units=[to_simplified(u) for u in row.cooperating_units],
        deadline=found.deadline if found else None,
        # as written, as the breakdown import keeps it (the deadline itself is read from it when it is a date)
        deadline_text=row.deadline_text,
        person=to_simplified(row.person) if row.person else None,
        remarks=to_simplified(row.remarks) if row.remarks else None,
        span=table.row_spans.get(row.row, (0, 0)),
    )
