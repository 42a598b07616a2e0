"""Every column of a task division table in a .docx reaches its draft task (`tables._task`): the number without
its 、, the measures, the leader (责任人) and the remarks (备注), titles in simplified characters, and a deadline
written without a year (年底前) read in the plan's year, whether the table is the plan or an attachment beside
its body."""

from __future__ import annotations

import io

import docx
import pytest

from luoshi_tasks.planparse import read_plan
from luoshi_tasks.planparse.documents import read_document

HEADERS = ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限", "责任人", "备注"]
ROWS = [
    [
        "1、",
        "建立质量强县工作协调机制",
        "成立县质量强县工作领导小组。",
        "县质监局",
        "县发改委",
        "年底前",
        "王建国",
        "每季度报送进展",
    ],
    ["2、", "開展品牌宣傳活動", "", "县委宣传部", "", "6月底前", "", ""],
]
BODY = ["夏邑县人民政府", "夏邑县质量强县工作实施方案", "夏政〔2015〕29号"]
TASKS = ["二、工作任务", "（一）加强组织领导。成立创建工作领导小组。（责任单位：县质监局）"]


def _docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for line in paragraphs:
        document.add_paragraph(line)
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADERS))
    for r, cells in enumerate([HEADERS, *ROWS]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("with_body", [False, True], ids=["the table is the plan", "the table beside a body"])
def test_each_column_of_a_table_row_reaches_its_task(with_body: bool) -> None:
    paragraphs = BODY + ([*TASKS, "附件", "重点任务分工表"] if with_body else [])
    document = read_document(_docx(paragraphs), "方案.docx")
    draft = read_plan(document)  # its text and its tables
    rows = draft.tasks[-2:]
    first, second = rows
    level = 1 if with_body else 0
    assert [(t.number, t.level, t.section_kind) for t in rows] == [("1", level, "task"), ("2", level, "task")]
    assert (first.title, first.measures, first.lead_units, first.cooperating_units) == (
        "建立质量强县工作协调机制",
        "成立县质量强县工作领导小组。",
        ["县质监局"],
        ["县发改委"],
    )
    assert (first.person, first.remarks) == ("王建国", "每季度报送进展")
    assert (second.title, second.measures, second.person, second.remarks) == ("开展品牌宣传活动", "", None, None)
    # 年底前 and 6月底前 in the year of the plan's number, 夏政〔2015〕29号
    assert [(t.deadline_text, t.deadline.due_on.isoformat()) for t in rows if t.deadline] == [
        ("年底前", "2015-12-31"),
        ("6月底前", "2015-06-30"),
    ]
    assert document.text[first.span[0] : first.span[1]].startswith("1、　建立质量强县工作协调机制")
    if with_body:
        branch = draft.tasks[-3]
        assert (branch.number, branch.title, branch.level) == ("附件", "重点任务分工表", 0)
        assert first.parent == second.parent == len(draft.tasks) - 3
        assert document.text[branch.span[0] : branch.span[1]].startswith("序号　工作任务")
        assert document.text[branch.span[0] : branch.span[1]].endswith("县委宣传部　6月底前")
    else:
        assert first.parent is None and second.parent is None


def test_a_cell_merged_across_or_down_is_read_once() -> None:
    document = docx.Document()
    document.add_paragraph("夏邑县质量强县工作任务分解表")
    table = document.add_table(rows=4, cols=4)
    for c, header in enumerate(["序号", "工作任务", "具体措施", "牵头单位"]):
        table.cell(0, c).text = header
    # row 1: the task written across the task and measures columns, its unit after the merged cell
    table.cell(1, 0).text = "1"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "建立质量强县工作协调机制"
    table.cell(1, 3).text = "县质监局"
    # row 2: the task's cell merged down over a row that holds nothing else, which is no task of its own
    table.cell(2, 0).text = "2"
    table.cell(2, 1).merge(table.cell(3, 1)).text = "开展质量品牌宣传活动"
    table.cell(2, 2).text = "利用广播电视开展宣传。"
    table.cell(2, 3).text = "县委宣传部"
    out = io.BytesIO()
    document.save(out)
    draft = read_plan(read_document(out.getvalue(), "分解表.docx"))
    assert [(t.number, t.title, t.measures, t.lead_units) for t in draft.tasks] == [
        ("1", "建立质量强县工作协调机制", "", ["县质监局"]),
        ("2", "开展质量品牌宣传活动", "利用广播电视开展宣传。", ["县委宣传部"]),
    ]


@pytest.mark.parametrize(
    ("above", "number", "title"),
    [
        (["附件", "重点任务分工表"], "附件", "重点任务分工表"),
        (["附件2", "", "重点任务分工表"], "附件2", "重点任务分工表"),  # a blank paragraph between
        (["重点任务分工表"], None, "重点任务分工表"),  # no 附件 line: the caption alone, not the task above it
    ],
)
def test_a_table_beside_a_body_is_named_by_the_words_above_it(above: list[str], number: str | None, title: str) -> None:
    draft = read_plan(read_document(_docx(BODY + TASKS + above), "方案.docx"))
    branch = draft.tasks[-3]
    assert (branch.number, branch.title, branch.parent, branch.level) == (number, title, None, 0)
    assert [t.number for t in draft.tasks] == ["二", "（一）", number, "1", "2"]


def test_a_table_without_a_number_column_gives_tasks_without_numbers() -> None:
    document = docx.Document()
    document.add_paragraph("夏邑县质量强县工作任务分解表")
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate(
        [
            ["工作任务", "牵头单位", "完成时限"],
            ["建立质量强县工作协调机制", "县质监局", ""],
            ["开展质量品牌宣传活动", "县委宣传部", ""],
        ]
    ):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    draft = read_plan(read_document(out.getvalue(), "分解表.docx"))
    assert [(t.number, t.title, t.lead_units, t.deadline) for t in draft.tasks] == [
        (None, "建立质量强县工作协调机制", ["县质监局"], None),
        (None, "开展质量品牌宣传活动", ["县委宣传部"], None),
    ]


def test_a_task_table_after_a_table_that_is_no_task_table_is_read() -> None:
    document = docx.Document()
    for line in [*BODY, *TASKS, "三、组织领导", "成立县质量强县工作领导小组："]:
        document.add_paragraph(line)
    group = document.add_table(rows=2, cols=2)  # the leading group, a table the breakdown reader does not take
    for r, cells in enumerate([["组长", "孙文涛　县委常委、副县长"], ["副组长", "孙若梅　县政府办公室主任"]]):
        for c, text in enumerate(cells):
            group.cell(r, c).text = text
    document.add_paragraph("附件")
    document.add_paragraph("重点任务分工表")
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADERS))
    for r, cells in enumerate([HEADERS, *ROWS]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    draft = read_plan(read_document(out.getvalue(), "方案.docx"))
    assert [(t.number, t.title) for t in draft.tasks[-3:]] == [
        ("附件", "重点任务分工表"),
        ("1", "建立质量强县工作协调机制"),
        ("2", "开展品牌宣传活动"),
    ]
