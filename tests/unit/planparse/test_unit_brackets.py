"""Brackets of units as plans write them after a task, read through `parse_plan`: units with what they do (A牵头，
B配合 / A、B负责), a space after a colon or a comma, a two-character unit, words after the bracket that are
the deadline, and a bracket that names no unit."""

from __future__ import annotations

import pytest

from luoshi_tasks.planparse import DraftTask, parse_plan


def _task(item: str) -> DraftTask:
    """The one task of a plan whose only item is `item`."""
    tasks = parse_plan(f"某县质量提升行动方案\n一、主要任务\n（一）{item}\n").tasks
    assert [t.number for t in tasks] == ["一", "（一）"]
    return tasks[1]


@pytest.mark.parametrize(
    ("item", "lead", "cooperating"),
    [
        # 全国妇联 does not read as a unit's name, 国家卫生健康委 does: half of them is enough
        ("加强妇幼健康服务。（全国妇联、国家卫生健康委负责）", ["全国妇联"], ["国家卫生健康委"]),
        ("开展品牌宣传。（县科协、工会负责）", ["县科协"], ["工会"]),  # a unit of two characters
        ("完善维权机制。（县质监局牵头， 县发改委配合）", ["县质监局"], ["县发改委"]),  # a space after the comma
        ("加强品牌培育。（牵头单位：　县质监局；配合单位：　县发改委）", ["县质监局"], ["县发改委"]),
        # 管委会 written once for the places before it, but not for 各乡镇
        (
            "开展质量提升行动。（责任单位：各乡镇、经开区、万宝新区管委会）",
            ["各乡镇"],
            ["经开区管委会", "万宝新区管委会"],
        ),
        # a full stop inside the bracket ends the units; the note after it names none
        ("开展质量宣传。（县质监局牵头。其他有关单位按职责配合。）", ["县质监局"], []),
    ],
)
def test_units_written_with_what_they_do_or_after_a_space(item: str, lead: list[str], cooperating: list[str]) -> None:
    task = _task(item)
    assert (task.lead_units, task.cooperating_units) == (lead, cooperating)
    assert task.title == item.split("。")[0]


@pytest.mark.parametrize(
    ("item", "lead", "cooperating", "deadline"),
    [
        ("开展质量宣传。（县质监局负责）长期坚持。", ["县质监局"], [], "长期坚持"),
        ("开展质量宣传。（县质监局、县发改委）长期坚持。", ["县质监局"], ["县发改委"], "长期坚持"),
        ("开展质量宣传。（县质监局、县发改委）2026年6月底前。", ["县质监局"], ["县发改委"], "2026年6月底前"),
    ],
)
def test_words_after_the_units_are_the_deadline(
    item: str, lead: list[str], cooperating: list[str], deadline: str
) -> None:
    task = _task(item)
    assert (task.lead_units, task.cooperating_units, task.deadline_text) == (lead, cooperating, deadline)
    assert task.deadline is not None


@pytest.mark.parametrize(
    "bracket",
    [
        "（说明：县质监局）",
        "（县质监局、2个乡镇负责）",  # a count of towns is no unit: the office fills the units in
    ],
)
def test_a_bracket_that_names_no_units_is_left_in_the_words(bracket: str) -> None:
    task = _task(f"开展质量宣传。{bracket}")
    assert (task.lead_units, task.cooperating_units) == ([], [])
    assert task.measures == bracket


@pytest.mark.parametrize(
    ("written", "due"), [("年底", "2015-12-31"), ("12月", "2015-12-31"), ("6月30日", "2015-06-30")]
)
def test_a_deadline_field_without_a_year_is_in_the_plans_year(written: str, due: str) -> None:
    item = f"（一）开展质量宣传。（牵头单位：县质监局；完成时限：{written}）"
    plan = f"某县质量提升行动方案\n夏政〔2015〕29号\n一、主要任务\n{item}\n"
    task = parse_plan(plan).tasks[1]
    assert (task.lead_units, task.deadline_text) == (["县质监局"], written)
    assert task.deadline is not None and task.deadline.due_on.isoformat() == due


def test_a_full_stop_after_the_units_bracket_is_not_added_to_the_measures() -> None:
    task = _task("加强品牌培育。组织企业争创名牌（责任单位：县质监局）。")
    assert (task.title, task.measures, task.lead_units) == ("加强品牌培育", "组织企业争创名牌", ["县质监局"])
