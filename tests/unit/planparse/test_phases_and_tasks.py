"""Phases read from numbered steps and from unnumbered dated lines, a task's parent past a section that is not
a task, units inherited down the tree, and units listed in the order the text first names them."""

from __future__ import annotations

from datetime import date

from luoshi_tasks.planparse import parse_plan

TASK = "一、主要任务\n（一）开展摸底，年底前完成。\n"


def test_numbered_steps_with_a_yearly_one_in_the_plan_s_year() -> None:
    draft = parse_plan(
        f"某县质量强县工作方案\n2011年1月20日\n{TASK}二、实施步骤\n1.宣传发动（2011年2月至2011年11月）。\n2.考核评价（每年9月）。"
    )
    assert [(p.name, p.start, p.end, p.repeat) for p in draft.phases] == [
        ("宣传发动", date(2011, 2, 1), date(2011, 11, 30), None),
        ("考核评价", date(2011, 9, 1), date(2011, 9, 30), "yearly"),
    ]
    yearly = draft.phases[1]
    assert yearly.text == "考核评价（每年9月）。"
    assert yearly.schedule is not None and (yearly.schedule.frequency, yearly.schedule.month) == ("yearly", 9)


def test_unnumbered_steps_are_the_dated_lines_of_the_steps_section_only() -> None:
    text = (
        f"{TASK}二、实施步骤\n宣传发动阶段（2015年2月至2015年11月）：召开动员大会。\n考核评价（每年9月）：县政府组织考核。\n"
        "总结提高阶段（2015年12月底前）：全面总结。"
    )
    draft = parse_plan(text, today=date(2015, 1, 1))
    assert [(p.name, p.start, p.end, p.repeat) for p in draft.phases] == [
        ("宣传发动阶段", date(2015, 2, 1), date(2015, 11, 30), None),
        ("考核评价", date(2015, 9, 1), date(2015, 9, 30), "yearly"),
        ("总结提高阶段", None, date(2015, 12, 31), None),
    ]
    assert draft.phases[0].text == "宣传发动阶段（2015年2月至2015年11月）：召开动员大会。"
    assert parse_plan(f"{TASK}二、实施步骤", today=date(2015, 1, 1)).phases == []  # a heading with no lines


def test_a_task_under_a_section_that_is_no_task_hangs_from_the_task_above_it() -> None:
    draft = parse_plan("一、主要任务\n（一）指导思想\n1.工作目标")  # 指导思想 is preamble; 工作目标 a goal
    assert [(t.number, t.parent, t.section_kind) for t in draft.tasks] == [("一", None, "task"), ("1", 0, "goal")]


def test_a_unit_heading_leads_every_item_below_it_however_deep() -> None:
    draft = parse_plan("四、职责分工\n（一）市商务局。\n1.负责流通。\n（1）负责细则。")
    assert [(t.number, t.lead_units) for t in draft.tasks] == [
        ("四", []),
        ("（一）", ["市商务局"]),
        ("1", ["市商务局"]),
        ("（1）", ["市商务局"]),
    ]


def test_units_are_listed_in_the_order_the_text_first_names_them() -> None:
    # the task begins before the group sentence inside it, so its lead unit comes first
    text = "一、保障措施\n（一）加强组织领导。成立质量工作领导小组，县质监局、县工信局为成员。（责任单位：县政府办）"
    assert [u.name for u in parse_plan(text).units] == ["县政府办", "县质监局", "县工信局"]


def test_steps_dated_relative_to_the_plan_s_year_in_each_steps_section() -> None:
    head = f"某县质量强县工作方案\n2011年1月20日\n{TASK}"
    numbered = parse_plan(
        f"{head}二、实施步骤\n1.宣传发动（2011年2月至2011年3月）。\n2.总结提高（年底前）。\n"
        "三、进度安排\n1.验收（2011年11月至2011年12月）。"
    )
    assert [(p.name, p.start, p.end) for p in numbered.phases] == [
        ("宣传发动", date(2011, 2, 1), date(2011, 3, 31)),
        ("总结提高", None, date(2011, 12, 31)),  # 年底前 of the plan's year
        ("验收", date(2011, 11, 1), date(2011, 12, 31)),  # a second steps section is read too
    ]
    unnumbered = parse_plan(
        f"{head}二、实施步骤\n宣传发动阶段（2011年2月至2011年3月）：召开大会。\n总结提高阶段（年底前）：全面总结。"
    )
    assert [(p.name, p.end) for p in unnumbered.phases] == [
        ("宣传发动阶段", date(2011, 3, 31)),
        ("总结提高阶段", date(2011, 12, 31)),
    ]


def test_steps_under_a_section_that_is_no_steps_section_are_read() -> None:
    draft = parse_plan(f"{TASK}二、组织实施\n（一）实施步骤\n1.宣传发动（2011年2月至2011年3月）。")
    assert [(p.name, p.start, p.end) for p in draft.phases] == [("宣传发动", date(2011, 2, 1), date(2011, 3, 31))]


def test_the_office_s_unit_is_listed_where_the_text_names_it() -> None:
    text = (
        "一、保障措施\n（一）加强组织领导。成立质量工作领导小组，县质监局、县工信局为成员，办公室设在县质量办。"
        "（责任单位：县政府办）"
    )
    assert [u.name for u in parse_plan(text).units] == ["县政府办", "县质监局", "县工信局", "县质量办"]
