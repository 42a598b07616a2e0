"""Scoring rules for the yearly assessment (考核评价): how indicator values become points, and points grades
and ranks. Pure functions on pydantic models; no I/O.

- `models`: the rules (`Rule`: pass_fail, linear, tiers, anchor, benchmark, rank), with worked examples.
- `engine`: `score` one value or `score_all` units' values of an indicator into explained `Outcome`s.
- `grades`: grade bands (优秀/良好/合格/不合格) and ranking of totals with tie rules.
"""

from luoshi_scoring.rules.engine import (
    Comparator,
    IndicatorSpec,
    MissingPolicy,
    Outcome,
    RuleError,
    check_rule,
    render,
    round_points,
    score,
    score_all,
)
from luoshi_scoring.rules.grades import DEFAULT_GRADE_BANDS, GradeBand, TieRule, grade, rank, score_percent
from luoshi_scoring.rules.models import (
    AnchorRule,
    BenchmarkRule,
    LinearRule,
    PassFailRule,
    RankRule,
    Rule,
    TierBand,
    TiersRule,
    rule_adapter,
)

__all__ = [
    "DEFAULT_GRADE_BANDS",
    "AnchorRule",
    "BenchmarkRule",
    "Comparator",
    "GradeBand",
    "IndicatorSpec",
    "LinearRule",
    "MissingPolicy",
    "Outcome",
    "PassFailRule",
    "RankRule",
    "Rule",
    "RuleError",
    "TieRule",
    "TierBand",
    "TiersRule",
    "check_rule",
    "grade",
    "rank",
    "render",
    "round_points",
    "rule_adapter",
    "score",
    "score_all",
    "score_percent",
]
