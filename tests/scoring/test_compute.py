"""An assessment's arithmetic on its own: totals, ranks and grades, adjustments with caps, task performance,
and stored lines that read back with exactly the words they were computed with."""

from __future__ import annotations

import itertools
import random

from luoshi_scoring.rules import DEFAULT_GRADE_BANDS, IndicatorSpec, rule_adapter, score_all
from luoshi_scoring.service.compute import Inputs, ScoredIndicator, compute, expand

RULES = [
    {"kind": "anchor", "anchor_share": 0.6, "step": 1, "per_step_up": 1, "per_step_down": 1},
    {"kind": "linear"},
    {"kind": "pass_fail"},
    {"kind": "tiers", "bands": [{"min": 95, "points": 10}, {"min": 90, "points": 8}, {"min": 80, "points": 5}]},
    {"kind": "rank", "per_rank": 1},
    {"kind": "benchmark"},
]


def make_inputs(units: int = 40, policy: str = "zero") -> tuple[Inputs, dict]:
    rng = random.Random(3)
    unit_ids = list(range(1, units + 1))
    indicators, values, snapshot_indicators = [], {}, []
    for i, rule in enumerate(RULES, 1):
        spec = IndicatorSpec(id=i, name=f"指标{i}", unit="%", comparator=">=", target=90, baseline=60, weight=10)
        indicators.append(ScoredIndicator(spec=spec, rule=rule_adapter.validate_python(rule)))
        # every fifth unit has not reported
        values[i] = {u: round(rng.uniform(60, 100), 1) for u in unit_ids if u % 5}
        snapshot_indicators.append({**spec.model_dump(), "rule": rule})
    inputs = Inputs(
        indicators=indicators,
        values=values,
        benchmarks={6: 85.0},
        performance={1: {"on_time_completion_rate": 0.5, "overdue": 3}, 2: {"on_time_completion_rate": 1.0}},
        performance_items=[
            {"metric": "on_time_completion_rate", "points": 10},
            {"metric": "overdue", "points": 5, "per_item": 2},
        ],
        adjustments=[
            {"unit_id": 1, "item": "通报批评", "kind": "deduction", "points": 2, "cap": 3, "evidence": "a"},
            {"unit_id": 1, "item": "通报批评", "kind": "deduction", "points": 2, "cap": 3, "evidence": "b"},
            {"unit_id": 2, "item": "新获中国名牌", "kind": "bonus", "points": 5, "cap": None},
        ],
        unit_ids=unit_ids,
        missing_policy=policy,
        grade_bands=list(DEFAULT_GRADE_BANDS),
    )
    snapshot = {
        "indicators": snapshot_indicators,
        "benchmarks": {"6": 85.0},
        "scheme": {"config": {"missing_policy": policy}},
    }
    return inputs, snapshot


def test_totals_ranks_grades_and_adjustments():
    inputs, snapshot = make_inputs()
    rows = {r["unit_id"]: {**r, "lines": expand(r["lines"], snapshot)} for r in compute(inputs)}
    for r in rows.values():
        assert r["total"] == round(sum(line["points"] for line in r["lines"]), 2)
        # indicators plus performance; bonuses are not in the maximum; a completion rate with nothing to measure
        # (units 3 and up have no task performance) is not applicable and left out of it
        rate = 10 if r["unit_id"] in (1, 2) else 0
        assert r["max_total"] == 6 * 10 + rate + 5
    one = {line["ref"]: line for line in rows[1]["lines"]}
    assert one["on_time_completion_rate"]["points"] == 5 and one["overdue"]["points"] == 0  # 5 − 3×2, floored
    assert one["通报批评"]["points"] == -3 and one["通报批评"]["flags"] == ["capped"]  # 2 × 2 capped at 3
    assert {line["ref"]: line for line in rows[2]["lines"]}["新获中国名牌"]["points"] == 5
    assert one["on_time_completion_rate"]["explain_zh"].startswith("任务按时完成率 50.0%")
    ordered = sorted(rows.values(), key=lambda r: r["rank"])
    # maxima differ (a metric not applicable to some): ranked by the share of the maximum earned
    assert all(a["total"] / a["max_total"] >= b["total"] / b["max_total"] for a, b in itertools.pairwise(ordered))
    na = {line["ref"]: line for line in rows[3]["lines"]}["on_time_completion_rate"]
    assert (na["points"], na["max_points"], na["flags"]) == (0, 0, ["not_applicable"])
    assert ordered[0]["rank"] == 1
    missing = next(line for line in rows[5]["lines"] if line["ref"] == "1")
    assert missing["points"] == 0 and "value_missing" in missing["flags"]


