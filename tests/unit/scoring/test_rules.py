"""Scoring rules at their edges: the target, just below it, past the cap, lower-is-better, ranges, missing
values and benchmarks, ties; and the explanations that name the value, the target and the points."""

from __future__ import annotations

import math
import pickle
import random

import pytest
from pydantic import ValidationError

from luoshi_scoring.rules import (
    AnchorRule,
    BenchmarkRule,
    IndicatorSpec,
    LinearRule,
    Outcome,
    PassFailRule,
    RankRule,
    Rule,
    RuleError,
    TiersRule,
    round_points,
    rule_adapter,
    score,
    score_all,
)


def spec(
    comparator: str = ">=",
    target: float | None = 90,
    *,
    weight: float = 10,
    unit: str | None = "%",
    name: str = "主导产品监督抽查合格率",
    **extra: float,
) -> IndicatorSpec:
    return IndicatorSpec(id=1, name=name, unit=unit, comparator=comparator, target=target, weight=weight, **extra)


ACCIDENTS = {"name": "质量安全事故发生率", "unit": "%"}
ANCHOR = AnchorRule(anchor_share=0.6, step=1, per_step_up=1, per_step_down=1)
TIERS = TiersRule(bands=[{"min": 90, "points": 10}, {"min": 80, "points": 6}, {"min": 70, "points": 3}])


def points(indicator: IndicatorSpec, rule: Rule, value: float | None, **kw: object) -> float:
    return score(indicator, rule, value, **kw).points


# --- pass_fail ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "target", "value", "expected"),
    [
        (">=", 90, 90, 10),  # exactly at the target
        (">=", 90, 89.99, 0),  # just below
        (">=", 90, 100, 10),
        (">=", 90, 89.99999999999999, 10),  # float noise meets the target
        (">", 0.8, 0.8, 0),  # 容积率大于0.8: equal is not enough
        (">", 0.8, 0.81, 10),
        ("=", 100, 100, 10),  # 产品标准覆盖率 = 100%
        ("=", 100, 99.99, 0),
        ("<=", 1, 1, 10),  # 事故率 ≤ 1%
        ("<=", 1, 1.01, 0),
        ("<=", 1, 0, 10),
        ("<", 1, 1, 0),
    ],
)
def test_pass_fail_by_comparator(comparator: str, target: float, value: float, expected: float) -> None:
    assert points(spec(comparator, target), PassFailRule(), value) == expected


def test_pass_fail_range_is_inclusive() -> None:
    growth = spec("range", 3, target_high=5)
    assert [points(growth, PassFailRule(), v) for v in (2.99, 3, 4, 5, 5.01)] == [0, 10, 10, 10, 0]


def test_pass_fail_fail_points_and_cap() -> None:
    assert points(spec(), PassFailRule(fail_points=2), 80) == 2
    outcome = score(spec(weight=1), PassFailRule(fail_points=2), 80)
    assert (outcome.points, outcome.flags) == (1, ["capped"])


def test_lower_is_better_overrides_the_comparator() -> None:
    # an indicator parsed as "≥ 1" that the office means as "at most 1"
    rule = PassFailRule(lower_is_better=True)
    assert [points(spec(">=", 1), rule, v) for v in (0.5, 1, 1.5)] == [10, 10, 0]
    assert [points(spec(">", 1), rule, v) for v in (0.5, 1)] == [10, 0]  # strictness kept: > becomes <
    assert [points(spec("=", 100), PassFailRule(lower_is_better=False), v) for v in (99, 100, 101)] == [0, 10, 10]


def test_pass_fail_explains_value_target_and_points() -> None:
    met, missed = score(spec(), PassFailRule(), 92), score(spec(), PassFailRule(), 89.99)
    assert met.explain_zh == "主导产品监督抽查合格率 92% ≥ 目标 90%：达标得 10 分"
    assert met.explain_en == "主导产品监督抽查合格率 92% meets target ≥ 90%: 10 points"
    assert missed.explain_zh == "主导产品监督抽查合格率 89.99%，未达到目标 ≥ 90%：得 0 分"
    assert missed.explain_en == "主导产品监督抽查合格率 89.99% misses target ≥ 90%: 0 points"


# --- linear ------------------------------------------------------------------------------------------------

INVESTMENT = {"name": "单位土地面积平均投资强度", "unit": "万元/公顷"}


