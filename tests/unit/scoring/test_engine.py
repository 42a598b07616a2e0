"""The engine around the scorers: `render` and `check_rule` as the service calls them, the direction a
`lower_is_better` override gives each comparator, the wording of units and missing values, and the rank and
average paths of `score` and `score_all` that the rule-by-rule tests do not take."""

from __future__ import annotations

import math

import pytest

from luoshi_scoring.rules import (
    AnchorRule,
    BenchmarkRule,
    IndicatorSpec,
    LinearRule,
    PassFailRule,
    RankRule,
    Rule,
    RuleError,
    check_rule,
    render,
    score,
    score_all,
)


def spec(
    comparator: str = ">=",
    target: float | None = 90,
    *,
    weight: float = 10,
    unit: str | None = "%",
    name: str = "合格率",
    **extra: float,
) -> IndicatorSpec:
    return IndicatorSpec(id=1, name=name, unit=unit, comparator=comparator, target=target, weight=weight, **extra)


ANCHOR = AnchorRule(anchor_share=0.6, step=1, per_step_up=1, per_step_down=1)
OUTPUT = spec(">=", 3500, name="平均产出", unit="万元/公顷")
GROWTH = spec(">=", None, name="营业收入增速", weight=8)
ACCIDENTS = spec("<=", 1, name="事故率")
AVERAGE = BenchmarkRule(benchmark_name="全省平均")


def points(indicator: IndicatorSpec, rule: Rule, value: float) -> float:
    return score(indicator, rule, value).points


# --- render: a stored result worded again --------------------------------------------------------------------


def test_render_words_a_stored_rank_place_without_the_peers() -> None:
    # the place comes back from JSON as a list: 2nd of 4, tied; then 4th of 4, alone
    tied = render(OUTPUT, RankRule(per_rank=1), 3800, place=[2, 1, 4])
    assert (tied.points, tied.rank, tied.flags) == (9, 2, [])
    assert tied.explain_zh == "平均产出 3800万元/公顷 在 4 个单位中排第 2 名（并列）：10 − 1 × 1 = 9 分"
    assert tied.explain_en == "平均产出 3800万元/公顷 ranks 2 of 4 (tied): 10 − 1 × 1 = 9 points"
    last = render(OUTPUT, RankRule(per_rank=1), 3500, place=(4, False, 4))
    assert (last.points, last.rank) == (7, 4)
    assert last.explain_en == "平均产出 3500万元/公顷 ranks 4 of 4: 10 − 1 × 3 = 7 points"


def test_render_without_a_place_words_the_value_like_score() -> None:
    outcome = render(spec(), ANCHOR, 92)
    assert (outcome.points, outcome.value, outcome.rank) == (8, 92, None)
    assert outcome.explain_zh == "合格率 92% ≥ 目标 90%：达标得 6 分，超出 2 个百分点 × 1 分 = 8 分（上限 10 分）"


def test_render_of_a_missing_value_follows_the_policy() -> None:
    skipped = render(spec(), ANCHOR, None, missing="skip")
    assert (skipped.points, skipped.max_points, skipped.flags) == (0, 0, ["value_missing", "skipped"])
    assert skipped.explain_zh == "合格率，未填报：不计入总分"
    zero = render(spec(), ANCHOR, float("nan"))  # NaN is missing; zero is the default policy
    assert (zero.points, zero.max_points, zero.value, zero.flags) == (0, 10, None, ["value_missing"])
    assert zero.explain_en == "合格率, not reported: 0 of 10 points"


def test_render_scores_against_the_benchmark_given() -> None:
    below = render(GROWTH, AVERAGE, 7.5, benchmark=10)
    assert (below.points, below.benchmark) == (6, 10)  # 8 × (1 − 2.5 ÷ 10)
    for absent in (None, float("inf")):
        outcome = render(GROWTH, AVERAGE, 7.5, benchmark=absent)
        assert (outcome.points, outcome.max_points, outcome.value) == (0, 8, 7.5)
        assert (outcome.benchmark, outcome.flags) == (None, ["benchmark_missing"])
        assert outcome.explain_zh == "营业收入增速 7.5%，缺少全省平均数据：按 0 分计（满分 8 分）"


