"""What parse_plan refuses, with the code and both messages each refusal carries, the task limit at its edge,
and the year relative deadlines take."""

from __future__ import annotations

from datetime import date

import pytest

from luoshi.filelimits import LimitExceeded
from luoshi_tasks.planparse import PlanParseError, parse_plan

PLAN = "一、主要任务\n（一）开展质量提升行动。\n1.摸底。\n二、保障措施"


def refusal(text: object) -> PlanParseError:
    with pytest.raises(PlanParseError) as raised:
        parse_plan(text)  # type: ignore[arg-type]
    return raised.value


@pytest.mark.parametrize("text", ["", " \n", "上一篇：关于开展质量月活动的通知", b"bytes, not text"])
def test_no_text_is_refused_as_empty(text: object) -> None:
    # junk alone (web-page furniture) leaves nothing to read either
    error = refusal(text)
    assert (error.code, error.message, error.message_zh) == ("plan_empty", "The text is empty", "文本为空")
    assert str(error) == "The text is empty"


def test_binary_is_refused() -> None:
    error = refusal(PLAN + "\x01\x02")  # a short text: more than one control character is binary
    assert (error.code, error.message, error.message_zh) == (
        "plan_binary",
        "The text looks like binary data, not a document",
        "文本像是二进制数据，不是文件",
    )
    assert refusal(PLAN * 10 + "\x00").code == "plan_binary"  # any NUL, however long the text


def test_a_few_control_characters_in_a_long_text_are_not_binary() -> None:
    text = PLAN + "。" * (100 - len(PLAN) - 2) + "\x01\x02"  # 2 in 100: at the 2 % share, not past it
    assert len(text) == 100
    assert [t.title for t in parse_plan(text).tasks][:2] == ["主要任务", "开展质量提升行动"]


def test_text_without_numbered_tasks_is_refused_as_no_plan() -> None:
    error = refusal("今天天气很好，我们去公园散步。")
    assert (error.code, error.message, error.message_zh) == (
        "plan_not_a_plan",
        "No numbered tasks found (一、 （一） 1. …): this does not read as a plan",
        "未找到编号的工作任务（一、（一）1. 等），不像是实施方案",
    )


def test_the_task_limit_counts_every_task_and_allows_exactly_the_limit() -> None:
    assert len(parse_plan(PLAN, max_tasks=4).tasks) == 4
    with pytest.raises(LimitExceeded) as raised:
        parse_plan(PLAN, max_tasks=3)
    error = raised.value
    assert (error.code, error.limit, error.value) == ("draft_too_many_tasks", 3, 4)
    assert error.message == "The document has 4 tasks, more than the 3 a draft may have"
    assert error.message_zh == "文件中有 4 项任务，超过草稿上限 3 项"


def test_each_task_s_level_is_its_depth_in_the_tree() -> None:
    assert [t.level for t in parse_plan(PLAN).tasks] == [0, 1, 2, 0]


def test_relative_deadlines_take_the_issue_date_s_year_before_the_document_number_s() -> None:
    item = "一、主要任务\n（一）开展摸底。年底前完成。"
    dated = parse_plan(f"某县质量强县工作方案\n夏政〔2010〕3号\n2011年1月20日\n{item}")
    assert dated.tasks[1].deadline.due_on == date(2011, 12, 31)
    numbered = parse_plan(f"某县质量强县工作方案\n夏政〔2010〕3号\n{item}")
    assert numbered.tasks[1].deadline.due_on == date(2010, 12, 31)


def test_a_plan_ending_with_a_leading_group_table_row_reads() -> None:
    draft = parse_plan(f"{PLAN}\n附件：领导小组名单\n组长　孙文涛　县委常委")
    assert [(m.role, m.name, m.title) for m in draft.group] == [("组长", "孙文涛", "县委常委")]