@pytest.mark.parametrize(
    ("value", "expected", "flags"),
    [
        (2450, 7.5, []),
        (2600, 10, []),  # at the target
        (2599.99, 10, []),  # 9.99983 rounds to 10
        (2700, 10, ["capped"]),
        (2000, 0, []),  # at the baseline
        (1900, 0, ["floored"]),  # clamped below the baseline
    ],
)
def test_linear_from_baseline_to_target(value: float, expected: float, flags: list[str]) -> None:
    outcome = score(spec(">=", 2600, **INVESTMENT), LinearRule(baseline=2000), value)
    assert (outcome.points, outcome.flags) == (expected, flags)


def test_linear_just_below_target_and_baseline_from_indicator() -> None:
    indicator = spec(">=", 90, baseline=80)
    assert points(indicator, LinearRule(), 89.99) == 9.99
    assert points(indicator, LinearRule(baseline=70), 80) == 5  # the rule's baseline wins


def test_linear_lower_is_better() -> None:
    energy = spec("<=", 0.5, name="万元工业产值能耗", unit="吨标准煤")
    rule = LinearRule(baseline=0.7)
    assert [points(energy, rule, v) for v in (0.4, 0.5, 0.6, 0.7, 0.8)] == [10, 10, 5, 0, 0]
    assert score(energy, rule, 0.8).flags == ["floored"]


def test_linear_range() -> None:
    growth = spec("range", 8, target_high=12, name="主导产业营业收入增速")
    rule = LinearRule(baseline=2)  # 6 below the range earns 0
    assert [points(growth, rule, v) for v in (10, 8, 12, 5, 15, 2, 20)] == [10, 10, 10, 5, 5, 0, 0]


@pytest.mark.parametrize(
    ("indicator", "rule"),
    [
        (spec(">=", 90), LinearRule()),  # no baseline anywhere
        (spec(">=", 90), LinearRule(baseline=95)),  # baseline on the better side
        (spec(">=", 90), LinearRule(baseline=90)),  # baseline at the target
        (spec("<=", 1), LinearRule(baseline=0.5)),
        (spec("range", 3, target_high=5), LinearRule(baseline=4)),  # baseline inside the range
        (spec(">=", None), LinearRule(baseline=1)),  # no target
    ],
)
def test_linear_rejects_rules_that_cannot_apply(indicator: IndicatorSpec, rule: LinearRule) -> None:
    with pytest.raises(RuleError):
        score(indicator, rule, 1)


def test_linear_explains() -> None:
    outcome = score(spec(">=", 2600, **INVESTMENT), LinearRule(baseline=2000), 2450)
    assert outcome.explain_zh == (
        "单位土地面积平均投资强度 2450万元/公顷：基线 2000万元/公顷 计 0 分、目标 2600万元/公顷 计 10 分，线性得 7.5 分"
    )
    assert "2450" in outcome.explain_en and "2600" in outcome.explain_en and "7.5 points" in outcome.explain_en


def test_linear_range_explains_the_range_and_the_baseline() -> None:
    growth = spec("range", 8, target_high=12, name="主导产业营业收入增速")
    outcome = score(growth, LinearRule(baseline=2), 5)
    assert (
        outcome.explain_zh == "主导产业营业收入增速 5%：目标区间 8–12% 内计 10 分，偏离至基线 2% 计 0 分，按比例得 5 分"
    )
    assert outcome.explain_en == (
        "主导产业营业收入增速 5%: full 10 points within 8–12%, 0 as far off as baseline 2%: 5 points"
    )


@pytest.mark.parametrize(
    ("indicator", "rule", "says"),
    [
        (spec(">=", 90), LinearRule(), "needs a baseline"),
        (spec("range", 3, target_high=5), LinearRule(baseline=4), "outside the target range"),
        (spec(">=", 90), LinearRule(baseline=95), "worse side of the target"),
    ],
)
def test_linear_rule_errors_say_what_is_wrong(indicator: IndicatorSpec, rule: LinearRule, says: str) -> None:
    with pytest.raises(RuleError, match=says):
        score(indicator, rule, 1)


# --- tiers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [(100, 10), (90, 10), (89.99, 6), (80, 6), (79.99, 3), (70, 3), (69.99, 0)]
)
def test_tiers_boundaries(value: float, expected: float) -> None:
    assert points(spec(), TIERS, value) == expected


