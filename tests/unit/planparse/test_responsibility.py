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
