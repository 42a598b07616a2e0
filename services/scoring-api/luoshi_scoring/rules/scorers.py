"""One scorer per rule kind: the rule's formula and its one-line explanation, in Chinese and English.

`FACTORIES[kind](context)` checks the rule against the indicator once, formats what does not vary, and
returns `scorer(value, head, place)`. That function runs once per unit, so it does only the arithmetic and the
string joins that depend on the value. `head` is the indicator's name and the value ("合格率 92%"), and
`place` is the value's place among peers, used by the rank rule. The formulas are documented on the rule
models (`luoshi_scoring.rules.models`) and in the engine's module docstring.

Numbers are shown with up to 10 significant digits and no trailing zeros (format ".10g"): 90, 89.99, 0.8.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from luoshi_scoring.rules.models import AnchorRule, BenchmarkRule, LinearRule, PassFailRule, RankRule, TiersRule

if TYPE_CHECKING:
    from luoshi_scoring.rules.engine import _Context

__all__ = ["EPS", "FACTORIES", "Place", "RuleError", "Scorer", "meets_test", "outside", "round_points", "settle"]

EPS = 1e-9  # numbers this close are equal: 89.99999999999999 meets 90


class RuleError(ValueError):
    """The rule cannot apply to this indicator (no baseline, no target, no peers, no direction); `zh` says so
    in Chinese for the problem's `detail_zh`."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def round_points(x: float) -> float:
    """Rounds points to 2 decimals, half away from zero (四舍五入): 2.675 → 2.68, 1.005 → 1.01, −2.675 → −2.68.
    Binary floats store 2.675 as 2.67499999…, so anything within 1e-9 of a half counts as the half."""
    r = math.floor(abs(x) * 100 + 0.5 + 1e-7) / 100
    return -r if x < 0 and r else r


def meets_test(goal: str, target: float, high: float | None) -> Callable[[float], bool]:
    """A test of whether a value meets the target, made once per indicator (it runs for every unit)."""
    if goal == ">=":
        return lambda v: v >= target - EPS
    if goal == ">":
        return lambda v: v > target + EPS
    if goal == "<=":
        return lambda v: v <= target + EPS
    if goal == "<":
        return lambda v: v < target - EPS
    if goal == "=":
        return lambda v: abs(v - target) <= EPS
    return lambda v: target - EPS <= v <= high + EPS  # range


def outside(v: float, low: float, high: float) -> float:
    """How far v lies outside [low, high]; 0 inside."""
    return low - v if v < low else v - high if v > high else 0.0


class Place(NamedTuple):
    """A value's place among its peers: 1 is the best, tied values share the better place."""

    rank: int
    tied: bool
    of: int  # how many units were ranked


Scored = tuple[float, list[str], str, str]  # points, flags, explain_zh, explain_en
Scorer = Callable[[float, str, Place | None], Scored]  # (value, "合格率 92%", place) -> Scored


def settle(raw: float, low: float, high: float) -> tuple[float, list[str]]:
    """The rule's raw result clamped to its bounds, flagged, and rounded."""
    if raw > high + EPS:
        return round_points(high), ["capped"]
    if raw < low - EPS:
        return round_points(low), ["floored"]
    return round_points(raw), []


# --- one factory per rule kind: checks the rule against the indicator, returns the per-value scorer ------------


def _pass_fail(c: _Context) -> Scorer:
    rule: PassFailRule = c.rule
    target, high, goal = c.indicator.target, c.indicator.target_high, c.goal
    full, _ = settle(c.max, 0, c.max)
    fail, fail_flags = settle(rule.fail_points, 0, c.max)
    met_zh, met_en = f" {c.met_zh}：达标得 {full:.10g} 分", f" meets target {c.goal_text}: {full:.10g} points"
    miss_zh, miss_en = (
        f"，未达到目标 {c.goal_text}：得 {fail:.10g} 分",
        f" misses target {c.goal_text}: {fail:.10g} points",
    )

    meets = meets_test(goal, target, high)

    def scorer(v: float, head: str, place: Place | None) -> Scored:
        if meets(v):
            return full, [], head + met_zh, head + met_en
        return fail, fail_flags.copy(), head + miss_zh, head + miss_en

    return scorer


