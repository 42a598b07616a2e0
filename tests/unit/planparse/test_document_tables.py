"""A task division table inside a .docx reads as the same table saved as .xlsx and imported (issue 15, item 3).

The rows are Xiayi county's 2015 plan (tests/fixtures/breakdown_factory.py, copied from the plan); what the
.docx must give is what the breakdown import reads from the .xlsx of the same rows, and the hand checks below
are what a reader of the table sees (merged cells, the attachment's caption)."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.table import Table

from luoshi_tasks.breakdown import HEADERS, read_breakdown, write_breakdown_xlsx
from luoshi_tasks.planparse import parse_plan
from luoshi_tasks.planparse.documents import read_document
from tests.fixtures.breakdown_factory import make_breakdown_rows

TITLE = "夏邑县创建全国知名品牌示范区实施方案"
BODY = """夏邑县人民政府
关于印发夏邑县创建全国知名品牌示范区实施方案的通知
夏政〔2015〕29号
一、指导思想
以科学发展观为指导，全面推进质量强县战略。
二、工作任务
（一）加强组织领导。成立创建工作领导小组。（责任单位：县质监局）
（二）广泛宣传发动。利用广播电视开展宣传。（责任单位：县委宣传部）
"""


def _cells(row: dict[str, Any]) -> list[str]:
    units = list(row["lead_units"])
    return [
        row.get("number") or "",
        row["title"],
        row.get("measures") or "",
        "、".join(units),
        "、".join(row.get("cooperating_units") or ()),
        row.get("deadline_text") or "",
        row.get("person") or "",
        row.get("remarks") or "",
    ]


def _table(document: Any, rows: list[dict[str, Any]]) -> Table:
    table = document.add_table(rows=1 + len(rows), cols=len(HEADERS))
    for col, header in enumerate(HEADERS):
        table.cell(0, col).text = header
    for r, row in enumerate(rows, start=1):
        for col, text in enumerate(_cells(row)):
            table.cell(r, col).text = text
    return table


def _docx(build: Any) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _seen(tasks: list[Any]) -> list[tuple[Any, ...]]:
    """What the office reviews of each task: number, parent's number, title, lead, cooperating, deadline."""
    return [
        (
            t.number,
            tasks[t.parent].number if t.parent is not None else None,
            t.title,
            list(t.lead_units),
            list(t.cooperating_units),
            t.deadline_text,
        )
        for t in tasks
    ]


def test_a_docx_whose_plan_is_a_table_reads_as_the_xlsx_import_of_that_table() -> None:
    rows = make_breakdown_rows(24)

    def build(document: Any) -> None:
        document.add_paragraph(TITLE)
        document.add_paragraph("夏政〔2015〕29号")
        _table(document, rows)

    document = read_document(_docx(build), "任务分解表.docx")
    draft = parse_plan(document.text, tables=document.tables)
    imported = read_breakdown(write_breakdown_xlsx(TITLE, rows), "任务分解表.xlsx").rows
    by_row = {r.row: r for r in imported}
    expected = [
        (
            r.number,
            by_row[r.parent_row].number if r.parent_row else None,
            r.title,
            r.lead_units,
            r.cooperating_units,
            r.deadline_text,
        )
        for r in imported
    ]
    assert _seen(draft.tasks) == expected
    assert len(draft.tasks) == 24
    # read by hand from the rows: the first section and its first goal, with the goal's lead first
    assert _seen(draft.tasks)[:2] == [
        ("一", None, "工作目标", [], [], None),
        ("（一）", "一", "产业集聚发展迅速", ["产业集聚区管委会"], ["发改委", "统计局"], "2015年12月底前"),
    ]
    assert draft.tasks[1].deadline is not None and draft.tasks[1].deadline.due_on.isoformat() == "2015-12-31"
    # each task points at its own row's line in the text the office sees
    start, end = draft.tasks[1].span
    assert document.text[start:end].startswith("（一）　产业集聚发展迅速")
    assert draft.plan.doc_number == "夏政〔2015〕29号"