def test_tiers_lower_is_better_windows_and_otherwise() -> None:
    accidents = spec("<=", 1, **ACCIDENTS)
    rule = TiersRule(bands=[{"max": 1, "points": 10}, {"max": 2, "points": 5}], otherwise_points=1)
    assert [points(accidents, rule, v) for v in (0, 1, 1.5, 2, 2.01)] == [10, 10, 5, 5, 1]
    windows = TiersRule(bands=[{"min": 3, "max": 5, "points": 10}, {"min": 2, "max": 6, "points": 6}])
    assert [points(spec("range", 3, target_high=5), windows, v) for v in (4, 5.5, 1.9, 7)] == [10, 6, 0, 0]


def test_tiers_points_above_the_weight_are_capped() -> None:
    outcome = score(spec(weight=5), TIERS, 95)
    assert (outcome.points, outcome.flags) == (5, ["capped"])


def test_tiers_explains_a_capped_band_and_a_band_without_a_target() -> None:
    capped = score(spec(weight=5), TIERS, 95)
    assert capped.explain_zh == (
        "主导产品监督抽查合格率 95%（目标 ≥ 90%）属于「≥ 90%」档：得 5 分（档次分超过满分，按满分计）"
    )
    assert capped.explain_en == (
        "主导产品监督抽查合格率 95% (target ≥ 90%) is in band ≥ 90%: 5 points (capped at the weight)"
    )
    untargeted = score(spec(">=", None), TIERS, 85)
    assert untargeted.explain_zh == "主导产品监督抽查合格率 85% 属于「≥ 80%」档：得 6 分"
    assert untargeted.explain_en == "主导产品监督抽查合格率 85% is in band ≥ 80%: 6 points"
    window = TiersRule(bands=[{"min": 3, "max": 5, "points": 10}])
    assert score(spec("range", 3, target_high=5), window, 4).explain_zh == (
        "主导产品监督抽查合格率 4%（目标 3–5%）属于「3–5%」档：得 10 分"
    )


def test_zero_points_stay_zero_unflagged() -> None:
    # a band, a fixed below-benchmark score or a weight of 0 is 0 points, not floored to anything
    zero_band = TiersRule(bands=[{"min": 90, "points": 10}, {"min": 80, "points": 0}], otherwise_points=0)
    assert (score(spec(), zero_band, 85).points, score(spec(), zero_band, 85).flags) == (0, [])
    nothing = BenchmarkRule(below_points=0)
    assert (
        points(spec(">=", None, **GROWTH), nothing, 7.5, benchmark=10),
        score(spec(weight=0), PassFailRule(), 95).points,
    ) == (0, 0)
    assert score(spec(">=", None, weight=0), AVERAGE, 12, benchmark=10).points == 0


def test_tiers_explains_the_band() -> None:
    outcome = score(spec(), TIERS, 89.99)
    assert outcome.explain_zh == "主导产品监督抽查合格率 89.99%（目标 ≥ 90%）属于「≥ 80%」档：得 6 分"
    assert outcome.explain_en == "主导产品监督抽查合格率 89.99% (target ≥ 90%) is in band ≥ 80%: 6 points"
    assert score(spec(), TIERS, 50).explain_zh == "主导产品监督抽查合格率 50%（目标 ≥ 90%）不在任何档次：得 0 分"


def test_tiers_float_noise_at_a_band_edge_stays_in_that_band() -> None:
    # a rate computed as 0.1 + 0.2 is 0.30000000000000004: it is at the "≤ 0.3" band's max, not past it
    accidents = spec("<=", 0.3, **ACCIDENTS)
    rule = TiersRule(bands=[{"max": 0.3, "points": 10}, {"max": 0.5, "points": 5}], otherwise_points=1)
    assert points(accidents, rule, 0.1 + 0.2) == 10
    assert "属于「≤ 0.3%」档" in score(accidents, rule, 0.1 + 0.2).explain_zh
    # and 89.99999999999999 is at the "≥ 90" band's min
    assert points(spec(), TIERS, 89.99999999999999) == 10
    windows = TiersRule(bands=[{"min": 0.3, "max": 0.6, "points": 10}, {"min": 0, "max": 1, "points": 6}])
    assert [points(spec("range", 0.3, target_high=0.6), windows, v) for v in (0.1 + 0.2, 0.2 + 0.4)] == [10, 10]


