"""Grades at their band edges and ranks with each tie rule."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from luoshi_scoring.rules import DEFAULT_GRADE_BANDS, GradeBand, grade, rank, score_percent


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (100, "优秀"),
        (90, "优秀"),  # exactly at the edge
        (90 - 1e-12, "优秀"),  # float noise at the edge
        (89.99, "良好"),
        (80, "良好"),
        (79.99, "合格"),
        (60, "合格"),
        (59.99, "不合格"),
        (0, "不合格"),
        (-5, "不合格"),  # deductions below zero still get the lowest grade
    ],
)
def test_default_bands(percent: float, expected: str) -> None:
    assert grade(percent) == expected
    assert grade(percent, DEFAULT_GRADE_BANDS) == expected


def test_custom_bands_in_any_order() -> None:
    bands = [GradeBand(name="达标", min_score=60), GradeBand(name="先进", min_score=85)]
    assert [grade(p, bands) for p in (85, 84.99, 60, 10)] == ["先进", "达标", "达标", "达标"]


def test_grade_rejects_no_bands_and_nan() -> None:
    with pytest.raises(ValueError, match="no grade bands"):
        grade(90, [])
    with pytest.raises(ValueError, match="not a number"):
        grade(float("nan"))
    with pytest.raises(ValidationError):
        GradeBand(name="优秀", min_score=90, max_score=100)


def test_score_percent() -> None:
    assert score_percent(27, 30) == pytest.approx(90) and grade(score_percent(27, 30)) == "优秀"
    assert grade(score_percent(89.995, 100)) == "良好"  # not rounded up before grading
    assert score_percent(5, 0) == 0  # every indicator skipped


def test_rank_shared_is_competition_ranking() -> None:
    assert rank({1: 90, 2: 85, 3: 85, 4: 70}) == {1: 1, 2: 2, 3: 2, 4: 4}
    assert rank({7: 0.1 + 0.2, 8: 0.3, 9: 0.29}) == {7: 1, 8: 1, 9: 3}  # float noise ties
    assert rank({}) == {}


def test_rank_by_on_time_rate() -> None:
    totals = {1: 85, 2: 85, 3: 85, 4: 90, 5: 85}
    on_time = {1: 0.8, 2: 0.95, 3: 0.8, 4: 0.1}  # unit 5 has no rate: after those with one
    assert rank(totals, "by_on_time_rate", on_time) == {4: 1, 2: 2, 1: 3, 3: 3, 5: 5}
    with pytest.raises(ValueError, match="tie_break"):
        rank(totals, "by_on_time_rate")


def test_rank_by_id_gives_distinct_places() -> None:
    assert rank({9: 85, 3: 85, 5: 90, 4: 70}, "by_id") == {5: 1, 3: 2, 9: 3, 4: 4}


def test_rank_ignores_tie_break_under_shared() -> None:
    assert rank({1: 85, 2: 85}, "shared", {1: 1.0, 2: 0.0}) == {1: 1, 2: 1}


def test_rank_rejects_nan() -> None:
    with pytest.raises(ValueError, match="not a number"):
        rank({1: float("nan")})


def test_score_percent_of_a_maximum_below_one_point() -> None:
    # an assessment of one indicator of weight 0.5 still has a maximum to be a percent of
    assert score_percent(0.5, 0.5) == 100
    assert score_percent(0.25, 0.5) == 50


def test_a_score_exactly_1e_9_short_of_a_band_still_reaches_it() -> None:
    assert grade(90 - 1e-9) == "优秀"


def test_errors_say_exactly_what_is_wrong() -> None:
    for call, says in (
        (lambda: grade(90, []), "no grade bands"),
        (lambda: grade(float("nan")), "the score is not a number"),
        (lambda: rank({1: float("nan")}), "a total is not a number"),
        (lambda: rank({1: 85}, "by_on_time_rate"), "tie_rule by_on_time_rate needs tie_break values"),
    ):
        with pytest.raises(ValueError) as raised:
            call()
        assert str(raised.value) == says


def test_totals_and_tie_breaks_within_a_millionth_tie() -> None:
    # sums of 2-decimal points differ below 1e-6 only by float noise
    assert rank({1: 85.0000004, 2: 85.0}) == {1: 1, 2: 1}
    assert rank({1: 85, 2: 85}, "by_on_time_rate", {1: 0.9500004, 2: 0.95}) == {1: 1, 2: 1}