# --- check_rule: what the service checks when a rule is saved --------------------------------------------------


def test_check_rule_accepts_a_rule_that_can_score_the_indicator() -> None:
    assert check_rule(spec(), ANCHOR) is None
    assert check_rule(GROWTH, AVERAGE) is None  # the benchmark comes at scoring time, not now
    assert check_rule(spec(baseline=80), LinearRule()) is None


def test_check_rule_rejects_a_rule_that_cannot() -> None:
    with pytest.raises(RuleError, match="needs a baseline"):
        check_rule(spec(), LinearRule())
    with pytest.raises(RuleError, match="needs lower_is_better"):
        check_rule(spec("range", 3, target_high=5), AVERAGE)


# --- direction -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "lower_is_better", "values", "expected"),
    [
        ("=", True, (0.5, 1, 1.5), (10, 10, 0)),  # = becomes ≤
        ("=", False, (0.5, 1, 1.5), (0, 10, 10)),  # = becomes ≥
        (">=", False, (0.5, 1, 1.5), (0, 10, 10)),  # already higher is better: unchanged
        ("<=", True, (0.5, 1, 1.5), (10, 10, 0)),  # already lower is better: unchanged
        ("<", True, (0.5, 1), (10, 0)),  # unchanged, and still strict
        ("<=", False, (0.5, 1, 1.5), (0, 10, 10)),  # ≤ becomes ≥
    ],
)
def test_lower_is_better_sets_the_direction_of_each_comparator(
    comparator: str, lower_is_better: bool, values: tuple[float, ...], expected: tuple[float, ...]
) -> None:
    rule = PassFailRule(lower_is_better=lower_is_better)
    assert tuple(points(spec(comparator, 1), rule, v) for v in values) == expected


def test_an_overridden_exact_target_is_worded_with_its_new_comparator() -> None:
    outcome = score(spec("=", 1), PassFailRule(lower_is_better=True), 0.5)
    assert outcome.explain_zh == "合格率 0.5% ≤ 目标 1%：达标得 10 分"


def test_a_strict_less_than_means_lower_is_better() -> None:
    # "< 1" with baseline 2: the baseline lies on the worse side, above the target
    rule = LinearRule(baseline=2)
    assert [points(spec("<", 1, unit=None), rule, v) for v in (2, 1.5, 1, 0.5)] == [0, 5, 10, 10]


def test_rank_on_a_range_ranks_by_lower_is_better() -> None:
    growth = spec("range", 3, target_high=5)
    values = {1: 4.0, 2: 6.0, 3: 2.0}
    lower = score_all(growth, RankRule(per_rank=1, lower_is_better=True), values)
    assert {u: (o.rank, o.points) for u, o in lower.items()} == {1: (2, 9), 2: (3, 8), 3: (1, 10)}
    higher = score_all(growth, RankRule(per_rank=1, lower_is_better=False), values)
    assert {u: (o.rank, o.points) for u, o in higher.items()} == {1: (2, 9), 2: (1, 10), 3: (3, 8)}
    with pytest.raises(RuleError, match=r"^a rank rule on a range indicator needs lower_is_better$"):
        score_all(growth, RankRule(per_rank=1), values)


def test_rank_of_one_value_among_peers_when_lower_is_better() -> None:
    peers = [0.5, 0.2, 0.9]
    best = score(ACCIDENTS, RankRule(per_rank=1), 0.2, peers=peers)
    assert (best.rank, best.points) == (1, 10)
    assert best.explain_en == "事故率 0.2% ranks 1 of 3: 10 − 1 × 0 = 10 points"
    assert score(ACCIDENTS, RankRule(per_rank=1), 0.9, peers=peers).rank == 3