@pytest.mark.parametrize(
    "bands",
    [
        [{"min": 80, "points": 6}, {"min": 90, "points": 10}],  # not best first
        [{"points": 5}],  # no bound
        [{"min": 5, "max": 3, "points": 5}],
        [],
    ],
)
def test_tiers_validation(bands: list[dict[str, float]]) -> None:
    with pytest.raises(ValidationError):
        TiersRule(bands=bands)


# --- anchor ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "flags"),
    [
        (90, 6, []),  # exactly at the target: the anchor share
        (92, 8, []),
        (90.5, 6, []),  # half a step does not count
        (94, 10, []),  # exactly at the cap
        (95, 10, ["capped"]),
        (89.99, 5, []),  # any shortfall is a whole step
        (84, 0, []),  # exactly at the floor
        (80, 0, ["floored"]),
    ],
)
def test_anchor_whole_steps(value: float, expected: float, flags: list[str]) -> None:
    outcome = score(spec(), ANCHOR, value)
    assert (outcome.points, outcome.flags) == (expected, flags)


def test_anchor_explains_like_the_office_writes_it() -> None:
    outcome = score(spec(name="合格率"), ANCHOR, 92)
    assert outcome.explain_zh == "合格率 92% ≥ 目标 90%：达标得 6 分，超出 2 个百分点 × 1 分 = 8 分（上限 10 分）"
    assert outcome.explain_en == (
        "合格率 92% meets target ≥ 90%: 6 points, above by 2 percentage points × 1 = 8 points (cap 10)"
    )
    capped = score(spec(name="合格率"), ANCHOR, 95)
    assert capped.explain_zh.endswith("超出 5 个百分点 × 1 分 = 11 分，按上限计 10 分")
    below = score(spec(name="合格率"), ANCHOR, 89.99)
    assert (
        below.explain_zh
        == "合格率 89.99% 未达到目标 ≥ 90%：达标分 6 分，低于 0.01 个百分点，按 1 档 × 1 分 = 5 分（下限 0 分）"
    )
    floored = score(spec(name="合格率"), ANCHOR, 80)
    assert floored.explain_en.endswith("below by 10 percentage points × 1 = -4 points, floored at 0 points")


def test_anchor_pro_rata_and_step_size() -> None:
    pro_rata = ANCHOR.model_copy(update={"step_counting": "pro_rata"})
    assert [points(spec(), pro_rata, v) for v in (90.5, 89.5, 90)] == [6.5, 5.5, 6]
    half_point = ANCHOR.model_copy(update={"step": 0.5})
    assert [points(spec(), half_point, v) for v in (91, 91.4, 89.6)] == [8, 8, 5]
    assert "按每 0.5 个百分点一档计 2 档" in score(spec(), half_point, 91).explain_zh


def test_anchor_cap_above_weight_and_negative_floor() -> None:
    bonus = ANCHOR.model_copy(update={"cap": 12, "floor": -2})
    assert [points(spec(), bonus, v) for v in (95, 97, 80)] == [11, 12, -2]
    assert score(spec(), bonus, 80).flags == ["floored"]


def test_anchor_lower_is_better() -> None:
    accidents = spec("<=", 1, **ACCIDENTS)
    rule = AnchorRule(anchor_share=0.6, step=0.1, per_step_up=1, per_step_down=2)
    assert [points(accidents, rule, v) for v in (1, 0.8, 1.01, 1.15)] == [6, 8, 4, 2]
    assert score(accidents, rule, 0.8).explain_zh.startswith(
        "质量安全事故发生率 0.8% ≤ 目标 1%：达标得 6 分，低于 0.2 个百分点"
    )


def test_anchor_counts_range_and_strict_comparators() -> None:
    brands = spec(">=", 10, unit="家", name="获省级名牌企业")
    assert points(brands, ANCHOR.model_copy(update={"per_step_up": 0.5}), 13) == 7.5
    assert "超出 3家 × 0.5 分" in score(brands, ANCHOR.model_copy(update={"per_step_up": 0.5}), 13).explain_zh
    growth = spec("range", 3, target_high=5)
    assert [points(growth, ANCHOR, v) for v in (3, 5, 4, 2.5, 6.2)] == [6, 6, 6, 5, 4]
    assert points(spec(">", 0.8, unit=None), ANCHOR, 0.8) == 5  # equal misses a strict target by one step
    assert points(spec("=", 100), ANCHOR, 100) == 6