def _linear(c: _Context) -> Scorer:
    rule: LinearRule = c.rule
    target, high, top = c.indicator.target, c.indicator.target_high, c.max
    baseline = rule.baseline if rule.baseline is not None else c.indicator.baseline
    if baseline is None:
        raise RuleError(
            "a linear rule needs a baseline (on the rule or the indicator)", "线性计分须有基线值（在规则或指标上设定）"
        )
    base_text, in_range = f"{baseline:.10g}{c.unit}", c.goal == "range"
    if in_range:
        reach = outside(baseline, target, high)  # as far from the range as the baseline earns 0 points
        if reach <= EPS:
            raise RuleError(
                "a linear rule's baseline must lie outside the target range", "线性计分的基线值须在目标区间之外"
            )
        rule_zh = f"目标区间 {c.goal_text} 内计 {c.max_text} 分，偏离至基线 {base_text} 计 0 分，按比例得 "
        rule_en = f": full {c.max_text} points within {c.goal_text}, 0 as far off as baseline {base_text}: "
    elif (baseline > target) != c.lower or abs(baseline - target) <= EPS:
        raise RuleError(
            "a linear rule's baseline must lie on the worse side of the target", "线性计分的基线值须比目标值差"
        )
    else:
        rule_zh = f"基线 {base_text} 计 0 分、目标 {c.target_text} 计 {c.max_text} 分，线性得 "
        rule_en = f": linear from baseline {base_text} (0) to target {c.target_text} ({c.max_text} points): "
    span = target - baseline

    def scorer(v: float, head: str, place: Place | None) -> Scored:
        share = 1 - outside(v, target, high) / reach if in_range else (v - baseline) / span
        points, flags = settle(top * share, 0, top)
        return points, flags, f"{head}：{rule_zh}{points:.10g} 分", f"{head}{rule_en}{points:.10g} points"

    return scorer


def _tiers(c: _Context) -> Scorer:
    rule: TiersRule = c.rule
    bands = []  # (low, high, points, flags, text_zh, text_en), the otherwise band last
    target_zh, target_en = (f"（目标 {c.goal_text}）", f" (target {c.goal_text})") if c.goal_text else (" ", "")
    for band in rule.bands:
        if band.min is not None and band.max is not None:
            label = f"{band.min:.10g}–{band.max:.10g}{c.unit}"
        else:
            label = f"≥ {band.min:.10g}{c.unit}" if band.max is None else f"≤ {band.max:.10g}{c.unit}"
        points, flags = settle(band.points, 0, c.max)
        over_zh, over_en = ("（档次分超过满分，按满分计）", " (capped at the weight)") if flags else ("", "")
        low = -math.inf if band.min is None else band.min - EPS
        high = math.inf if band.max is None else band.max + EPS
        text_zh, text_en = (
            f"{target_zh}属于「{label}」档：得 {points:.10g} 分{over_zh}",
            f"{target_en} is in band {label}: {points:.10g} points{over_en}",
        )
        bands.append((low, high, points, flags, text_zh, text_en))
    points, flags = settle(rule.otherwise_points, 0, c.max)
    bands.append(
        (
            -math.inf,
            math.inf,
            points,
            flags,
            f"{target_zh}不在任何档次：得 {points:.10g} 分",
            f"{target_en} is in no band: {points:.10g} points",
        )
    )

    def scorer(v: float, head: str, place: Place | None) -> Scored:
        for low, high, points, flags, text_zh, text_en in bands:
            if low <= v <= high:
                return points, flags.copy(), head + text_zh, head + text_en
        raise AssertionError("the otherwise band fits every value")

    return scorer


def _anchor(c: _Context) -> Scorer:
    rule: AnchorRule = c.rule
    target, high = c.indicator.target, c.indicator.target_high
    goal = ">=" if c.goal == "=" else c.goal  # going past an exact target is not penalised
    cap, floor = (rule.cap if rule.cap is not None else c.max), rule.floor
    if floor > cap:
        raise RuleError(
            "an anchor rule's floor is above its cap (the weight when cap is not set)",
            "达标加减分规则的下限高于上限（未设上限时为权重）",
        )
    anchor, step, up, down = rule.anchor_share * c.max, rule.step, rule.per_step_up, rule.per_step_down
    whole, in_range, meets = rule.step_counting == "whole", goal == "range", meets_test(goal, target, high)
    better_zh, worse_zh, better_en, worse_en = (
        ("低于", "高于", "below", "above") if c.lower else ("超出", "低于", "above", "below")
    )
    if in_range:
        worse_zh, worse_en = "偏离区间", "outside the range"
    a, step_zh, step_en = f"{round_points(anchor):.10g}", c.step_zh, c.step_en
    # "合格率 92% ≥ 目标 90%：达标得 6 分，超出 2 个百分点 × 1 分 = 8 分（上限 10 分）", in parts
    met_zh, met_en = f" {c.met_zh}：达标得 {a} 分", f" meets target {c.goal_text}: {a} points"
    up_zh, up_en = f"{met_zh}，{better_zh} ", f"{met_en}, {better_en} by "
    per_up_zh, per_up_en = f" × {up:.10g} 分 = ", f" × {up:.10g} = "
    down_zh = f" 未达到目标 {c.goal_text}：达标分 {a} 分，{worse_zh} "
    down_en = f" misses target {c.goal_text}: {a} points, {worse_en} by "
    per_down_zh, per_down_en = f" × {down:.10g} 分 = ", f" × {down:.10g} = "
    cap_zh, cap_en = f"（上限 {cap:.10g} 分）", f" (cap {cap:.10g})"
    floor_zh, floor_en = f"（下限 {floor:.10g} 分）", f" (floor {floor:.10g})"

    def counted(gap: float, steps: float) -> tuple[str, str]:
        """How a gap counts in steps, when that is not simply "2 个百分点" at one step per unit."""
        if abs(steps - gap) <= EPS:
            return "", ""
        if step == 1:
            return f"，按 {steps:.10g} 档", f", counted as {steps:.10g} step(s)"
        return f"，按每 {step:.10g}{step_zh}一档计 {steps:.10g} 档", f", {steps:.10g} step(s) of {step:.10g}"

    def scorer(v: float, head: str, place: Place | None) -> Scored:
        met = meets(v)
        if met:
            gap = abs(v - target)
            steps = 0.0 if in_range else float(math.floor(gap / step + EPS)) if whole else gap / step
            raw = anchor + up * steps
        else:
            gap = outside(v, target, high) if in_range else abs(v - target)
            steps = float(max(1, math.ceil(gap / step - EPS))) if whole else gap / step
            raw = anchor - down * steps
        points, flags = settle(raw, floor, cap)
        if not flags:
            end_zh, end_en = (cap_zh, cap_en) if met else (floor_zh, floor_en)
        elif flags[0] == "capped":
            end_zh, end_en = f"，按上限计 {points:.10g} 分", f", capped at {points:.10g} points"
        else:
            end_zh, end_en = f"，按下限计 {points:.10g} 分", f", floored at {points:.10g} points"
        if met and not steps:
            return points, flags, f"{head}{met_zh}{end_zh}", f"{head}{met_en}{end_en}"
        total, gap_text = f"{round_points(raw) if flags else points:.10g}", f"{gap:.10g}"
        count_zh, count_en = counted(gap, steps)
        lead_zh, lead_en, per_zh, per_en = (
            (up_zh, up_en, per_up_zh, per_up_en) if met else (down_zh, down_en, per_down_zh, per_down_en)
        )
        return (
            points,
            flags,
            f"{head}{lead_zh}{gap_text}{step_zh}{count_zh}{per_zh}{total} 分{end_zh}",
            f"{head}{lead_en}{gap_text}{step_en}{count_en}{per_en}{total} points{end_en}",
        )

    return scorer


