"""Every Chinese text the services produce is Chinese only (issue 17): `该指标按yearly填报` and
`该计分规则无法用于此指标：a linear rule needs a baseline` were English inside Chinese. The texts are made here
the way the services make them — each error class's title, the scoring rules' refusals, a value's period form,
scorecard explanations, every message template, the bulletin — and scanned for Latin words. Units (kg, km),
codes and abbreviations in capitals (GB/T, HACCP, CSV, API, MB), numbers and links are allowed."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest

from luoshi.clock import Clock
from luoshi.errors import AppError, ValidationFailed

ALLOWED = {"kg", "km", "ha", "kWh", "mg", "ml", "m²", "m³"}
# names a user types or sees in the software itself: headers, the token type, the command, Office programs
CODE_WORDS = {"If-Match", "ETag", "Bearer", "luoshi", "migrate", "Excel", "Word", "file"}
# links, API paths, file extensions and command-line options are codes, not words
_CODES = re.compile(
    r"\w+\.\w+(?:\.\w+)*|https?://\S+|(?:GET |POST |PUT |PATCH |DELETE )?/v1/[\w/{}.-]*"
    r"|\.(?:xlsx|xls|csv|docx|doc|wps|ofd|pdf|txt|png|jpg|jpeg|\{ext\})\b|--\w+"
)


def latin_words(text: str) -> list[str]:
    """Latin words of two letters or more with a lower-case letter, that are not units."""
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]", _CODES.sub("", text))
    return [w for w in words if w not in ALLOWED | CODE_WORDS and not w.isupper()]


def test_the_scan_finds_english_and_lets_codes_and_units_pass():
    assert latin_words("该指标按yearly填报") == ["yearly"]
    assert latin_words("该计分规则无法用于此指标：a linear rule needs a baseline") != []
    assert latin_words("符合 GB/T 19001 的 HACCP 认证，CSV 文件超过 20 MB，2600万元/公顷，30 km") == []
    assert latin_words("请通过 POST /v1/me/password 修改密码，另存为 .xlsx，--ttl 须为正数，需要 If-Match") == []


def _error_classes() -> list[type[AppError]]:
    # imported for their classes, which register as subclasses
    import luoshi_notify.errors  # noqa: F401
    import luoshi_scoring.errors  # noqa: F401
    import luoshi_tasks.errors  # noqa: F401

    found, todo = [], [AppError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_error_title_is_chinese():
    titles = {cls.__name__: cls.title_zh for cls in _error_classes()}
    assert len(titles) > 30
    assert {name: t for name, t in titles.items() if latin_words(t)} == {}


RULE_CASES = [
    # (indicator fields, rule): each refused when the indicator is saved
    ({"comparator": ">=", "target": 90, "baseline": None}, {"kind": "linear"}),
    ({"comparator": ">=", "target": 90, "baseline": 95}, {"kind": "linear"}),
    ({"comparator": "range", "target": 3, "target_high": 5, "baseline": 4}, {"kind": "linear"}),
    ({"comparator": ">=", "target": None}, {"kind": "pass_fail"}),
    ({"comparator": ">=", "target": None}, {"kind": "anchor", "anchor_share": 0.6, "step": 1}),
    ({"comparator": "range", "target": 3, "target_high": 5}, {"kind": "benchmark"}),
    ({"comparator": "range", "target": 3, "target_high": 5}, {"kind": "rank", "per_rank": 1}),
    ({"comparator": ">=", "target": 90}, {"kind": "anchor", "anchor_share": 0.6, "step": 1, "floor": 20, "cap": 5}),
]


@pytest.mark.parametrize(("indicator", "rule"), RULE_CASES)
def test_a_rule_that_cannot_score_an_indicator_says_why_in_chinese(indicator, rule):
    from luoshi_scoring.service.indicators import check_scorable

    fields = {"name": "主导产品监督抽查合格率", "unit": "%", "weight": 10, "rule": rule, **indicator}
    with pytest.raises(ValidationFailed) as caught:
        check_scorable(fields)
    texts = [caught.value.detail_zh or "", *(e.message_zh or "" for e in caught.value.errors or [])]
    assert all(texts) and not [t for t in texts if latin_words(t)], texts


@pytest.mark.parametrize("period", ["yearly", "cumulative", "quarterly", "monthly"])
def test_a_value_in_the_wrong_period_form_is_told_so_in_chinese(period):
    from luoshi_scoring.service.indicators import IndicatorService

    service = IndicatorService.__new__(IndicatorService)
    service.clock = Clock()
    indicator = SimpleNamespace(period=period, unit="%")
    with pytest.raises(ValidationFailed) as caught:
        service._check_value(indicator, 120, "万元", "2026年")  # wrong form, unit and range at once
    texts = [caught.value.detail_zh or "", *(e.message_zh or "" for e in caught.value.errors or [])]
    assert len(texts) == 4 and not [t for t in texts if latin_words(t)], texts


@pytest.mark.parametrize("policy", ["zero", "skip", "average"])
def test_every_scorecard_line_explains_itself_in_chinese(policy):
    from luoshi_scoring.service.compute import compute, expand
    from tests.scoring.test_compute import make_inputs

    inputs, snapshot = make_inputs(units=12, policy=policy)
    inputs.performance[3] = {"overdue": 1, "overdue_carried_over": 2, "on_time_report_rate": None}
    inputs.performance_items.append({"metric": "on_time_report_rate", "points": 5})
    lines = [line for r in compute(inputs) for line in expand(r["lines"], snapshot)]
    assert len(lines) > 12 * 6
    assert {line["explain_zh"] for line in lines if latin_words(line["explain_zh"])} == set()


def test_every_message_template_in_chinese_is_chinese():
    from luoshi_notify.planning.templates import TEMPLATE_KINDS, render, sample_context

    for kind in TEMPLATE_KINDS:
        context = sample_context(kind)
        variants = [context]
        if kind == "extension_decided":
            variants = [{**context, "decision": d, "comment": "同意"} for d in ("granted", "refused")]
        for ctx in variants:
            message = render(kind, "zh", ctx)
            for text in (message.subject, message.text):
                assert not latin_words(text), (kind, text)


def test_the_bulletin_reads_in_chinese():
    from luoshi_notify.planning.bulletin import AssignmentFact, compile_bulletin, summary_text

    data = compile_bulletin(
        date(2026, 11, 30),
        [],
        [
            AssignmentFact(
                unit_id=1, assignment_id=1, task_title="编制计划", due_on=date(2026, 11, 2), state="suspended"
            )
        ],
        {1: "县发改委"},
        plan_title="夏邑县质量强县工作实施方案",
    )
    assert not latin_words(summary_text(data))


def test_a_deadline_that_cannot_be_read_is_told_so_in_chinese():
    from luoshi.deadlines import DeadlineParseError, parse_deadline

    for text in ("胡说八道", "2026年2月30日前", "2026年13月"):
        with pytest.raises(DeadlineParseError) as caught:
            parse_deadline(text)
        zh = str(caught.value).split("。Cannot")[0]
        assert not latin_words(zh), zh


def test_the_services_problem_texts_in_their_routes_are_chinese():
    """Every literal `*_zh` text and the Chinese half of every bilingual f-string in the three services and the
    kit, read from the source: an English word inside Chinese is a Latin word next to Chinese characters, or a
    `{…}` interpolating a name that is an English value (a period kind, a rule kind, a state, an exception)."""
    from tests.support import REPO

    suspicious = re.compile(
        r"\{(?:exc|e|error|(?:rule|indicator|a|assignment|data)\.(?:period|kind|state|decision))(?:![rs])?\}"
    )
    found = []
    for path in [*REPO.glob("services/*/luoshi_*/**/*.py"), *REPO.glob("shared/luoshi/**/*.py")]:
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            # a Chinese sentence: the literal opens with a Chinese character or punctuation (after any {…})
            # (not a docstring, not a pattern) that is mostly Chinese: English documentation glossing a Chinese
            # term (`"牵头单位: id, or a name"`) is not a Chinese text
            for literal in re.findall(r"(?<![\"\\])f?\"((?:\{[^}\"]*\})*[\u4e00-\u9fff“（][^\"]*)\"(?!\")", line):
                bare = re.sub(r"\{[^}]*\}", "", literal)
                if "(?" in bare or "\\u" in bare or "|" in bare:
                    continue
                chinese = len(re.findall(r"[\u4e00-\u9fff]", bare))
                if chinese < len(re.findall(r"[A-Za-z]", _CODES.sub("", bare))):
                    continue
                if latin_words(bare) or suspicious.search(literal):
                    found.append(f"{path.relative_to(REPO)}:{n}: {literal}")
    assert found == [], "\n".join(found)