def test_anchor_going_past_an_exact_target_earns_steps_up() -> None:
    # 产品标准覆盖率 = 100%: the rule counts going past an exact target as better, never as a miss
    coverage = spec("=", 100, name="产品标准覆盖率")
    assert [points(coverage, ANCHOR, v) for v in (100, 101, 102, 99)] == [6, 7, 8, 5]
    outcome = score(coverage, ANCHOR, 101)
    assert outcome.flags == []
    assert outcome.explain_zh.startswith("产品标准覆盖率 101% ")
    assert "达标得 6 分，超出 1 个百分点 × 1 分 = 7 分" in outcome.explain_zh


def test_anchor_floor_above_cap_is_rejected() -> None:
    with pytest.raises(ValidationError):
        AnchorRule(per_step_up=1, per_step_down=1, cap=3, floor=5)
    with pytest.raises(RuleError):  # the weight is the cap
        score(spec(weight=10), AnchorRule(per_step_up=1, per_step_down=1, floor=12), 90)


# --- benchmark ---------------------------------------------------------------------------------------------

GROWTH = {"name": "营业收入增速", "unit": "%", "weight": 8}
AVERAGE = BenchmarkRule(benchmark_name="全省平均")


@pytest.mark.parametrize(
    ("benchmark", "value", "expected", "flags"),
    [
        (10, 12, 8, []),
        (10, 10, 8, []),  # at the benchmark
        (10, 9.99, 7.99, []),  # just below
        (10, 7.5, 6, []),
        (10, 0, 0, []),
        (10, -5, 0, ["floored"]),
        (-2, -3, 4, []),  # a negative benchmark: half its size short
        (-2, -1, 8, []),
        (0, -1, 0, []),
    ],
)
def test_benchmark_scales_by_the_gap(benchmark: float, value: float, expected: float, flags: list[str]) -> None:
    outcome = score(spec(">=", None, **GROWTH), AVERAGE, value, benchmark=benchmark)
    assert (outcome.points, outcome.flags, outcome.benchmark) == (expected, flags, benchmark)


def test_benchmark_lower_is_better_and_fixed_points() -> None:
    energy = spec("<=", None, name="万元工业产值能耗", unit=None, weight=8)
    assert [points(energy, AVERAGE, v, benchmark=0.8) for v in (0.7, 0.8, 1.0)] == [8, 8, 6]
    assert points(spec(">=", None, **GROWTH), BenchmarkRule(below_points=3), 7.5, benchmark=10) == 3


def test_benchmark_explains() -> None:
    below = score(spec(">=", None, **GROWTH), AVERAGE, 7.5, benchmark=10)
    assert below.explain_zh == "营业收入增速 7.5% 低于全省平均 10%：8 × (1 − 2.5 ÷ 10) = 6 分"
    assert below.explain_en == "营业收入增速 7.5% below 全省平均 10%: 8 × (1 − 2.5 ÷ 10) = 6 points"
    above = score(spec(">=", None, **GROWTH), AVERAGE, 12, benchmark=10)
    assert above.explain_zh == "营业收入增速 12% ≥ 全省平均 10%：得满分 8 分"


def test_benchmark_lower_is_better_explains_above_the_benchmark() -> None:
    energy = spec("<=", None, name="万元工业产值能耗", unit=None, weight=8)
    outcome = score(energy, AVERAGE, 1.0, benchmark=0.8)
    assert outcome.explain_zh == "万元工业产值能耗 1 高于全省平均 0.8：8 × (1 − 0.2 ÷ 0.8) = 6 分"
    assert outcome.explain_en == "万元工业产值能耗 1 above 全省平均 0.8: 8 × (1 − 0.2 ÷ 0.8) = 6 points"


def test_benchmark_a_value_at_the_benchmark_earns_full_points_as_meeting_it() -> None:
    # exactly at the average, and at it but for float noise (0.1 + 0.2 against 0.3): full points, said as met
    growth = spec(">=", None, **GROWTH)
    at = score(growth, AVERAGE, 10, benchmark=10)
    assert (at.points, at.flags) == (8, [])
    assert at.explain_zh == "营业收入增速 10% ≥ 全省平均 10%：得满分 8 分"
    assert at.explain_en == "营业收入增速 10% ≥ 全省平均 10%: full 8 points"
    energy = spec("<=", None, name="万元工业产值能耗", unit=None, weight=8)
    noisy = score(energy, AVERAGE, 0.1 + 0.2, benchmark=0.3)
    assert (noisy.points, noisy.flags) == (8, [])
    assert noisy.explain_zh == "万元工业产值能耗 0.3 ≤ 全省平均 0.3：得满分 8 分"
    fixed = score(growth, BenchmarkRule(benchmark_name="全省平均", below_points=3), 10, benchmark=10)
    assert (fixed.points, fixed.explain_zh) == (8, "营业收入增速 10% ≥ 全省平均 10%：得满分 8 分")