def test_equal_totals_share_a_rank():
    inputs, _ = make_inputs(units=4)
    inputs.indicators = inputs.indicators[:1]
    inputs.values = {1: {1: 92.0, 2: 92.0, 3: 80.0, 4: 94.0}}  # anchor: 8, 8, floored 0, 10
    inputs.performance, inputs.performance_items, inputs.adjustments = {}, [], []
    ranks = {r["unit_id"]: r["rank"] for r in compute(inputs)}
    assert ranks == {4: 1, 1: 2, 2: 2, 3: 4}


def test_stored_lines_read_back_with_the_same_words():
    for policy in ("zero", "skip", "average"):
        inputs, snapshot = make_inputs(policy=policy)
        expected = {}  # (unit, indicator ref) -> the engine's own outcome, worded when it was computed
        for scored in inputs.indicators:
            values = {u: inputs.values[scored.spec.id].get(u) for u in inputs.unit_ids}
            for unit_id, o in score_all(
                scored.spec, scored.rule, values, benchmark=inputs.benchmarks.get(scored.spec.id), missing=policy
            ).items():
                expected[unit_id, str(scored.spec.id)] = o
        unworded = 0
        for row in compute(inputs):
            unworded += sum(isinstance(line, list) for line in row["lines"])
            for line in expand(row["lines"], snapshot):
                if line["kind"] != "indicator":
                    continue
                o = expected[row["unit_id"], line["ref"]]
                assert (line["points"], line["flags"], line["explain_zh"], line["explain_en"]) == (
                    o.points,
                    o.flags,
                    o.explain_zh,
                    o.explain_en,
                )
        assert unworded > 100  # most lines were stored as numbers only


def test_overdue_carried_over_from_earlier_years_counts_unless_the_scheme_ignores_it():
    """Issue 17: a task overdue since last year gave this year's score full marks. tasks-api reports it as
    `overdue_carried_over`; a scheme counts it with `overdue` (the default) or says `carried_over: ignore`."""
    inputs, snapshot = make_inputs(units=2)
    inputs.indicators, inputs.values, inputs.adjustments = [], {}, []
    inputs.performance = {
        1: {"overdue": 0, "overdue_carried_over": 2},
        2: {"overdue": 1, "overdue_carried_over": 0},
    }
    item = {"metric": "overdue", "points": 5, "per_item": 2}
    for option, expected in (
        ({}, {1: 1, 2: 3}),
        ({"carried_over": "count"}, {1: 1, 2: 3}),
        ({"carried_over": "ignore"}, {1: 5, 2: 3}),
    ):
        inputs.performance_items = [{**item, **option}]
        rows = {r["unit_id"]: expand(r["lines"], snapshot) for r in compute(inputs)}
        got = {u: next(line for line in lines if line["ref"] == "overdue") for u, lines in rows.items()}
        assert {u: line["points"] for u, line in got.items()} == expected, option
    inputs.performance_items = [item]
    line = next(ln for r in compute(inputs) if r["unit_id"] == 1 for ln in expand(r["lines"], snapshot))
    assert line["explain_zh"] == "逾期任务 2 项（含往年结转 2 项），每项扣 2 分：5 − 4 = 1 分"
    assert line["value"] == 2


def test_a_scheme_counts_carried_over_overdue_tasks_by_default():
    from luoshi_scoring.schemas.assessments import SchemeConfig, SchemeUpdate

    assert SchemeConfig().carried_over == "count"
    assert SchemeConfig(carried_over="ignore").carried_over == "ignore"
    assert SchemeUpdate(carried_over="ignore").model_dump(exclude_unset=True) == {"carried_over": "ignore"}
