"""Who leads and who cooperates, read from the responsibility clause after a task, as a plan's reader means it.

The labels mean: 牵头单位 leads; 配合/协办/参与单位 cooperate; 责任单位 beside a 牵头单位 cooperate (the lead is
named apart), 责任单位 beside 配合单位 lead (they are the ones answerable, helped by the others), and 责任单位
alone make the first one listed lead. A unit leading a task is not also listed as cooperating on it, and the
clause is the one that closes the item: a labelled sentence earlier in its text belongs to its measures.
"""

from __future__ import annotations

import pytest

from luoshi_tasks.planparse import parse_plan
from luoshi_tasks.planparse.responsibility import (
    Responsibility,
    find_responsibility,
    heading_unit,
    looks_like_unit,
    units_in,
)
from luoshi_tasks.planparse.text import fold


def responsibility(text: str) -> Responsibility | None:
    """find_responsibility on an item's text as the parser hands it over: `match` folded, `display` as written."""
    return find_responsibility(fold(text), text)


def units(text: str) -> tuple[list[str], list[str]] | None:
    found = responsibility(text)
    return None if found is None else (found.lead, found.cooperating)


def one_task(item: str) -> tuple[list[str], list[str], str]:
    """The lead units, cooperating units and measures of the one item under 一、主要任务."""
    task = parse_plan(f"一、主要任务\n{item}\n").tasks[1]
    return task.lead_units, task.cooperating_units, task.measures


def test_responsible_units_beside_a_lead_unit_cooperate() -> None:
    item = "开展质量提升行动。（牵头单位：市质监局；责任单位：市工信局、市统计局）"
    assert units(item) == (["市质监局"], ["市工信局", "市统计局"])
    assert one_task(f"（一）{item}")[:2] == (["市质监局"], ["市工信局", "市统计局"])


def test_responsible_units_beside_cooperating_units_all_lead() -> None:
    item = "开展质量提升行动。（责任单位：市质监局、市工信局；配合单位：市统计局）"
    assert units(item) == (["市质监局", "市工信局"], ["市统计局"])
    assert one_task(f"（一）{item}")[:2] == (["市质监局", "市工信局"], ["市统计局"])


def test_responsible_units_alone_first_leads_rest_cooperate() -> None:
    assert units("开展质量提升行动。（责任单位：市质监局、市工信局、市统计局）") == (
        ["市质监局"],
        ["市工信局", "市统计局"],
    )


def test_a_unit_that_leads_is_not_also_cooperating() -> None:
    # a plan that repeats the lead among the cooperating units, or among the responsible ones beside it
    assert units("开展质量提升行动。（牵头单位：市质监局；配合单位：市质监局、市工信局）") == (
        ["市质监局"],
        ["市工信局"],
    )
    assert units("开展质量提升行动。（牵头单位：市质监局；责任单位：市工信局、市质监局）") == (
        ["市质监局"],
        ["市工信局"],
    )
    # and a unit named under two lead labels leads once
    assert units("开展质量提升行动。（牵头单位：市质监局；主办单位：市质监局、市工信局）") == (
        ["市质监局", "市工信局"],
        [],
    )


def test_the_clause_that_closes_the_item_names_its_units() -> None:
    # an item in two paragraphs: the first is a measure that happens to start with a label; the units that answer
    # for the item are the ones in the clause at its end, and the earlier sentence stays in the measures
    item = "建立质量奖励制度。\n责任单位：各县（市、区）政府要于年底前报送名单。\n责任单位：市财政局、市人社局。"
    found = responsibility(item)
    assert found is not None and (found.lead, found.cooperating) == (["市财政局"], ["市人社局"])
    assert item[found.start :] == "责任单位：市财政局、市人社局。"
    lead, cooperating, measures = one_task(f"（一）{item}")
    assert (lead, cooperating) == (["市财政局"], ["市人社局"])
    assert "各县（市、区）政府要于年底前报送名单" in measures


def test_an_unbracketed_clause_with_two_labels_reads_both() -> None:
    assert units("开展质量提升行动。\n牵头单位：市质监局；责任单位：市工信局。") == (["市质监局"], ["市工信局"])
    assert units("开展质量提升行动。\n责任单位：市质监局、市工信局；协办单位：市统计局。") == (
        ["市质监局", "市工信局"],
        ["市统计局"],
    )


def test_no_clause_no_units() -> None:
    assert responsibility("开展质量提升行动。年底前完成全市企业质量摸底。") is None
    assert responsibility("开展质量提升行动（2011年）。") is None  # a bracket that lists no units


