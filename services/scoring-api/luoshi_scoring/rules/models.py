"""How an indicator's value becomes points: the scoring rules an office picks for each indicator (计分规则).

A rule says only how points are earned. The maximum points come from the indicator's weight at scoring time
(`IndicatorSpec.weight`), so one rule can serve indicators of different weights. `Rule` is a union
discriminated on `kind`; store it as JSON and read it back with `rule_adapter.validate_python(row)`.

Direction. Every rule has `lower_is_better`. Leave it None and the indicator's comparator decides: ≤ and <
mean lower is better (事故率 ≤ 1%), while ≥, > and = mean higher is better. Set it to override a comparator
that does not say what the office means. An overridden comparator keeps its strictness: > becomes <, and =
becomes ≤ (or ≥). A range (3%–5%) keeps its range.

The worked examples use indicators that plans state (合格率达到90%以上, 投资强度 ≥ 2600 万元/公顷, 增速 ≥ 全省
平均). "Weight 10" is the indicator's weight, and so the rule's maximum points.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

__all__ = [
    "AnchorRule",
    "BenchmarkRule",
    "LinearRule",
    "PassFailRule",
    "RankRule",
    "Rule",
    "TierBand",
    "TiersRule",
    "rule_adapter",
]


def _lower_is_better() -> Any:  # a FieldInfo, typed as pydantic types Field
    return Field(
        default=None,
        description="True when a smaller value is better. None: taken from the indicator's comparator (≤ and < "
        "mean lower is better).",
    )


class _RuleBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class PassFailRule(_RuleBase):
    """Pass or fail (达标得分): full points when the value meets the target by the indicator's comparator,
    else `fail_points` (0 unless set).

    Example: "产品标准覆盖率达到100%" (= 100 %), weight 5. A coverage of 100 % earns 5 points. A coverage of
    98 % earns 0 points, or 2 points with `fail_points: 2`. "获省级名牌等称号的企业 ≥ 10 家": 10 家 earns
    5 points and 9 家 earns 0 points. With the = comparator only the exact value passes (to within 1e-9).
    """

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "pass_fail"}, {"kind": "pass_fail", "fail_points": 2}]}
    )

    kind: Literal["pass_fail"] = Field(default="pass_fail", description="The rule: pass or fail.")
    fail_points: float = Field(default=0, ge=0, description="Points when the target is missed; at most the weight.")
    lower_is_better: bool | None = _lower_is_better()


class LinearRule(_RuleBase):
    """Linear between a baseline and the target (线性计分). The baseline earns 0 points and the target earns
    full points. Points grow in proportion in between and are clamped to [0, weight]. The baseline must lie
    on the worse side of the target.

    points = weight × (value − baseline) ÷ (target − baseline), clamped to [0, weight]

    The formula is the same whether higher or lower is better. A lower-is-better baseline lies above the
    target. Reaching the target counts, even under a strict comparator (> or <).

    Example: "单位土地面积平均投资强度 ≥ 2600 万元/公顷", baseline 2000, weight 10. A value of 2450 earns
    10 × 450 ÷ 600 = 7.5 points. A value of 2700 earns 10 (capped), and 1900 earns 0. For lower is better,
    take "万元工业产值能耗 ≤ 0.5 吨标准煤", baseline 0.7: a value of 0.6 earns 10 × 0.1 ÷ 0.2 = 5 points.

    A range (3%–5%) earns full points inside the range. Outside it, points fall in proportion to the distance
    from the range, reaching 0 at the baseline's distance. Take "增速保持在 8%–12%", baseline 2: a value of
    5 % is 3 from the range, and the baseline is 6 from it, so it earns 10 × (1 − 3 ÷ 6) = 5 points.
    """

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "linear"}, {"kind": "linear", "baseline": 2000}]}
    )

    kind: Literal["linear"] = Field(default="linear", description="The rule: linear from baseline to target.")
    baseline: float | None = Field(
        default=None, description="The value that earns 0 points. None: the indicator's baseline."
    )
    lower_is_better: bool | None = _lower_is_better()


class TierBand(BaseModel):
    """One band (档次): values within [min, max] earn `points`. Give `min` (≥ 90), `max` (≤ 1 for lower is
    better) or both (a window, 3–5)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        json_schema_extra={"examples": [{"min": 90, "points": 10}, {"max": 1, "points": 10}]},
    )

    min: float | None = Field(default=None, description="The lowest value in the band, inclusive.")
    max: float | None = Field(default=None, description="The highest value in the band, inclusive.")
    points: float = Field(ge=0, description="Points for a value in the band; more than the weight is capped.")

    @model_validator(mode="after")
    def _bounded(self) -> TierBand:
        if self.min is None and self.max is None:
            raise ValueError("a band needs min, max or both (use otherwise_points for the rest)")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("a band's min is above its max")
        return self