@pytest.mark.parametrize(
    ("policy", "expected_points", "max_points", "flags"),
    [
        ("zero", 0, 8, ["benchmark_missing"]),
        ("skip", 0, 0, ["benchmark_missing", "skipped"]),
        ("average", 0, 8, ["benchmark_missing", "average_unavailable"]),
    ],
)
def test_benchmark_missing(policy: str, expected_points: float, max_points: float, flags: list[str]) -> None:
    indicator = spec(">=", None, **GROWTH)
    outcome = score(indicator, AVERAGE, 12, benchmark=None, peers=[12, 9], missing=policy)
    assert (outcome.points, outcome.max_points, outcome.flags) == (expected_points, max_points, flags)
    assert "缺少全省平均数据" in outcome.explain_zh and "12%" in outcome.explain_zh
    everyone = score_all(indicator, AVERAGE, {1: 12, 2: None}, benchmark=float("nan"), missing=policy)
    assert "benchmark_missing" in everyone[1].flags
    assert everyone[2].flags[:2] == ["value_missing", "benchmark_missing"]


def test_benchmark_on_a_range_needs_a_direction() -> None:
    with pytest.raises(RuleError):
        score(spec("range", 3, target_high=5), BenchmarkRule(), 4, benchmark=4)
    assert points(spec("range", 3, target_high=5), BenchmarkRule(lower_is_better=False), 4, benchmark=4) == 10


# --- rank --------------------------------------------------------------------------------------------------

OUTPUT = {"name": "单位土地面积平均产出", "unit": "万元/公顷"}
COUNTIES = {11: 4000.0, 12: 3800.0, 13: 3800.0, 14: 3500.0}


def test_rank_ties_share_the_better_place() -> None:
    outcomes = score_all(spec(">=", 3500, **OUTPUT), RankRule(per_rank=1), COUNTIES)
    assert {u: (o.rank, o.points) for u, o in outcomes.items()} == {11: (1, 10), 12: (2, 9), 13: (2, 9), 14: (4, 7)}
    assert (
        outcomes[12].explain_zh
        == "单位土地面积平均产出 3800万元/公顷 在 4 个单位中排第 2 名（并列）：10 − 1 × 1 = 9 分"
    )
    assert outcomes[14].explain_en == "单位土地面积平均产出 3500万元/公顷 ranks 4 of 4: 10 − 1 × 3 = 7 points"
    assert outcomes[13].explain_en == "单位土地面积平均产出 3800万元/公顷 ranks 2 of 4 (tied): 10 − 1 × 1 = 9 points"


def test_rank_points_table_lower_is_better_and_floor() -> None:
    table = score_all(spec(">=", 3500, **OUTPUT), RankRule(points_by_rank=[10, 8, 6]), COUNTIES)
    assert [o.points for o in table.values()] == [10, 8, 8, 0]
    accidents = score_all(spec("<=", 1, **ACCIDENTS), RankRule(per_rank=4), {1: 0.5, 2: 0.2, 3: 0.9, 4: 2})
    assert {u: o.rank for u, o in accidents.items()} == {1: 2, 2: 1, 3: 3, 4: 4}
    assert [o.points for o in accidents.values()] == [6, 10, 2, 0]
    assert accidents[4].flags == ["floored"]


def test_rank_table_scores_every_listed_place_and_zero_after_it() -> None:
    # points_by_rank [10, 8, 6]: the third place earns the table's last entry, 6; the fourth is off the table
    values = {1: 4000.0, 2: 3800.0, 3: 3600.0, 4: 3500.0}
    outcomes = score_all(spec(">=", 3500, **OUTPUT), RankRule(points_by_rank=[10, 8, 6]), values)
    assert {u: (o.rank, o.points) for u, o in outcomes.items()} == {1: (1, 10), 2: (2, 8), 3: (3, 6), 4: (4, 0)}
    assert outcomes[3].explain_zh.endswith("在 4 个单位中排第 3 名：按名次表得 6 分")
    assert outcomes[4].explain_zh.endswith("在 4 个单位中排第 4 名：名次表外得 0 分")