# Issue 15: every way plans write units (forms taken from the corpus's State Council plans)


def test_a_bracket_of_units_that_are_responsible_first_leads() -> None:
    assert units("加快关键技术产业化。（工业和信息化部、发展改革委、科技部负责）") == (
        ["工业和信息化部"],
        ["发展改革委", "科技部"],
    )


def test_a_trailing_deng_is_dropped() -> None:
    assert units("创新现代农机服务模式。（工业和信息化部、发展改革委、商务部等负责）") == (
        ["工业和信息化部"],
        ["发展改革委", "商务部"],
    )


def test_units_that_lead_together_all_lead() -> None:
    assert units("重大问题及时向国务院报告。（农业农村部、工业和信息化部牵头负责）") == (
        ["农业农村部", "工业和信息化部"],
        [],
    )


def test_units_that_guide_are_responsible() -> None:
    assert units("实现固体废物产消平衡。（生态环境部、工业和信息化部指导）") == (["生态环境部"], ["工业和信息化部"])


def test_a_lead_and_participants_each_by_their_verb() -> None:
    clause = "（生态环境部牵头，国家发展改革委、工业和信息化部参与）"
    assert units(f"发挥导向引领作用。{clause}") == (["生态环境部"], ["国家发展改革委", "工业和信息化部"])
    assert units("完善线下回收网点。(商务部指导,供销合作总社参与)") == (["商务部"], ["供销合作总社"])
    assert units("统筹推进。（市发改委、市财政局牵头，各区政府按职责分工负责）") == (
        ["市发改委", "市财政局"],
        ["各区政府"],
    )


def test_units_then_deng_and_a_collective_recipient() -> None:
    clause = "（扶贫办、发展改革委、人力资源社会保障部、商务部等和各有关省级人民政府负责）"
    assert units(f"拓宽贫困地区农产品销售渠道。{clause}") == (
        ["扶贫办"],
        ["发展改革委", "人力资源社会保障部", "商务部", "各有关省级人民政府"],
    )


def test_a_note_after_a_full_stop_in_the_bracket_is_not_a_unit() -> None:
    clause = "（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）"
    assert units(f"形成综合管理体制机制。{clause}") == (["生态环境部"], ["试点城市政府"])


def test_a_bracket_of_words_that_is_no_unit_list_is_not_read() -> None:
    assert units("垃圾焚烧发电企业实施“装、树、联”（垃圾焚烧企业依法依规安装污染物排放自动监测设备）") is None
    assert units("鼓励各地先行先试（具体办法由各地负责）") is None


def test_a_shared_suffix_is_written_out() -> None:
    assert units("加快园区建设。（责任单位：经开区、万宝新区管委会）") == (["经开区管委会"], ["万宝新区管委会"])
    assert units("加快园区建设。（责任单位：市发改委、经开区管委会）") == (["市发改委"], ["经开区管委会"])


def test_fields_written_together_are_split_by_their_labels() -> None:
    text = "（二）开展质量提升行动。（牵头单位：县质监局；配合单位：县发改委；完成时限：2026年12月底前）"
    found = responsibility(text)
    assert found is not None and (found.lead, found.cooperating) == (["县质监局"], ["县发改委"])
    task = parse_plan(f"一、主要任务\n{text}\n").tasks[1]
    assert (task.lead_units, task.cooperating_units) == (["县质监局"], ["县发改委"])
    assert task.deadline_text and "2026年12月底前" in task.deadline_text


def test_a_named_leader_is_a_person_never_a_unit() -> None:
    text = "（二）开展质量提升行动。（责任领导：张三；牵头单位：县质监局；配合单位：县发改委）"
    task = parse_plan(f"一、主要任务\n{text}\n").tasks[1]
    assert (task.lead_units, task.cooperating_units, task.person) == (["县质监局"], ["县发改委"], "张三")