class TiersRule(_RuleBase):
    """Bands (分档计分): the first band that fits the value gives the points, and a value that fits no band
    earns `otherwise_points`. Bands are listed best first, so their points must never rise down the list.
    Bounds are inclusive. The bounds themselves say which direction is better, so `lower_is_better` does not
    change the banding.

    Example: "主导产品顾客满意率 ≥ 90%", weight 10, with bands [{min 90: 10}, {min 80: 6}, {min 70: 3}]. A
    rate of 90 % earns 10 points, 89.99 % earns 6, and 65 % earns 0. For lower is better, take
    "质量安全事故发生率 ≤ 1‰" with bands [{max 1: 10}, {max 2: 5}]: a rate of 1.5‰ earns 5 points.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "tiers",
                    "bands": [{"min": 90, "points": 10}, {"min": 80, "points": 6}, {"min": 70, "points": 3}],
                }
            ]
        }
    )

    kind: Literal["tiers"] = Field(default="tiers", description="The rule: points by band.")
    bands: list[TierBand] = Field(min_length=1, description="Bands, best first; the first that fits applies.")
    otherwise_points: float = Field(default=0, ge=0, description="Points for a value that fits no band.")
    lower_is_better: bool | None = _lower_is_better()

    @model_validator(mode="after")
    def _best_first(self) -> TiersRule:
        if any(later.points > earlier.points for earlier, later in pairwise(self.bands)):
            raise ValueError("bands are listed best first: points must not rise down the list")
        return self


class AnchorRule(_RuleBase):
    """Base points plus steps (基础分加减分), the common government rule. Reaching the target earns
    `anchor_share` of the weight. Each `step` better than the target adds `per_step_up` points, and each
    step worse takes off `per_step_down`. Better means above, or below when lower is better (事故率 ≤ 1%).
    The result stays within [floor, cap], where cap defaults to the weight and floor to 0.

    points = anchor_share × weight + per_step_up × steps_better − per_step_down × steps_worse,
    clamped to [floor, cap]

    Counting `whole` steps (the default): only a full step better counts (不足一档不加分). Any shortfall
    counts as at least one step below, so a value just short of the target never earns the anchor points.
    Counting `pro_rata` steps, the fractions count too (按比例). A range earns the anchor points inside the
    range and loses steps by the distance outside it; it has no steps better. An = comparator reads as ≥
    here, so going past an exact target is never penalised.

    Example: "主导产品监督抽查合格率达90%以上", weight 10, anchor_share 0.6, step 1 (percentage point),
    1 point up and 1 point down:
      92 %    → 6 + 2 × 1 = 8 points;
      95 %    → 6 + 5 = 11, capped at 10 points;
      89.99 % → 6 − 1 = 5 points (a shortfall of 0.01 is one whole step);
      80 %    → 6 − 10 = −4, floored at 0 points.
    For a count, take "获省级名牌企业 ≥ 10 家" with step 1 (家) and 0.5 up: 13 家 earns 6 + 1.5 = 7.5.
    A cap above the weight lets the rule award bonus points (加分), and a negative floor lets it deduct
    below zero (倒扣).
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "anchor", "anchor_share": 0.6, "step": 1, "per_step_up": 1, "per_step_down": 1}]
        }
    )

    kind: Literal["anchor"] = Field(default="anchor", description="The rule: anchor points plus or minus steps.")
    anchor_share: float = Field(default=0.6, ge=0, le=1, description="Share of the weight earned at the target.")
    step: float = Field(default=1, gt=0, description="Size of one step, in the indicator's unit (1 = 1 个百分点).")
    per_step_up: float = Field(ge=0, description="Points added for each step better than the target.")
    per_step_down: float = Field(ge=0, description="Points taken off for each step worse than the target.")
    step_counting: Literal["whole", "pro_rata"] = Field(
        default="whole", description="whole: only full steps up, any shortfall as a full step; pro_rata: fractions."
    )
    floor: float = Field(default=0, description="The fewest points; negative to deduct below zero.")
    cap: float | None = Field(default=None, description="The most points. None: the weight.")
    lower_is_better: bool | None = _lower_is_better()

    @model_validator(mode="after")
    def _floor_below_cap(self) -> AnchorRule:
        if self.cap is not None and self.floor > self.cap:
            raise ValueError("floor is above cap")
        return self