def test_rank_of_one_value_says_when_it_ties() -> None:
    tied = score(OUTPUT, RankRule(per_rank=1), 3800, peers=[4000, 3800, 3800, 3500])
    assert tied.explain_zh == "平均产出 3800万元/公顷 在 4 个单位中排第 2 名（并列）：10 − 1 × 1 = 9 分"
    alone = score(OUTPUT, RankRule(per_rank=1), 4000, peers=[4000, 3800, 3800, 3500])
    assert alone.explain_zh == "平均产出 4000万元/公顷 在 4 个单位中排第 1 名：10 − 1 × 0 = 10 分"


def test_average_of_a_rank_table_ranks_in_the_indicator_direction() -> None:
    # lower is better: 1 is 1st (10), both 2s are 2nd (5 each): (10 + 5 + 5) / 3 = 6.67
    table = RankRule(points_by_rank=[10, 5, 4])
    outcome = score(ACCIDENTS, table, None, peers=[1, 2, 2], missing="average")
    assert (outcome.points, outcome.flags) == (6.67, ["value_missing", "averaged"])


def test_a_rank_rule_without_peers_says_so() -> None:
    with pytest.raises(RuleError) as raised:
        score(OUTPUT, RankRule(per_rank=1), 3800)
    assert str(raised.value) == "a rank rule needs the peers' values"


# --- targets, units and wording ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [PassFailRule(), ANCHOR, LinearRule(baseline=1)], ids=lambda r: r.kind)
def test_rules_that_need_a_target_say_so(rule: Rule) -> None:
    with pytest.raises(RuleError, match=rf"^an? {rule.kind} rule needs the indicator's target$"):
        score(spec(">=", None), rule, 5)


def test_pass_fail_on_a_range_says_the_value_is_within_it() -> None:
    outcome = score(spec("range", 3, target_high=5), PassFailRule(), 4)
    assert outcome.explain_zh == "合格率 4% 在目标区间 3–5% 内：达标得 10 分"
    assert outcome.explain_en == "合格率 4% meets target 3–5%: 10 points"


def test_per_mille_steps_are_named_in_both_languages() -> None:
    # ≤ 1‰, 3‰ is 2 steps worse: 6 − 2 = 4 points
    outcome = score(spec("<=", 1, unit="‰", name="事故率"), ANCHOR, 3)
    assert outcome.points == 4
    assert outcome.explain_zh == "事故率 3‰ 未达到目标 ≤ 1‰：达标分 6 分，高于 2 个千分点 × 1 分 = 4 分（下限 0 分）"
    assert outcome.explain_en == (
        "事故率 3‰ misses target ≤ 1‰: 6 points, above by 2 per-mille points × 1 = 4 points (floor 0)"
    )


def test_steps_of_other_units_are_named_by_the_unit() -> None:
    brands = spec(">=", 10, unit="家", name="名牌企业")
    outcome = score(brands, ANCHOR.model_copy(update={"per_step_up": 0.5}), 13)  # 6 + 3 × 0.5
    assert outcome.explain_en == "名牌企业 13家 meets target ≥ 10家: 6 points, above by 3家 × 0.5 = 7.5 points (cap 10)"


def test_an_unnamed_benchmark_is_worded_as_the_plain_benchmark() -> None:
    below = score(GROWTH, BenchmarkRule(), 7.5, benchmark=10)
    assert below.explain_zh == "营业收入增速 7.5% 低于基准 10%：8 × (1 − 2.5 ÷ 10) = 6 分"
    assert "缺少基准数据" in score(GROWTH, BenchmarkRule(), 7.5).explain_zh


def test_missing_values_are_explained_in_english() -> None:
    assert score(spec(), ANCHOR, None).explain_en == "合格率, not reported: 0 of 10 points"
    skipped = score(spec(), ANCHOR, None, missing="skip")
    assert skipped.explain_en == "合格率, not reported: left out of the total"
    no_benchmark = score(GROWTH, AVERAGE, 12)
    assert no_benchmark.explain_en == "营业收入增速 12%, no benchmark value: 0 of 8 points"


