"""A task list pasted from a web page, one cell per line (`tables.pasted_tables`): its section lines, its empty
cells and the blank lines between rows, where it ends, and the caption its branch is named by. The list is the
one 国办发〔2018〕126号 attaches (第二批支持创新相关改革举措推广清单), shortened to two measures."""

from __future__ import annotations

import pytest

from luoshi_tasks.planparse import PlanDraft, parse_plan

BODY = """国务院办公厅关于推广第二批支持创新相关改革举措的通知
国办发〔2018〕126号
一、工作要求
（一）抓好推广落实。各地区要结合实际推广改革举措。（责任单位：科技部）
"""
CAPTION = "附件\n\n第二批支持创新相关改革举措推广清单\n"
LIST = """序号
改革举措
主要内容
指导部门
推广范围
一、知识产权保护方面
1
以降低侵权损失为核心的专利保险机制
开发侵权损失保险产品。
国家知识产权局、中国银保监会
全面创新改革试验区域

二、科技成果转化激励方面
2
以事前产权激励为核心的职务科技成果权属改革

科技部
全面创新改革试验区域
"""
SIGNATURE = "国务院办公厅\n2018年12月23日\n"


def _seen(draft: PlanDraft, text: str) -> list[tuple[object, ...]]:
    tasks = draft.tasks
    return [
        (
            t.number,
            tasks[t.parent].number if t.parent is not None else None,
            t.level,
            t.title,
            t.measures,
            t.lead_units,
            t.cooperating_units,
            text[t.span[0] : t.span[1]],
        )
        for t in tasks
    ]


def test_a_pasted_list_reads_row_by_row_with_its_section_lines() -> None:
    text = BODY + CAPTION + LIST + SIGNATURE
    draft = parse_plan(text)
    seen = _seen(draft, text)
    assert [s[:3] for s in seen[:2]] == [("一", None, 0), ("（一）", "一", 1)]
    assert seen[2:] == [
        ("附件", None, 0, "第二批支持创新相关改革举措推广清单", "", [], [], LIST.rstrip("\n")),
        ("一", "附件", 1, "知识产权保护方面", "", [], [], "一、知识产权保护方面"),
        (
            "1",
            "一",
            2,
            "以降低侵权损失为核心的专利保险机制",
            "开发侵权损失保险产品。",
            ["国家知识产权局"],
            ["中国银保监会"],
            "1\n以降低侵权损失为核心的专利保险机制\n开发侵权损失保险产品。\n国家知识产权局、中国银保监会\n全面创新改革试验区域",
        ),
        # after a blank line between rows, the second section; its measure's cell is empty (an empty line)
        ("二", "附件", 1, "科技成果转化激励方面", "", [], [], "二、科技成果转化激励方面"),
        (
            "2",
            "二",
            2,
            "以事前产权激励为核心的职务科技成果权属改革",
            "",
            ["科技部"],
            [],
            "2\n以事前产权激励为核心的职务科技成果权属改革\n\n科技部\n全面创新改革试验区域",
        ),
    ]
    # the list ends at the signature, which is the notice's, not a row
    assert (draft.plan.issuer, draft.plan.issued_on.isoformat()) == ("国务院办公厅", "2018-12-23")
    assert draft.plan.doc_number == "国办发〔2018〕126号"


@pytest.mark.parametrize(
    ("caption", "number", "title"),
    [
        ("附件\n\n第二批支持创新相关改革举措推广清单\n", "附件", "第二批支持创新相关改革举措推广清单"),
        ("附件2：第二批支持创新相关改革举措推广清单\n", "附件2", "第二批支持创新相关改革举措推广清单"),
        # no 附件 line: the title alone, not the body's last line with it
        ("第二批支持创新相关改革举措推广清单\n", None, "第二批支持创新相关改革举措推广清单"),
        ("附件2\n", "附件2", "任务分工"),
        # nothing written above the list (three blank lines under the body): the default title, not the body's line
        ("\n\n\n", None, "任务分工"),
    ],
)
def test_a_pasted_lists_branch_is_named_by_its_caption(caption: str, number: str | None, title: str) -> None:
    draft = parse_plan(BODY + caption + LIST + SIGNATURE)
    branch = draft.tasks[2]
    assert (branch.number, branch.title, branch.parent, branch.level) == (number, title, None, 0)


def test_a_list_that_ends_the_text_reads_to_its_last_cell() -> None:
    text = (
        "夏邑县质量提升行动任务分解表\n"
        "序号\n工作任务\n牵头单位\n完成时限\n"
        "1\n建立质量提升工作协调机制\n县市场监管局\n2019年6月底前\n"
        "2\n开展质量品牌宣传活动\n县委宣传部\n2019年12月底前"
    )
    tasks = parse_plan(text).tasks
    assert [(t.number, t.parent, t.level, t.title, t.lead_units, t.deadline_text) for t in tasks] == [
        ("1", None, 0, "建立质量提升工作协调机制", ["县市场监管局"], "2019年6月底前"),
        ("2", None, 0, "开展质量品牌宣传活动", ["县委宣传部"], "2019年12月底前"),
    ]
    assert [t.deadline.due_on.isoformat() for t in tasks if t.deadline] == ["2019-06-30", "2019-12-31"]
    assert text[tasks[1].span[0] : tasks[1].span[1]] == "2\n开展质量品牌宣传活动\n县委宣传部\n2019年12月底前"