def _benchmark(c: _Context) -> Scorer:
    rule: BenchmarkRule = c.rule
    bench, lower, top = c.benchmark, c.lower, c.max
    sym, worse_zh, worse_en = ("≤", "高于", "above") if lower else ("≥", "低于", "below")
    against = f"{c.benchmark_name} {bench:.10g}{c.unit}"
    full, _ = settle(top, 0, top)
    met_zh, met_en = f" {sym} {against}：得满分 {full:.10g} 分", f" {sym} {against}: full {full:.10g} points"
    below_zh, below_en = f" {worse_zh}{against}：", f" {worse_en} {against}: "
    fixed = None if rule.below_points is None else settle(rule.below_points, 0, top)
    scale = f"{top:.10g} × (1 − "

    def scorer(v: float, head: str, place: Place | None) -> Scored:
        gap = v - bench if lower else bench - v  # how far on the worse side
        if gap <= EPS:
            return full, [], head + met_zh, head + met_en
        if fixed is not None:
            return (
                fixed[0],
                fixed[1].copy(),
                f"{head}{below_zh}得 {fixed[0]:.10g} 分",
                f"{head}{below_en}{fixed[0]:.10g} points",
            )
        points, flags = settle(0.0 if bench == 0 else top * (1 - gap / abs(bench)), 0, top)
        formula = f"{scale}{gap:.10g} ÷ {abs(bench):.10g}) = {points:.10g}"
        return points, flags, f"{head}{below_zh}{formula} 分", f"{head}{below_en}{formula} points"

    return scorer


def _rank(c: _Context) -> Scorer:
    rule: RankRule = c.rule
    table, per_rank, top = rule.points_by_rank, rule.per_rank, c.max
    by_place: dict[Place, tuple[float, list[str], str, str]] = {}  # all that follows from the place

    def after_head(place: Place) -> tuple[float, list[str], str, str]:
        rank, tied, of = place
        raw = top - per_rank * (rank - 1) if table is None else table[rank - 1] if rank <= len(table) else 0.0
        points, flags = settle(raw, 0, top)
        zh = f" 在 {of} 个单位中排第 {rank} 名{'（并列）' if tied else ''}："
        en = f" ranks {rank} of {of}{' (tied)' if tied else ''}: "
        if table is None:
            formula = f"{c.max_text} − {per_rank:.10g} × {rank - 1} = {points:.10g}"
            return points, flags, f"{zh}{formula} 分", f"{en}{formula} points"
        listed = "按名次表" if rank <= len(table) else "名次表外"
        return points, flags, f"{zh}{listed}得 {points:.10g} 分", f"{en}{points:.10g} points"

    def scorer(v: float, head: str, place: Place | None) -> Scored:
        known = by_place.get(place)
        if known is None:
            known = by_place[place] = after_head(place)
        points, flags, zh, en = known
        return points, flags.copy(), head + zh, head + en

    return scorer


FACTORIES: dict[str, Callable[[_Context], Scorer]] = {
    "pass_fail": _pass_fail,
    "linear": _linear,
    "tiers": _tiers,
    "anchor": _anchor,
    "benchmark": _benchmark,
    "rank": _rank,
}
