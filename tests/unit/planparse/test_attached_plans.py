"""How an attached sub-plan's head is written (outline `_sub_plans`): its title on the 附件 line itself, or on
lines of its own with a period and a preamble before its first item."""

from __future__ import annotations

import pytest

from luoshi_tasks.planparse import parse_plan

BODY = """某县人民政府关于推进质量强县工作的意见
一、主要任务
（一）加强质量基础设施建设。完善计量体系。（责任单位：县市场监管局）
某县人民政府
2024年3月1日
"""
ITEMS = "一、重点任务\n（一）开展质量攻关。组织重点企业开展质量攻关。（牵头单位：县工信局）\n"


@pytest.mark.parametrize(
    "head",
    [
        "附件1：某县质量提升行动方案\n",  # the title on the 附件 line, the first item right after it
        "附件1\n某县质量提升行动方案\n（2024—2026年）\n为提升全县质量水平，制定本方案。\n",  # three lines before it
    ],
)
def test_an_attached_plan_is_a_branch_however_its_head_is_written(head: str) -> None:
    tasks = parse_plan(BODY + head + ITEMS).tasks
    assert [(t.number, t.parent, t.level, t.title, t.lead_units) for t in tasks] == [
        ("一", None, 0, "主要任务", []),
        ("（一）", 0, 1, "加强质量基础设施建设", ["县市场监管局"]),
        ("附件1", None, 0, "某县质量提升行动方案", []),
        ("一", 2, 1, "重点任务", []),
        ("（一）", 3, 2, "开展质量攻关", ["县工信局"]),
    ]
