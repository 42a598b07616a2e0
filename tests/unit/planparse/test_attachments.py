"""Attachments are part of the plan (issue 15, item 1): each attached sub-plan is a top-level branch of the task
tree, numbered as the document numbers it, its items read as the body's; the line listing the attachments is no
task; an attachment listing the leading group fills `group`; 抄送 and the print line end the text."""

from __future__ import annotations

from luoshi_tasks.planparse import parse_plan

PLAN_WITH_SUB_PLANS = """\
某市人民政府关于推进质量强市工作的意见
一、总体要求
以高质量发展为主线。
二、主要任务
（一）加强质量基础设施建设。完善计量体系。（责任单位：市市场监管局）
（二）实施品牌战略。培育一批知名品牌。（责任单位：市商务局、市工信局）
附件：1.某市质量提升行动方案
2.某市标准化战略实施方案
某市人民政府
2024年3月1日
附件1
某市质量提升行动方案
为提升全市质量水平，制定本方案。
一、工作目标
到2025年，质量竞争力指数达到85以上。
二、重点任务
（一）开展质量攻关。组织重点企业开展质量攻关。（牵头单位：市工信局；配合单位：市科技局）
（二）加强质量监管。强化产品质量监督抽查。（责任单位：市市场监管局）
附件2
某市标准化战略实施方案
一、主要任务
1.推进标准化试点。（责任单位：市市场监管局、经开区、高新区管委会）
2.鼓励企业制定标准。（市工信局负责）
附件3
某市质量强市工作领导小组成员名单
组  长：张新民（市长）
副组长：李四（副市长）
成  员：王五（市市场监管局局长）
抄送：市委办公室
某市人民政府办公室 2024年3月1日印发
"""


def test_attached_sub_plans_are_branches_of_the_task_tree() -> None:
    draft = parse_plan(PLAN_WITH_SUB_PLANS)
    tasks = draft.tasks
    seen = [
        (t.number, tasks[t.parent].number if t.parent is not None else None, t.title, t.lead_units, t.cooperating_units)
        for t in tasks
    ]
    assert seen == [
        ("二", None, "主要任务", [], []),
        ("（一）", "二", "加强质量基础设施建设", ["市市场监管局"], []),
        ("（二）", "二", "实施品牌战略", ["市商务局"], ["市工信局"]),
        # the 附件 list line and the signature are no tasks; each sub-plan is a branch numbered as written
        ("附件1", None, "某市质量提升行动方案", [], []),
        ("一", "附件1", "工作目标", [], []),
        ("二", "附件1", "重点任务", [], []),
        ("（一）", "二", "开展质量攻关", ["市工信局"], ["市科技局"]),
        ("（二）", "二", "加强质量监管", ["市市场监管局"], []),
        ("附件2", None, "某市标准化战略实施方案", [], []),
        ("一", "附件2", "主要任务", [], []),
        ("1", "一", "推进标准化试点", ["市市场监管局"], ["经开区管委会", "高新区管委会"]),
        ("2", "一", "鼓励企业制定标准", ["市工信局"], []),
    ]
    assert [t.level for t in tasks[3:8]] == [0, 1, 1, 2, 2]
    # the attachment that lists the leading group fills `group`; the 抄送 and print lines end the text
    assert [(m.role, m.name, m.unit) for m in draft.group] == [
        ("组长", "张新民", None),
        ("副组长", "李四", None),
        ("成员", "王五", "市市场监管局"),
    ]
    assert draft.plan.issuer == "某市人民政府" and str(draft.plan.issued_on) == "2024-03-01"
    start, end = tasks[3].span
    assert PLAN_WITH_SUB_PLANS[start:end].startswith("附件1\n某市质量提升行动方案")
