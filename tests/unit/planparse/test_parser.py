"""parse_plan over the three sample plans — as written, in traditional characters, and as an ASCII-punctuated
copy with stray line breaks (a PDF's page width) — then its rules on small made-up plans, and bad input.

The draft is in simplified characters whatever the input; punctuation stays as the input wrote it, so the
copies are compared after folding （）：；， to ASCII.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import opencc
import pytest

from luoshi_tasks.naming import UnitMatcher
from luoshi_tasks.planparse import PlanDraft, PlanParseError, parse_plan

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "samples"
SAMPLES = {
    "hebei": "hebei-quality-brand-plan-2012",
    "xiayi": "xiayi-brand-zone-plan-2015",
    "town": "town-quality-base-opinion-2022",
}
"""Each sample's text is `<name>.txt`; what it says, read by hand, is `<name>.expected.json` beside it: the plan,
every task (number, parent index, section kind, title start, lead and cooperating units as written, deadline
as a due date or "monthly:30"), the phases, the leading group and the office. How each was read: docs/testing.md."""
_S2T, _T2S = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
_ASCII = str.maketrans({"（": "(", "）": ")", "：": ":", "；": ";", "，": ","})
_NOT_BEFORE_BREAK = "一二三四五六七八九十"


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def ascii_pdf_copy(text: str, width: int = 37) -> str:
    """ASCII punctuation, and every line cut at about `width` characters between two Chinese characters, as
    a PDF's text layer does (with a blank line after the cut on every other line, as web copies do)."""
    lines = []
    for n, line in enumerate(text.translate(_ASCII).split("\n")):
        out, count = [], 0
        for k, ch in enumerate(line):
            out.append(ch)
            count += 1
            after = line[k + 1 : k + 2]
            if count >= width and _cjk(ch) and after and _cjk(after) and after not in _NOT_BEFORE_BREAK:
                out.append("\n\n" if n % 2 else "\n")
                count = 0
        lines.append("".join(out))
    return "\n".join(lines)


VARIANTS = {
    "as_written": lambda text: text,
    "traditional": _S2T.convert,
    "ascii_pdf": ascii_pdf_copy,
    "ascii_narrow_pdf": functools.partial(ascii_pdf_copy, width=20),
}
CASES = [pytest.param(s, v, id=f"{s}-{v}") for s in SAMPLES for v in VARIANTS]


def fold(s: str) -> str:
    return s.translate(_ASCII)


def squash(s: str) -> str:
    """For comparing the original text with the draft's words: simplified, ASCII punctuation, no whitespace."""
    return fold(_T2S.convert(re.sub(r"\s+", "", s)))


def folded(names: list[str]) -> list[str]:
    return [fold(n) for n in names]


@functools.cache
def expected(sample: str) -> dict[str, Any]:
    return json.loads((SAMPLES_DIR / f"{SAMPLES[sample]}.expected.json").read_text("utf-8"))


@functools.cache
def parsed(sample: str, variant: str) -> tuple[str, PlanDraft]:
    text = VARIANTS[variant]((SAMPLES_DIR / f"{SAMPLES[sample]}.txt").read_text("utf-8"))
    return text, parse_plan(text)


# Each check of a sample's draft is a function: the named tests below run one each on a cached parse, and
# test_each_sample_as_read_by_hand runs them all on a parse of its own.


def _plan_metadata(sample: str, text: str, draft: PlanDraft) -> None:
    assert draft.plan.model_dump(mode="json") == expected(sample)["plan"]


def _task_table(sample: str, text: str, draft: PlanDraft) -> None:
    rows = expected(sample)["tasks"]
    assert len(draft.tasks) == len(rows)
    for i, (task, row) in enumerate(zip(draft.tasks, rows, strict=True)):
        where = f"task {i} {row['number']} {row['title']}"
        assert fold(task.number or "") == fold(row["number"]), where
        assert (task.parent, task.section_kind) == (row["parent"], row["kind"]), where
        assert fold(task.title).startswith(fold(row["title"])), where
        assert folded(task.lead_units) == folded(row["lead"]), where
        assert folded(task.cooperating_units) == folded(row["cooperating"]), where
        if "parser_differs" not in row:  # those are test_a_target_set_for_a_bare_year_is_due_by_its_end
            assert_deadline(task, row["deadline"], where)


def assert_deadline(task: Any, due: str | None, where: str) -> None:
    deadline = task.deadline
    if due is None:
        assert deadline is None and task.deadline_text is None, where
    elif due.startswith("monthly:"):
        assert deadline is not None and deadline.kind == "recurring", where
        assert (deadline.frequency, deadline.day) == ("monthly", int(due.split(":")[1])), where
    else:
        assert deadline is not None and deadline.kind == "date", where
        assert deadline.due_on == date.fromisoformat(due), where
        assert task.deadline_text and fold(task.deadline_text) in fold(task.measures + task.title), where