class BenchmarkRule(_RuleBase):
    """Against a benchmark for the period, such as the provincial average (对标全省平均). A value at or
    better than the benchmark earns full points. Below it, points fall in proportion to the gap, taken as a
    share of the benchmark's size. With `below_points` set, a value below the benchmark earns that fixed
    amount instead.

    points = weight × (1 − gap ÷ |benchmark|), clamped to [0, weight]

    The gap is how far the value lies on the worse side of the benchmark. With higher is better and both
    numbers positive, this is weight × value ÷ benchmark. Unlike that ratio, it stays meaningful for growth
    rates below zero. A benchmark of 0 gives 0 points to any value below it. A missing benchmark flags the
    outcome `benchmark_missing` and scores it under the missing policy. The comparator's strictness is
    ignored: equal to the benchmark is full points.

    Example: "营业收入增速 ≥ 全省产业集聚区平均增速", weight 8. With the benchmark at 10 %, a growth of
    12 % earns 8 points and 7.5 % earns 8 × (1 − 2.5 ÷ 10) = 6. With the benchmark at −2 %, a growth of
    −3 % earns 8 × (1 − 1 ÷ 2) = 4. For lower is better, take "万元工业产值能耗 ≤ 全省平均" with the
    benchmark at 0.8: a value of 1.0 earns 8 × (1 − 0.2 ÷ 0.8) = 6 points.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "benchmark", "benchmark_name": "全省平均"},
                {"kind": "benchmark", "below_points": 3},
            ]
        }
    )

    kind: Literal["benchmark"] = Field(default="benchmark", description="The rule: against a benchmark value.")
    below_points: float | None = Field(
        default=None, ge=0, description="Fixed points below the benchmark. None: in proportion to the gap."
    )
    benchmark_name: str | None = Field(
        default=None, description="The benchmark as the plan words it (全省平均), for explanations. None: 基准."
    )
    lower_is_better: bool | None = _lower_is_better()


class RankRule(_RuleBase):
    """By rank among peers (排名计分), which are all the units reporting the indicator. First place earns
    full points, and each place below takes off `per_rank`, never below 0. Alternatively, `points_by_rank`
    gives the points place by place (1st, 2nd, …), and places past its end earn 0. Give one of the two.

    points = weight − per_rank × (rank − 1), clamped to [0, weight]

    Ties share the better place, in competition ranking (1, 2, 2, 4); equal values tie.
    Units with no value are not ranked. A range indicator needs `lower_is_better` set, because a range
    gives no order.

    Example: "单位土地面积平均产出" ranked over four counties, weight 10, per_rank 1. Values of 4000, 3800,
    3800 and 3500 earn 10, 9, 9 and 7 points. With points_by_rank [10, 8, 6], they earn 10, 8, 8 and 0.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "rank", "per_rank": 1}, {"kind": "rank", "points_by_rank": [10, 8, 6]}]
        }
    )

    kind: Literal["rank"] = Field(default="rank", description="The rule: points by rank among peers.")
    per_rank: float | None = Field(default=None, ge=0, description="Points taken off for each place below 1st.")
    points_by_rank: list[float] | None = Field(
        default=None, min_length=1, description="Points for 1st, 2nd, …; later places earn 0."
    )
    lower_is_better: bool | None = _lower_is_better()

    @model_validator(mode="after")
    def _one_scale(self) -> RankRule:
        if (self.per_rank is None) == (self.points_by_rank is None):
            raise ValueError("give exactly one of per_rank and points_by_rank")
        table = self.points_by_rank or []
        if any(p < 0 for p in table):
            raise ValueError("points_by_rank must not be negative")
        if any(later > earlier for earlier, later in pairwise(table)):
            raise ValueError("points_by_rank must not rise with the place")
        return self


Rule = Annotated[
    PassFailRule | LinearRule | TiersRule | AnchorRule | BenchmarkRule | RankRule, Field(discriminator="kind")
]
rule_adapter: TypeAdapter[Rule] = TypeAdapter(Rule)
"""Validates and dumps a `Rule` stored as JSON."""