def test_a_list_cut_off_inside_its_last_row_keeps_its_whole_rows() -> None:
    # copied up to the middle of row 2: its two lines cannot be told apart as cells, so only row 1 is read
    text = (
        "夏邑县质量提升行动任务分解表\n序号\n工作任务\n牵头单位\n完成时限\n"
        "1\n建立质量提升工作协调机制\n县市场监管局\n2019年6月底前\n"
        "2\n开展质量品牌宣传活动"
    )
    tasks = parse_plan(text).tasks
    assert [(t.number, t.title, t.lead_units, t.deadline_text) for t in tasks] == [
        ("1", "建立质量提升工作协调机制", ["县市场监管局"], "2019年6月底前"),
    ]


@pytest.mark.xfail(
    strict=True,
    reason="a text that is only a pasted list (no title line above it) is refused as empty (plan_empty): parse_plan "
    "checks the text left once the list's lines are blanked",
)
def test_a_text_that_is_only_a_pasted_list_reads_as_its_rows() -> None:
    text = "序号\n工作任务\n牵头单位\n1\n建立质量提升工作协调机制\n县市场监管局\n2\n开展质量品牌宣传活动\n县委宣传部"
    assert [t.title for t in parse_plan(text).tasks] == ["建立质量提升工作协调机制", "开展质量品牌宣传活动"]


def test_a_three_column_list_at_the_top_of_the_text_is_read() -> None:
    # pasted from the attachment's page: the list first, the office's signature under it
    text = (
        "序号\n工作任务\n牵头单位\n"
        "1\n建立质量提升工作协调机制\n县市场监管局\n"
        "2\n开展质量品牌宣传活动\n县委宣传部\n"
        "夏邑县人民政府办公室\n2019年3月1日"
    )
    draft = parse_plan(text)
    assert [(t.number, t.title, t.lead_units) for t in draft.tasks] == [
        ("1", "建立质量提升工作协调机制", ["县市场监管局"]),
        ("2", "开展质量品牌宣传活动", ["县委宣传部"]),
    ]
    assert (draft.plan.issuer, draft.plan.issued_on.isoformat()) == ("夏邑县人民政府办公室", "2019-03-01")


def test_a_list_header_with_no_rows_at_the_end_of_the_text_is_no_list() -> None:
    # cut off right after the list's header (no newline after its last line)
    text = "某县质量提升行动方案\n一、主要任务\n（一）开展质量提升行动。（责任单位：县质监局）\n附件：重点任务分工表\n"
    text += "序号\n工作任务\n牵头单位"
    tasks = parse_plan(text).tasks
    assert [(t.number, t.title, t.lead_units) for t in tasks] == [
        ("一", "主要任务", []),
        ("（一）", "开展质量提升行动", ["县质监局"]),
    ]


def test_a_heading_that_is_a_column_name_does_not_stop_the_search_for_the_list() -> None:
    # 主要任务 is also a task column's name; alone it is the body's heading, and the list comes after it
    text = (
        "某县质量提升行动方案\n主要任务\n（一）开展质量提升行动。（责任单位：县质监局）\n附件\n重点任务分工表\n"
        "序号\n工作任务\n牵头单位\n1\n建立质量提升工作协调机制\n县市场监管局\n2\n开展质量品牌宣传活动\n县委宣传部\n"
    )
    tasks = parse_plan(text).tasks
    assert [(t.number, t.parent, t.title, t.lead_units) for t in tasks] == [
        ("（一）", None, "开展质量提升行动", ["县质监局"]),
        ("附件", None, "重点任务分工表", []),
        ("1", 1, "建立质量提升工作协调机制", ["县市场监管局"]),
        ("2", 1, "开展质量品牌宣传活动", ["县委宣传部"]),
    ]


def test_a_header_with_a_bracketed_note_still_heads_the_list() -> None:
    # 牵头单位（主要责任单位） is twelve characters, the longest header cell a pasted list may have
    text = (
        "夏邑县质量提升行动任务分解表\n序号\n工作任务\n牵头单位（主要责任单位）\n完成时限\n"
        "1\n建立质量提升工作协调机制\n县市场监管局\n2019年6月底前\n"
        "2\n开展质量品牌宣传活动\n县委宣传部\n2019年12月底前\n"
    )
    assert [(t.number, t.title, t.lead_units, t.deadline_text) for t in parse_plan(text).tasks] == [
        ("1", "建立质量提升工作协调机制", ["县市场监管局"], "2019年6月底前"),
        ("2", "开展质量品牌宣传活动", ["县委宣传部"], "2019年12月底前"),
    ]


def test_section_lines_head_their_rows_whatever_the_column_order() -> None:
    # the units' column before the task's: a section line is still a branch, not a unit of the row before
    text = (
        "夏邑县质量提升行动任务分解表\n序号\n牵头单位\n工作任务\n"
        "一、质量基础\n1\n县市场监管局\n建立质量提升工作协调机制\n"
        "二、品牌建设\n2\n县委宣传部\n开展质量品牌宣传活动\n"
    )
    assert [(t.number, t.title, t.lead_units, t.parent) for t in parse_plan(text).tasks] == [
        ("一", "质量基础", [], None),
        ("1", "建立质量提升工作协调机制", ["县市场监管局"], 0),
        ("二", "品牌建设", [], None),
        ("2", "开展质量品牌宣传活动", ["县委宣传部"], 2),
    ]