# Rows where the sample's reading and the parser part (`parser_differs` says how): failing until the parser
# reads them, when the marker goes and test_task_table checks them with the rest.
DIFFERING = [
    pytest.param(
        sample,
        i,
        id=f"{sample}-{i}",
        marks=pytest.mark.xfail(strict=True, reason=row["parser_differs"]),
    )
    for sample in SAMPLES
    for i, row in enumerate(expected(sample)["tasks"])
    if "parser_differs" in row
]


@pytest.mark.parametrize(("sample", "index"), DIFFERING)
def test_a_target_set_for_a_bare_year_is_due_by_its_end(sample: str, index: int) -> None:
    row = expected(sample)["tasks"][index]
    for variant in VARIANTS:
        _, draft = parsed(sample, variant)
        assert_deadline(draft.tasks[index], row["deadline"], f"{variant} task {index} {row['number']} {row['title']}")


def _spans_point_at_each_task(sample: str, text: str, draft: PlanDraft) -> None:
    previous_end = 0
    for task in draft.tasks:
        start, end = task.span
        assert previous_end <= start < end <= len(text)
        source = squash(text[start:end])
        assert source.startswith(squash(task.number or "")) and squash(task.title) in source
        assert not text[end - 1].isspace()
        previous_end = end


def _phases(sample: str, text: str, draft: PlanDraft) -> None:
    assert [p.model_dump(mode="json", include={"name", "start", "end"}) for p in draft.phases] == expected(sample)[
        "phases"
    ]


def _leading_group_and_office(sample: str, text: str, draft: PlanDraft) -> None:
    assert [m.model_dump(exclude={"span"}) for m in draft.group] == expected(sample)["group"]
    for member in draft.group:
        assert member.span and squash(member.name or member.unit or "") in squash(text[slice(*member.span)])
    office = draft.office.model_dump(exclude={"span"}) if draft.office else None
    assert office == expected(sample)["office"]


def _every_unit_listed_once(sample: str, text: str, draft: PlanDraft) -> None:
    named = [u for t in draft.tasks for u in (*t.lead_units, *t.cooperating_units)]
    named += [m.unit for m in draft.group if m.unit]
    assert {u.name for u in draft.units} == set(named)
    assert len(draft.units) == len({u.name for u in draft.units})
    assert all(u.unit_id is None for u in draft.units)
    # collective recipients (各设区市政府, 领导小组成员单位) are kept, marked, and not unknown (issue 15)
    assert draft.unknown_units == [u.name for u in draft.units if not u.collective]


def _indicators_point_at_their_task(sample: str, text: str, draft: PlanDraft) -> None:
    assert draft.indicators, "each sample states some targets"
    for indicator in draft.indicators:
        task = draft.tasks[indicator.task]
        assert task.span[0] <= indicator.span[0] < indicator.span[1] <= task.span[1]
        assert squash(indicator.text) in squash(text[slice(*indicator.span)])


@pytest.mark.parametrize(("sample", "variant"), CASES)
def test_plan_metadata(sample: str, variant: str) -> None:
    _plan_metadata(sample, *parsed(sample, variant))


@pytest.mark.parametrize(("sample", "variant"), CASES)
def test_task_table(sample: str, variant: str) -> None:
    _task_table(sample, *parsed(sample, variant))


@pytest.mark.parametrize(("sample", "variant"), CASES)
def test_spans_point_at_each_task_in_the_original_text(sample: str, variant: str) -> None:
    _spans_point_at_each_task(sample, *parsed(sample, variant))


@pytest.mark.parametrize(("sample", "variant"), CASES)
def test_phases(sample: str, variant: str) -> None:
    _phases(sample, *parsed(sample, variant))


@pytest.mark.parametrize(("sample", "variant"), CASES)
def test_leading_group_and_office(sample: str, variant: str) -> None:
    _leading_group_and_office(sample, *parsed(sample, variant))


@pytest.mark.parametrize(("sample", "variant"), CASES)
def test_every_unit_is_listed_once_and_unknown_without_a_matcher(sample: str, variant: str) -> None:
    _every_unit_listed_once(sample, *parsed(sample, variant))


@pytest.mark.parametrize(("sample", "variant"), CASES)
def test_indicators_belong_to_their_task_and_point_at_its_words(sample: str, variant: str) -> None:
    _indicators_point_at_their_task(sample, *parsed(sample, variant))