def test_rank_one_unit_against_peers() -> None:
    indicator, rule = spec(">=", 3500, **OUTPUT), RankRule(per_rank=1)
    assert score(indicator, rule, 3800, peers=list(COUNTIES.values())).rank == 2
    assert score(indicator, rule, 3900, peers=list(COUNTIES.values())).explain_en.endswith(
        "ranks 2 of 5: 10 − 1 × 1 = 9 points"
    )
    with pytest.raises(RuleError):
        score(indicator, rule, 3800)


def test_rank_leaves_out_units_without_a_value() -> None:
    outcomes = score_all(spec(">=", 1, unit="家"), RankRule(per_rank=2), {1: 5, 2: None, 3: 3})
    assert (outcomes[3].rank, outcomes[3].points) == (2, 8)
    assert (outcomes[2].rank, outcomes[2].flags) == (None, ["value_missing"])
    assert "在 2 个单位中排第 2 名" in outcomes[3].explain_zh


def test_rank_validation() -> None:
    for bad in ({}, {"per_rank": 1, "points_by_rank": [3]}, {"points_by_rank": [5, 6]}, {"points_by_rank": [-1]}):
        with pytest.raises(ValidationError):
            RankRule(**bad)


# --- missing values ----------------------------------------------------------------------------------------


def test_missing_value_policies() -> None:
    zero = score(spec(), ANCHOR, None)
    assert (zero.points, zero.max_points, zero.flags) == (0, 10, ["value_missing"])
    assert zero.explain_zh == "主导产品监督抽查合格率，未填报：按 0 分计（满分 10 分）"
    skip = score(spec(), ANCHOR, None, missing="skip")
    assert (skip.points, skip.max_points, skip.flags) == (0, 0, ["value_missing", "skipped"])
    average = score(spec(), ANCHOR, None, peers=[92, 88, None], missing="average")  # (8 + 4) / 2
    assert (average.points, average.max_points, average.flags) == (6, 10, ["value_missing", "averaged"])
    assert "2 个已填报单位的平均得分计 6 分" in average.explain_zh
    nobody = score(spec(), ANCHOR, None, missing="average")
    assert (nobody.points, nobody.flags) == (0, ["value_missing", "average_unavailable"])


@pytest.mark.parametrize("bad", [None, float("nan"), float("inf")])
def test_score_all_missing_policies(bad: float | None) -> None:
    values = {3: 92.0, 1: bad, 2: 88.5}
    averaged = score_all(spec(), ANCHOR, values, missing="average")
    assert list(averaged) == [3, 1, 2]  # the order of the input
    assert averaged[1].points == round_points((8 + 4) / 2) and averaged[1].value is None
    assert score_all(spec(), ANCHOR, values, missing="skip")[1].max_points == 0
    assert score_all(spec(), ANCHOR, values)[1].flags == ["value_missing"]


def test_average_of_rank_points() -> None:
    outcome = score(spec(">=", 1), RankRule(per_rank=1), None, peers=[3, 2, 2], missing="average")
    assert outcome.points == round_points((10 + 9 + 9) / 3)


# --- rounding, explanations, models ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [(2.675, 2.68), (1.005, 1.01), (0.125, 0.13), (-2.675, -2.68), (2.665, 2.67), (7.333, 7.33), (-0.001, 0.0)],
)
def test_round_half_away_from_zero(raw: float, rounded: float) -> None:
    assert round_points(raw) == rounded
    assert math.copysign(1, round_points(-0.001)) == 1  # never -0.0


def test_points_are_rounded_half_up() -> None:
    assert points(spec(">=", 8, baseline=0, unit=None), LinearRule(), 0.1) == 0.13  # 0.125


ALL_RULES: list[tuple[IndicatorSpec, Rule, dict[str, float]]] = [
    (spec(), PassFailRule(), {}),
    (spec(baseline=60), LinearRule(), {}),
    (spec(), TIERS, {}),
    (spec(), ANCHOR, {}),
    (spec(), BenchmarkRule(benchmark_name="全省平均"), {"benchmark": 85.5}),
    (spec(), RankRule(per_rank=0.5), {}),
]