def test_an_item_whose_sentences_each_close_with_units_gives_a_child_task_each() -> None:
    item = (
        "（一）提升质量水平。开展质量提升行动，2026年6月底前完成。（责任单位：县质监局、县工信局）"
        "建立品牌培育机制。（责任单位：县商务局）推进标准化建设，加强计量基础。（责任单位：县市场监管局、县科技局）"
    )
    tasks = parse_plan(f"一、主要任务\n{item}\n二、保障措施\n（一）加强组织领导。\n").tasks
    item_task, *children = tasks[1:5]
    assert (item_task.number, item_task.title, item_task.lead_units) == ("（一）", "提升质量水平", [])
    assert [(c.parent, c.number, c.title) for c in children] == [
        (1, None, "开展质量提升行动，2026年6月底前完成"),
        (1, None, "建立品牌培育机制"),
        (1, None, "推进标准化建设，加强计量基础"),
    ]
    assert [(c.lead_units, c.cooperating_units) for c in children] == [
        (["县质监局"], ["县工信局"]),
        (["县商务局"], []),
        (["县市场监管局"], ["县科技局"]),
    ]
    assert children[0].deadline_text and children[1].deadline is None
    assert tasks[5].number == "二"


def test_an_unnumbered_paragraph_with_its_own_units_after_an_item_is_a_task() -> None:
    text = (
        "一、主要任务\n（一）强化顶层设计。建立指标体系。（生态环境部牵头，国家统计局参与）\n"
        "优化管理体制机制，强化部门分工协作。明确部门职责边界。（生态环境部指导）\n"
    )
    tasks = parse_plan(text).tasks
    assert [(t.title, t.lead_units, t.cooperating_units) for t in tasks[2:]] == [
        ("建立指标体系", ["生态环境部"], ["国家统计局"]),
        ("优化管理体制机制，强化部门分工协作", ["生态环境部"], []),
    ]


def test_a_closing_paragraph_after_the_last_item_is_not_a_task_and_keeps_its_units() -> None:
    text = (
        "一、主要任务\n（一）完善投入机制。鼓励社会资本设立基金。（体育总局、财政部负责）\n"
        "各地区、各有关部门要充分认识发展体育竞赛表演产业的重要意义，加强组织领导。\n"
    )
    tasks = parse_plan(text).tasks
    assert len(tasks) == 2
    assert (tasks[1].lead_units, tasks[1].cooperating_units) == (["体育总局"], ["财政部"])


def test_a_heading_ending_in_a_units_character_is_no_unit() -> None:
    from luoshi_tasks.planparse.responsibility import heading_unit

    assert heading_unit("优化农机装备产业结构布局") is None
    assert heading_unit("构建开放发展新格局") is None
    assert heading_unit("市商务局") == "市商务局"
    text = "一、主要任务\n（五）优化农机装备产业结构布局\n1.鼓励大型企业转变。\n2.支持中小企业发展。\n"
    assert [t.lead_units for t in parse_plan(text).tasks] == [[], [], [], []]


def test_an_item_number_directly_followed_by_digits_is_a_number() -> None:
    text = (
        "一、主要任务\n10.羊城学者项目。每年资助一批。（牵头单位：市教育局）\n"
        "11.121人才梯队项目。重点培养不少于10名。（牵头单位：市人社局）\n"
        "12.博士后培养项目。（牵头单位：市科技局）\n"
    )
    tasks = parse_plan(text).tasks
    assert [(t.number, t.title, t.lead_units) for t in tasks[1:]] == [
        ("10", "羊城学者项目", ["市教育局"]),
        ("11", "121人才梯队项目", ["市人社局"]),
        ("12", "博士后培养项目", ["市科技局"]),
    ]
    # a number that does not follow the item before is the item's words: 2.5亿元 is not item 2
    text = "一、主要任务\n1.加大投入。\n2.5亿元用于人才引进。\n"
    assert [t.number for t in parse_plan(text).tasks] == ["一", "1"]


def test_the_state_councils_signature_ends_the_last_item() -> None:
    text = "一、主要任务\n（一）加强舆论引导。（农业农村部、工业和信息化部等负责）\n国务院\n2018年12月21日\n"
    task = parse_plan(text).tasks[1]
    assert "国务院" not in task.measures and task.span[1] == text.index("\n国务院")


def test_collective_recipients_are_kept_as_written_and_marked_not_unknown() -> None:
    text = (
        "一、主要任务\n（一）拓宽销售渠道。（商务部、发展改革委等和各有关省级人民政府负责）\n"
        "（二）加强督查。（牵头单位：市督查室；配合单位：市直有关单位、领导小组各成员单位、各县市区人民政府）\n"
    )
    draft = parse_plan(text)
    assert draft.tasks[1].cooperating_units == ["发展改革委", "各有关省级人民政府"]
    assert draft.tasks[2].cooperating_units == ["市直有关单位", "领导小组各成员单位", "各县市区人民政府"]
    collective = {u.name for u in draft.units if u.collective}
    assert collective == {"各有关省级人民政府", "市直有关单位", "领导小组各成员单位", "各县市区人民政府"}
    assert draft.unknown_units == ["商务部", "发展改革委", "市督查室"]
    # a stored draft from before the flag reads back, every unit not collective
    old = draft.model_dump(mode="json")
    for unit in old["units"]:
        del unit["collective"]
    assert not any(u.collective for u in type(draft).model_validate(old).units)