@pytest.mark.parametrize(("sample", "variant"), CASES)
def test_each_sample_as_read_by_hand(sample: str, variant: str) -> None:
    # every check on a parse of its own: `make mutate` runs a mutant only against the tests that called the
    # mutated function, and the cached parse is made in the first named test alone (and is kept across
    # mutmut's fork, so that test would see the unmutated parse)
    text = VARIANTS[variant]((SAMPLES_DIR / f"{SAMPLES[sample]}.txt").read_text("utf-8"))
    draft = parse_plan(text)
    for check in (
        _plan_metadata,
        _task_table,
        _spans_point_at_each_task,
        _phases,
        _leading_group_and_office,
        _every_unit_listed_once,
        _indicators_point_at_their_task,
    ):
        check(sample, text, draft)


def test_indicators_of_the_xiayi_goals() -> None:
    _, draft = parsed("xiayi", "traditional")
    found = {(i.task, i.comparator, i.target, i.unit) for i in draft.indicators}
    assert {(4, ">", 0.8, None), (4, ">=", 2600.0, "万元/公顷"), (7, "=", 100.0, "%")} <= found


def test_draft_round_trips_through_json() -> None:
    _, draft = parsed("xiayi", "as_written")
    assert PlanDraft.model_validate(draft.model_dump(mode="json")) == draft


def test_matcher_resolves_units_and_lists_the_rest_as_unknown() -> None:
    matcher = UnitMatcher(
        [
            (1, "夏邑县质量技术监督局", "质监局", ["县质监局"]),
            (2, "夏邑县产业集聚区管理委员会", "产业集聚区管委会", []),
            (3, "夏邑县环境保护局", "环保局", []),
            (4, "夏邑县环境保护监测站", "环保局", []),  # the same short name twice: ambiguous, so unknown
        ],
        regions=["夏邑县"],
    )
    draft = parse_plan((SAMPLES_DIR / f"{SAMPLES['xiayi']}.txt").read_text("utf-8"), matcher=matcher)
    ids = {u.name: u.unit_id for u in draft.units}
    assert ids["质监局"] == 1 and ids["县质监局"] == 1 and ids["产业集聚区管委会"] == 2
    assert ids["县产业集聚区管委会"] == 2 and ids["环保局"] is None
    assert draft.unknown_units[:4] == ["发改委", "统计局", "住建局", "规划中心"]
    assert "环保局" in draft.unknown_units and "质监局" not in draft.unknown_units


MADE_UP = """某市人民政府办公室文件
某政办[2011]7号
关于印发某市质量强市工作方案的通知
各县（市、区）人民政府，市政府各部门：
现将《某市质量强市工作方案》印发给你们，请认真贯彻执行。
二〇一一年一月二十日
一、总体要求
（一）指导思想。坚持质量第一。
（二）工作目标。
1.到2015年，全市产品质量监督抽查合格率达到95%以上。（责任单位：市质监局）
二、实施步骤
1.宣传发动阶段（2011年2月至2011年11月）。召开动员大会。
2.组织实施阶段。各单位按照分工组织实施。
3.考核评价：2011年起每年9月。市政府组织考核。
三、主要任务
（一）开展质量提升行动。年底前完成全市企业质量摸底。（牵头单位：市质监局；配合单位：市工信局、市统计局）
（二）加强品牌培育。6月底前出台品牌培育办法。（市工商局、市财政局）
（三）建立质量奖励制度。每季度末报送工作进展。
责任单位：市财政局、市人社局。
四、职责分工
（一）市商务局。
1.负责流通领域质量工作。
2.负责出口产品质量提升。（配合单位：市海关）
（二）市质监局职责：
1.负责质量工作的综合协调。
五、保障措施
（一）加强组织领导。成立质量强市工作领导小组，办公室设在市质监局，办公室主任由王强同志兼任。
某市人民政府办公室
2011年1月20日印发
"""


def test_made_up_plan_metadata_and_phases() -> None:
    draft = parse_plan(MADE_UP)
    assert draft.plan.model_dump() == {
        "title": "某市质量强市工作方案",
        "doc_number": "某政办〔2011〕7号",
        "issuer": "某市人民政府办公室",
        "issued_on": date(2011, 1, 20),
    }
    assert [(p.name, p.start, p.end, p.repeat) for p in draft.phases] == [
        ("宣传发动阶段", date(2011, 2, 1), date(2011, 11, 30), None),
        ("组织实施阶段", None, None, None),
        ("考核评价", date(2011, 9, 1), date(2011, 9, 30), "yearly"),
    ]
    assert draft.office and (draft.office.unit, draft.office.director) == ("市质监局", "王强")


