"""Task division tables inside a document (a .docx whose plan is a table, or whose 附件 is a 重点任务分工表).

A table is read through the breakdown reader, the one that imports .xlsx and .csv (header detection, numbering,
the lead / cooperating rules), so a table gives the same tasks however it arrives; here its rows become draft
tasks whose spans point at the lines the rows became in the document's text. A table with no breakdown header
(a leading-group list, a budget) is left to the text parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi_tasks.breakdown import BreakdownFileError, BreakdownRow, BreakdownSheet, read_grid
from luoshi_tasks.planparse.documents import DocumentTable
from luoshi_tasks.planparse.models import DraftTask
from luoshi_tasks.planparse.schedule import find_deadline
from luoshi_tasks.planparse.text import fold, to_simplified

# `附件2 重点任务分工表`, `附件2：…`, or a caption on its own (`重点任务分工表`)
_ATTACHMENT = re.compile(r"^\s*(附件\s*[0-9０-９一二三四五六七八九十]*)\s*[:：.．、]?\s*(.*)$")


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