def test_lead_and_responsible_units_on_lines_of_their_own_are_both_kept() -> None:
    text = (
        "一、主要任务\n（一）开展质量提升行动，提高产品质量。\n牵头单位：县质监局\n责任单位：县发改委、县工信局\n"
        "（二）加强宣传。\n责任领导：张三\n牵头单位：县委宣传部\n配合单位：县文广局\n完成时限：2026年12月底前\n"
    )
    first, second = parse_plan(text).tasks[1:]
    assert (first.lead_units, first.cooperating_units, first.measures) == (["县质监局"], ["县发改委", "县工信局"], "")
    assert (second.lead_units, second.cooperating_units, second.person) == (["县委宣传部"], ["县文广局"], "张三")
    assert second.deadline is not None and second.deadline_text == "2026年12月底前"


def test_an_inline_clause_with_a_deadline_after_the_units() -> None:
    text = "一、主要任务\n（一）开展质量提升行动。牵头单位：县质监局；配合单位：县发改委；2026年12月底前完成。\n"
    task = parse_plan(text).tasks[1]
    assert (task.lead_units, task.cooperating_units) == (["县质监局"], ["县发改委"])
    assert task.deadline is not None and task.deadline.kind == "date"


def test_units_then_a_deadline_of_their_own() -> None:
    task = parse_plan("一、主要任务\n（一）加强宣传。（责任单位：县委宣传部）长期坚持。\n").tasks[1]
    assert (task.lead_units, task.deadline_text) == (["县委宣传部"], "长期坚持")
    assert task.deadline is not None and task.deadline.kind == "open"


def test_three_labels_each_take_the_units_up_to_the_next() -> None:
    # 责任单位 beside a 牵头单位 cooperate, after those labelled 配合
    assert units("开展行动。（牵头单位：市质监局；责任单位：市财政局；配合单位：市工信局）") == (
        ["市质监局"],
        ["市工信局", "市财政局"],
    )


def test_an_item_that_is_only_a_bracketed_list_of_units() -> None:
    assert units("（市质监局、市工信局）") == (["市质监局"], ["市工信局"])


def test_a_level_prefix_joins_the_unit_after_it_but_not_at_the_end_of_the_list() -> None:
    assert units_in("各市、县(市、区)政府") == ["各市、县(市、区)政府"]
    assert units_in("县财政局、各乡镇") == ["县财政局", "各乡镇"]


def test_a_unit_name_is_2_to_30_characters_ending_in_a_unit_word() -> None:
    assert looks_like_unit("海关") and looks_like_unit("某" * 29 + "局")
    assert not looks_like_unit("某" * 30 + "局") and not looks_like_unit("加强领导") and not looks_like_unit("局")


def test_the_clause_starts_at_its_bracket_even_with_spaces_or_a_full_stop_around_it() -> None:
    for text in (
        "开展行动。（ 牵头单位：市质监局）",
        "开展行动。（牵头单位：市质监局）。",
        "开展行动。（市质监局、市工信局）",
    ):
        found = responsibility(text)
        assert found is not None and found.start == text.index("（"), text
        assert found.lead == ["市质监局"]


def test_a_clause_that_is_the_whole_item_or_names_only_a_lead() -> None:
    assert units("责任单位：市质监局、市工信局") == (["市质监局"], ["市工信局"])
    assert units("开展行动。牵头单位：市质监局") == (["市质监局"], [])
    assert responsibility("开展行动。责任单位：") is None  # a label that names no unit


@pytest.mark.parametrize(
    ("heading", "unit"),
    [
        ("县质监局职责:", "县质监局"),  # the duties' words and the colon are not the unit's name
        ("县委", "县委"),
        ("某" * 19 + "局", "某" * 19 + "局"),  # 20 characters
        ("某" * 20 + "局", None),
        ("加强市质监局", None),  # a verb: a task, not a unit
        ("某" * 24 + "局", None),
        ("市质监局、市工信局", None),  # a list of units leads no duties of its own
    ],
)
def test_a_heading_names_a_unit_whose_duties_follow(heading: str, unit: str | None) -> None:
    assert heading_unit(heading) == unit
