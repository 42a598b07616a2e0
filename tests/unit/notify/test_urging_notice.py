"""The 督办通知单 as the unit prints it: its number, each fact in its row, the deadline worded for a task overdue,
not yet due or with no deadline, and the 落款 — read back from the .docx."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import docx
import pytest

from luoshi_notify.planning.urging import UrgingNotice, urging_docx

NOTICE: dict[str, Any] = {
    "plan_title": "全面推进质量强县建设实施方案",
    "doc_number": "催政〔2026〕1号",
    "task_number": "（三）2",
    "task_title": "开展监督抽查",
    "unit_name": "县市场监管局",
    "due_on": date(2026, 11, 20),
    "state": "in_progress",
    "overdue_workdays": 10,
    "urged_times": 2,
    "note": "请于本周五前报送抽查结果。",
    "issuer": "县质量强县工作领导小组办公室",
    "issued_on": date(2026, 12, 4),
}


def read(notice: UrgingNotice) -> tuple[list[str], dict[str, str]]:
    document = docx.Document(io.BytesIO(urging_docx(notice)))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["项目", "内容"]
    return paragraphs, {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}


def test_the_notice_prints_every_fact_in_its_row() -> None:
    paragraphs, cells = read(UrgingNotice(**NOTICE))
    # title, number (year, month and day of issue, then which urging of this assignment it is), 落款
    assert paragraphs == ["督办通知单", "督办〔2026〕第1204-2号", "县质量强县工作领导小组办公室", "2026年12月4日"]
    assert cells == {
        "督办事项": "（三）2 开展监督抽查",
        "所属方案": "全面推进质量强县建设实施方案（催政〔2026〕1号）",
        "责任单位": "县市场监管局",
        "完成时限": "2026年11月20日，已逾期10个工作日",
        "办理状态": "办理中",
        "督办次数": "第2次",
        "督办意见": "请于本周五前报送抽查结果。",
        "办理要求": "请接此通知后抓紧办理，并于3个工作日内将办理情况书面报送督办单位。",
    }


def test_a_number_within_a_month_keeps_two_digits() -> None:
    paragraphs, _ = read(UrgingNotice(**{**NOTICE, "issued_on": date(2027, 3, 5), "urged_times": 1}))
    assert paragraphs[1] == "督办〔2027〕第0305-1号"


@pytest.mark.parametrize(
    ("due_on", "overdue", "timing"),
    [
        pytest.param(date(2026, 11, 20), 10, "2026年11月20日，已逾期10个工作日", id="overdue"),
        pytest.param(date(2026, 12, 31), 0, "2026年12月31日，尚未到期", id="not-yet-due"),
        pytest.param(None, 0, "无固定完成时限", id="no-deadline"),
    ],
)
def test_the_deadline_says_how_late_the_task_is(due_on: date | None, overdue: int, timing: str) -> None:
    _, cells = read(UrgingNotice(**{**NOTICE, "due_on": due_on, "overdue_workdays": overdue}))
    assert cells["完成时限"] == timing


def test_what_the_office_left_out_is_worded_for_it() -> None:
    bare = {**NOTICE, "doc_number": None, "task_number": None, "note": "", "state": "suspended"}
    _, cells = read(UrgingNotice(**bare))
    assert cells["督办事项"] == "开展监督抽查"  # no number: the title alone, no leading space
    assert cells["所属方案"] == "全面推进质量强县建设实施方案"  # no 文号, no empty brackets
    assert cells["督办意见"] == "该项任务尚未办结，现予督办。"
    assert cells["办理状态"] == "未办结"  # a state the notice has no word for is still not done


@pytest.mark.parametrize(
    ("state", "word"),
    [
        pytest.param("assigned", "已交办", id="assigned"),
        pytest.param("acknowledged", "已签收", id="acknowledged"),
        pytest.param("completion_requested", "申请办结", id="completion-requested"),
    ],
)
def test_the_state_is_in_chinese(state: str, word: str) -> None:
    _, cells = read(UrgingNotice(**{**NOTICE, "state": state}))
    assert cells["办理状态"] == word


def test_the_notice_is_laid_out_as_an_office_prints_it() -> None:
    # the number centred under the title in 四号 (14 pt); the facts in a table in 小四 (12 pt), the item column a
    # fifth of the type area (15.6 cm) and the content four fifths; the 落款 flush right; nothing indented
    document = docx.Document(io.BytesIO(urging_docx(UrgingNotice(**NOTICE))))
    assert document.core_properties.title == "督办通知单"
    title, number, *_, issuer, day = document.paragraphs
    assert (number.text, number.alignment, number.runs[0].font.size.pt) == ("督办〔2026〕第1204-2号", 1, 14)
    assert [(p.text, p.alignment) for p in (issuer, day)] == [(NOTICE["issuer"], 2), ("2026年12月4日", 2)]
    assert all(p.paragraph_format.first_line_indent is None for p in document.paragraphs if p is not title)
    facts = document.tables[0]
    assert {run.font.size.pt for row in facts.rows for cell in row.cells for run in cell.paragraphs[0].runs} == {12}
    assert [round(cell.width.cm, 2) for cell in facts.rows[1].cells] == [3.12, 12.48]
