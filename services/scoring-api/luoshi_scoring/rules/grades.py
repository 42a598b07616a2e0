"""Grades (等次) and ranks (排名) of units' assessment totals.

Grades. A unit's score is its total as a percent of the most it could have earned, from 0 to 100
(`score_percent`). That way units with different indicators, or with skipped ones, compare fairly. The
score gets the highest band whose `min_score` it reaches. Reaching is ≥, to within 1e-9, so exactly 90 is
优秀 while 89.99 is 良好. The defaults are 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, and 不合格 below 60. A score
below every band gets the lowest band: with deductions a score can fall below 0, and it is then still
不合格.

Ranks. Totals are ranked highest first. Totals equal to within 1e-6 tie: totals are sums of 2-decimal
points, so floating-point noise is the only difference below that. The tie rule decides what a tie does:
- `shared`: tied units share the better place, in competition ranking (1, 2, 2, 4).
- `by_on_time_rate`: ties are broken by `tie_break`, such as each unit's on-time reporting rate (按时报送率),
  where higher is better. A unit absent from `tie_break` comes after those present. Units that tie again
  share their place.
- `by_id`: ties are broken by unit id, lowest first, so every place is distinct. The order is
  deterministic but has no meaning; use it only where places must be unique.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DEFAULT_GRADE_BANDS", "GradeBand", "TieRule", "grade", "rank", "score_percent"]

TieRule = Literal["shared", "by_on_time_rate", "by_id"]


class GradeBand(BaseModel):
    """A grade and the lowest score percent (0–100) that earns it."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [{"name": "优秀", "min_score": 90}]}
    )

    name: str = Field(description="The grade: 优秀, 良好, 合格, 不合格.")
    min_score: float = Field(description="The lowest score, as a percent of the maximum possible total, inclusive.")


DEFAULT_GRADE_BANDS: tuple[GradeBand, ...] = (
    GradeBand(name="优秀", min_score=90),
    GradeBand(name="良好", min_score=80),
    GradeBand(name="合格", min_score=60),
    GradeBand(name="不合格", min_score=0),
)


def score_percent(points: float, max_points: float) -> float:
    """A total as a percent of the maximum possible total. It is 0 when nothing could be earned (every
    indicator skipped). The result is not rounded, so that 89.995 is not graded as 90."""
    return points / max_points * 100 if max_points > 0 else 0.0


def grade(score_percent: float, bands: Sequence[GradeBand] = DEFAULT_GRADE_BANDS) -> str:
    """The name of the highest band the score reaches, or of the lowest band when it reaches none."""
    if not bands:
        raise ValueError("no grade bands")
    if math.isnan(score_percent):
        raise ValueError("the score is not a number")
    ordered = sorted(bands, key=lambda band: band.min_score, reverse=True)
    for band in ordered:
        if score_percent >= band.min_score - 1e-9:
            return band.name
    return ordered[-1].name


def rank(
    totals: Mapping[int, float],
    tie_rule: TieRule = "shared",
    tie_break: Mapping[int, float] | None = None,
) -> dict[int, int]:
    """Each unit's place (unit id → place, best first), ties settled by `tie_rule` (see the module doc)."""
    if any(math.isnan(total) for total in totals.values()):
        raise ValueError("a total is not a number")
    if tie_rule == "by_on_time_rate" and tie_break is None:
        raise ValueError("tie_rule by_on_time_rate needs tie_break values")

    breaks = tie_break if tie_rule == "by_on_time_rate" else None

    def key(unit: int) -> tuple[float, ...]:
        total = -round(totals[unit], 6)  # negated: sorted ascending, the highest total comes first
        if breaks is None:
            return (total,)
        second = breaks.get(unit)
        return (total, math.inf if second is None or math.isnan(second) else -round(second, 6))

    if tie_rule == "by_id":
        return {unit: place for place, unit in enumerate(sorted(totals, key=lambda u: (key(u), u)), 1)}
    places: dict[int, int] = {}
    previous: tuple[float, ...] | None = None
    place = 0
    for position, unit in enumerate(sorted(totals, key=lambda u: (key(u), u)), 1):
        current = key(unit)
        if current != previous:
            place, previous = position, current
        places[unit] = place
    return places