def test_made_up_plan_tasks() -> None:
    draft = parse_plan(MADE_UP)
    table = [(t.number, t.parent, t.section_kind, t.title, t.lead_units, t.cooperating_units) for t in draft.tasks]
    assert table == [
        # 一、总体要求 and （一）指导思想 are preamble; （二）工作目标 is a goal section of its own
        ("（二）", None, "goal", "工作目标", [], []),
        ("1", 0, "goal", "到2015年，全市产品质量监督抽查合格率达到95%以上", ["市质监局"], []),
        ("三", None, "task", "主要任务", [], []),
        ("（一）", 2, "task", "开展质量提升行动", ["市质监局"], ["市工信局", "市统计局"]),
        ("（二）", 2, "task", "加强品牌培育", ["市工商局"], ["市财政局"]),  # a bare list of units
        ("（三）", 2, "task", "建立质量奖励制度", ["市财政局"], ["市人社局"]),  # a label without brackets
        ("四", None, "task", "职责分工", [], []),
        ("（一）", 6, "task", "市商务局", ["市商务局"], []),  # duties listed under the unit that leads them
        ("1", 7, "task", "负责流通领域质量工作", ["市商务局"], []),
        ("2", 7, "task", "负责出口产品质量提升", ["市商务局"], ["市海关"]),
        ("（二）", 6, "task", "市质监局职责", ["市质监局"], []),
        ("1", 10, "task", "负责质量工作的综合协调", ["市质监局"], []),
        ("五", None, "requirement", "保障措施", [], []),
        ("（一）", 12, "requirement", "加强组织领导", [], []),
    ]
    deadlines = {i: (t.deadline_text, t.deadline) for i, t in enumerate(draft.tasks) if t.deadline}
    assert {i: text for i, (text, _) in deadlines.items()} == {1: "到2015年", 3: "年底前", 4: "6月底前", 5: "每季度末"}
    # relative dates take the plan's year
    assert deadlines[3][1].due_on == date(2011, 12, 31) and deadlines[4][1].due_on == date(2011, 6, 30)
    assert deadlines[5][1].frequency == "quarterly"
    assert draft.tasks[3].measures == "年底前完成全市企业质量摸底。"


def test_unnumbered_steps_with_a_yearly_one() -> None:
    text = (
        "某县质量强县实施方案\n夏政〔2015〕3号\n一、实施步骤\n宣传发动阶段（2015年2月至2015年11月）：召开动员大会。\n"
        "考核评价（每年9月）：县政府组织考核。\n二、主要任务\n（一）开展质量提升行动。\n"
    )
    draft = parse_plan(text)
    assert [(p.name, p.start, p.end, p.repeat) for p in draft.phases] == [
        ("宣传发动阶段", date(2015, 2, 1), date(2015, 11, 30), None),
        ("考核评价", date(2015, 9, 1), date(2015, 9, 30), "yearly"),  # first September of the plan's year
    ]
    assert [t.title for t in draft.tasks] == ["主要任务", "开展质量提升行动"]
    assert text[slice(*draft.phases[1].span)] == "考核评价（每年9月）：县政府组织考核。"


def test_relative_deadline_takes_today_s_year_when_the_plan_has_no_date() -> None:
    text = "一、重点工作\n（一）开展摸底。年底前完成。（责任单位：县质监局）\n"
    assert parse_plan(text).tasks[1].deadline is None
    assert parse_plan(text, today=date(2023, 5, 1)).tasks[1].deadline.due_on == date(2023, 12, 31)


def test_leading_group_copied_from_a_table() -> None:
    text = (
        "组　长　孙文涛　县委常委、统战部长\n副组长　孙若梅　县政府党组成员\n　　　　陈斌　县质监局局长\n"
        "一、主要任务\n（一）开展质量提升行动。\n"
    )
    draft = parse_plan(text)
    assert [(m.role, m.name, m.unit) for m in draft.group] == [
        ("组长", "孙文涛", "县委"),
        ("副组长", "孙若梅", "县政府"),
        ("副组长", "陈斌", "县质监局"),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "plan_empty"),
        ("   \n\t\u3000 \n", "plan_empty"),
        ("\x00\x01\x02\xff" * 50, "plan_binary"),
        ("".join(chr(c) for c in range(1, 32)) * 20, "plan_binary"),
        ("今天天气很好，我们去公园散步。", "plan_not_a_plan"),
        ("一、指导思想\n坚持质量第一。\n二、基本原则\n（一）市场导向。\n", "plan_not_a_plan"),
    ],
    ids=["empty", "whitespace", "nul-bytes", "control-characters", "plain-paragraph", "preamble-only"],
)
def test_bad_input_is_refused_with_a_code(text: str, code: str) -> None:
    with pytest.raises(PlanParseError) as caught:
        parse_plan(text)
    error = caught.value
    assert error.code == code and error.message and error.message_zh and isinstance(error, ValueError)


def test_the_benchmark_plan_reads_whole() -> None:
    from tests.unit.planparse.bench_parse import make_big_plan

    text = make_big_plan()
    draft = parse_plan(text)
    assert len(text) >= 50_000 and len(draft.tasks) > 250 and len(draft.phases) == 3