def test_negative_zero_is_read_as_zero() -> None:
    # -0.0 from a spreadsheet is 0: stored as 0.0 and worded "0%", never "-0%"
    one = score(ACCIDENTS, PassFailRule(), -0.0)
    every = score_all(ACCIDENTS, PassFailRule(), {1: -0.0})[1]
    for outcome in (one, every):
        assert math.copysign(1, outcome.value) == 1
        assert outcome.explain_zh == "事故率 0% ≤ 目标 1%：达标得 10 分"


# --- score_all's own paths -------------------------------------------------------------------------------------


def test_score_all_without_a_benchmark_words_each_unit_under_the_policy() -> None:
    everyone = score_all(GROWTH, AVERAGE, {1: 12, 2: None}, benchmark=None, missing="skip")
    reported, silent = everyone[1], everyone[2]
    assert (reported.value, reported.max_points, reported.flags) == (12, 0, ["benchmark_missing", "skipped"])
    assert reported.explain_zh == "营业收入增速 12%，缺少全省平均数据：不计入总分"
    assert (silent.value, silent.flags) == (None, ["value_missing", "benchmark_missing", "skipped"])
    assert silent.explain_zh == "营业收入增速，未填报：不计入总分"


def test_score_all_with_no_value_at_all_has_no_average() -> None:
    outcomes = score_all(spec(), ANCHOR, {1: None, 2: float("nan")}, missing="average")
    for outcome in outcomes.values():
        assert (outcome.points, outcome.max_points) == (0, 10)
        assert outcome.flags == ["value_missing", "average_unavailable"]


# --- refusals, as the office reads them --------------------------------------------------------------------------
# scoring-api answers a rule that cannot score an indicator with 422 and the RuleError's texts as detail and
# detail_zh, so both languages are what the office sees when it saves the rule.

STEPS = {"anchor_share": 0.6, "step": 1, "per_step_up": 1, "per_step_down": 1}


@pytest.mark.parametrize(
    ("indicator", "rule", "en", "zh"),
    [
        pytest.param(
            spec(),
            LinearRule(),
            "a linear rule needs a baseline (on the rule or the indicator)",
            "线性计分须有基线值（在规则或指标上设定）",
            id="linear-without-baseline",
        ),
        pytest.param(
            spec("range", 3, target_high=5),
            LinearRule(baseline=4),
            "a linear rule's baseline must lie outside the target range",
            "线性计分的基线值须在目标区间之外",
            id="linear-baseline-inside-range",
        ),
        pytest.param(
            spec(">=", 90),
            LinearRule(baseline=95),
            "a linear rule's baseline must lie on the worse side of the target",
            "线性计分的基线值须比目标值差",
            id="linear-baseline-better-than-target",
        ),
        pytest.param(
            spec(weight=10),
            AnchorRule(floor=12, **STEPS),
            "an anchor rule's floor is above its cap (the weight when cap is not set)",
            "达标加减分规则的下限高于上限（未设上限时为权重）",
            id="anchor-floor-above-weight",
        ),
        pytest.param(
            spec("range", 3, target_high=5),
            BenchmarkRule(),
            "a benchmark rule on a range indicator needs lower_is_better",
            "对标计分用于区间型指标时须指明是否越低越好",
            id="benchmark-on-range",
        ),
        pytest.param(
            spec(">=", None),
            PassFailRule(),
            "a pass_fail rule needs the indicator's target",
            "达标计分须有指标的目标值",
            id="pass-fail-without-target",
        ),
        pytest.param(
            spec(">=", None),
            AnchorRule(**STEPS),
            "an anchor rule needs the indicator's target",
            "达标加减分须有指标的目标值",
            id="anchor-without-target",
        ),
    ],
)
def test_a_rule_that_cannot_score_is_refused_in_english_and_chinese(
    indicator: IndicatorSpec, rule: Rule, en: str, zh: str
) -> None:
    with pytest.raises(RuleError) as raised:
        check_rule(indicator, rule)
    assert (str(raised.value), raised.value.zh) == (en, zh)


def test_a_rank_rule_without_peers_is_refused_in_both_languages() -> None:
    with pytest.raises(RuleError) as raised:
        score(OUTPUT, RankRule(per_rank=1), 3800)
    assert raised.value.zh == "排名计分须有各单位的数值"