def test_merged_cells_read_as_a_reader_sees_them() -> None:
    rows = make_breakdown_rows(4)  # 一 工作目标, then （一） … （三）

    def build(document: Any) -> None:
        document.add_paragraph(TITLE)
        table = _table(document, rows)
        # the section row written once across the whole width, as tables in Word usually are
        section = table.rows[1]
        section.cells[0].merge(section.cells[-1]).text = "一、工作目标"
        # one lead unit cell merged down over the three goals
        lead = table.cell(2, 3).merge(table.cell(4, 3))
        lead.text = "产业集聚区管委会"

    document = read_document(_docx(build), "t.docx")
    draft = parse_plan(document.text, tables=document.tables)
    seen = _seen(draft.tasks)
    assert [(number, parent, title) for number, parent, title, *_ in seen] == [
        ("一", None, "工作目标"),
        ("（一）", "一", "产业集聚发展迅速"),
        ("（二）", "一", "特色产业集群初步形成"),
        ("（三）", "一", "主要基础设施配套完善"),
    ]
    assert [lead for _, _, _, lead, _, _ in seen[1:]] == [["产业集聚区管委会"]] * 3


def test_a_task_table_in_an_attachment_is_a_branch_beside_the_body() -> None:
    rows = make_breakdown_rows(6)

    def build(document: Any) -> None:
        for line in BODY.splitlines():
            document.add_paragraph(line)
        document.add_paragraph("附件2")
        document.add_paragraph("重点任务分工表")
        _table(document, rows)

    document = read_document(_docx(build), "方案.docx")
    draft = parse_plan(document.text, tables=document.tables)
    seen = _seen(draft.tasks)
    # the body as written (一、指导思想 is no task), then the attachment under its caption, its rows once each:
    # not also read as the body's numbered items
    assert seen[:4] == [
        ("二", None, "工作任务", [], [], None),
        ("（一）", "二", "加强组织领导", ["县质监局"], [], None),
        ("（二）", "二", "广泛宣传发动", ["县委宣传部"], [], None),
        ("附件2", None, "重点任务分工表", [], [], None),
    ]
    assert len(seen) == 4 + 6
    assert seen[4:6] == [
        ("一", "附件2", "工作目标", [], [], None),
        ("（一）", "一", "产业集聚发展迅速", ["产业集聚区管委会"], ["发改委", "统计局"], "2015年12月底前"),
    ]
    assert [t.level for t in draft.tasks[3:6]] == [0, 1, 2]


def test_a_task_table_pasted_as_text_one_cell_per_line_reads_as_the_docx_table() -> None:
    rows = make_breakdown_rows(6)

    def build(document: Any) -> None:
        for line in BODY.splitlines():
            document.add_paragraph(line)
        document.add_paragraph("附件2")
        document.add_paragraph("重点任务分工表")
        _table(document, rows)

    document = read_document(_docx(build), "方案.docx")
    from_docx = parse_plan(document.text, tables=document.tables)
    # as copied from a web page: every cell on a line of its own, an empty cell an empty line
    pasted = "\n".join([*BODY.splitlines(), "附件2", "重点任务分工表", *HEADERS, *(c for r in rows for c in _cells(r))])
    from_text = parse_plan(pasted + "\n")
    assert _seen(from_text.tasks) == _seen(from_docx.tasks)
    assert len(from_text.tasks) == 4 + 6
    # each row's task points at the lines its cells were
    start, end = from_text.tasks[5].span
    assert pasted[start:end].startswith("（一）\n产业集聚发展迅速")


def test_the_web_tables_own_headers_are_known_to_the_breakdown_reader() -> None:
    # 国办发〔2018〕126号's list: 改革举措 is the task, 主要内容 its measures, 指导部门 the units (first leads)
    from luoshi_tasks.breakdown import Grid, read_grid

    grid = Grid("t", {1: {1: "序号", 2: "改革举措", 3: "主要内容", 4: "指导部门", 5: "推广范围"}}, {1, 2})
    grid.cells[2] = {
        1: "3",
        2: "以降低侵权损失为核心的专利保险机制",
        3: "开发保险产品。",
        4: "国家知识产权局、中国银保监会",
    }
    row = read_grid(grid).rows[0]
    assert (row.title, row.measures, row.lead_units, row.cooperating_units) == (
        "以降低侵权损失为核心的专利保险机制",
        "开发保险产品。",
        ["国家知识产权局"],
        ["中国银保监会"],
    )