@pytest.mark.parametrize(("indicator", "rule", "extra"), ALL_RULES, ids=lambda x: getattr(x, "kind", ""))
@pytest.mark.parametrize("value", [93.25, 90, 89.99, 71.5])
def test_explanations_name_value_target_and_points(
    indicator: IndicatorSpec, rule: Rule, extra: dict[str, float], value: float
) -> None:
    outcome = score(indicator, rule, value, peers=[95, value, 60], **extra)
    reference = "85.5%" if rule.kind == "benchmark" else "" if rule.kind == "rank" else "90%"
    for text, unit in ((outcome.explain_zh, " 分"), (outcome.explain_en, " points")):
        assert f"{value:g}%" in text and reference in text
        assert f"{outcome.points:g}{unit}" in text, text
        assert "\n" not in text


@pytest.mark.parametrize(("indicator", "rule", "extra"), ALL_RULES, ids=lambda x: getattr(x, "kind", ""))
def test_score_all_agrees_with_score(indicator: IndicatorSpec, rule: Rule, extra: dict[str, float]) -> None:
    rng = random.Random(7)
    values = {unit: round(rng.uniform(50, 100), 1) if unit % 7 else None for unit in range(60)}
    batch = score_all(indicator, rule, values, missing="average", **extra)
    peers = list(values.values())
    for unit, value in values.items():
        assert batch[unit] == score(indicator, rule, value, peers=peers, missing="average", **extra)


def test_score_all_over_3000_units() -> None:
    rng = random.Random(1)
    values = {unit: (None if unit % 50 == 0 else round(rng.uniform(50, 100), 2)) for unit in range(3000)}
    for indicator, rule, extra in ALL_RULES:
        outcomes = score_all(indicator, rule, values, **extra)
        assert len(outcomes) == 3000 and all(isinstance(o, Outcome) for o in outcomes.values())
        assert all(0 <= o.points <= 10 for o in outcomes.values())


@pytest.mark.parametrize(("indicator", "rule", "extra"), ALL_RULES, ids=lambda x: getattr(x, "kind", ""))
def test_outcomes_equal_validated_ones(indicator: IndicatorSpec, rule: Rule, extra: dict[str, float]) -> None:
    # the engine builds outcomes without validating them again (see engine._new_outcome)
    for policy in ("zero", "skip", "average"):
        for outcome in score_all(indicator, rule, {1: 92.5, 2: None, 3: 70}, missing=policy, **extra).values():
            assert Outcome.model_validate(outcome.model_dump()) == outcome
            assert Outcome.model_validate_json(outcome.model_dump_json()) == outcome
            assert pickle.loads(pickle.dumps(outcome)) == outcome
            assert outcome.model_fields_set == set(Outcome.model_fields)


def test_outcomes_are_frozen_and_copy_safely() -> None:
    first, second = score_all(spec(), ANCHOR, {1: 92, 2: 95}).values()
    with pytest.raises(ValidationError):
        first.points = 3  # type: ignore[misc]
    changed = first.model_copy(update={"points": 1.0})
    assert (changed.points, first.points, second.points) == (1.0, 8, 10)
    assert changed.model_fields_set == first.model_fields_set == set(Outcome.model_fields)
    first.flags.append("mine")
    assert second.flags == ["capped"]  # every outcome has its own list


def test_rules_are_a_discriminated_union() -> None:
    rule = rule_adapter.validate_python({"kind": "anchor", "per_step_up": 1, "per_step_down": 0.5})
    assert isinstance(rule, AnchorRule) and rule.anchor_share == 0.6 and rule.cap is None
    assert rule_adapter.validate_json(rule_adapter.dump_json(TIERS)) == TIERS
    with pytest.raises(ValidationError):
        rule_adapter.validate_python({"kind": "pass_fail", "points": 3})  # extra="forbid"
    with pytest.raises(ValidationError):
        rule_adapter.validate_python({"kind": "bonus"})


def test_rule_schemas_document_themselves() -> None:
    schema = rule_adapter.json_schema()
    for name in ("PassFailRule", "LinearRule", "TiersRule", "AnchorRule", "BenchmarkRule", "RankRule"):
        model = schema["$defs"][name]
        assert "Example" in model["description"] and model["examples"]
        assert all("description" in field for key, field in model["properties"].items() if key != "kind")
        for example in model["examples"]:
            rule_adapter.validate_python(example)


def test_indicator_spec_validation() -> None:
    with pytest.raises(ValidationError):
        spec("range", 5, target_high=3)
    with pytest.raises(ValidationError):
        spec("range", 5)
    with pytest.raises(ValidationError):
        spec(weight=-1)
    with pytest.raises(ValidationError):
        spec(target=float("nan"))
