"""Working days on the official calendar: holidays, make-up working days, years the package does not know."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from luoshi.workdays import (
    WorkdayCalendar,
    add_workdays,
    generation,
    install,
    installed,
    is_official,
    is_workday,
    next_workday_on_or_after,
    workdays_between,
)


def test_national_day_week_is_not_working() -> None:
    assert not any(is_workday(date(2026, 10, day)) for day in range(1, 8))
    assert is_workday(date(2026, 10, 8))


def test_make_up_saturday_is_a_working_day() -> None:
    # 调休: Saturday 2026-10-10 and Saturday 2026-02-28 are working days
    assert date(2026, 10, 10).weekday() == 5 and is_workday(date(2026, 10, 10))
    assert date(2026, 2, 28).weekday() == 5 and is_workday(date(2026, 2, 28))
    assert not is_workday(date(2026, 10, 11))  # the Sunday after stays off


def test_ordinary_weekend_and_weekday() -> None:
    assert not is_workday(date(2026, 5, 30))
    assert is_workday(date(2026, 6, 1))


@pytest.mark.parametrize("d", [date(2040, 1, 2), date(2040, 1, 7), date(1999, 6, 5), date(2099, 12, 31)])
def test_years_outside_the_package_fall_back_to_monday_to_friday(d: date) -> None:
    assert is_workday(d) == (d.weekday() < 5)


def test_next_workday_on_or_after() -> None:
    assert next_workday_on_or_after(date(2026, 10, 1)) == date(2026, 10, 8)
    assert next_workday_on_or_after(date(2026, 10, 8)) == date(2026, 10, 8)
    assert next_workday_on_or_after(date(2022, 12, 31)) == date(2023, 1, 3)  # across New Year's holiday


def test_add_workdays() -> None:
    assert add_workdays(date(2026, 9, 30), 0) == date(2026, 9, 30)
    assert add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 3)  # 0 never moves, even off a holiday
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(date(2026, 10, 8), 2) == date(2026, 10, 10)  # the make-up Saturday counts
    assert add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert add_workdays(date(2026, 10, 4), 1) == date(2026, 10, 8)


def _brute_between(start: date, end: date) -> int:
    sign, (lo, hi) = (1, (start, end)) if start <= end else (-1, (end, start))
    return sign * sum(is_workday(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 9, 30), date(2026, 10, 8)),
        (date(2026, 10, 8), date(2026, 9, 30)),
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2022, 12, 30), date(2023, 1, 3)),
        (date(2015, 4, 9), date(2027, 3, 1)),  # spans years known and unknown to the package
        (date(2026, 10, 1), date(2026, 10, 9)),  # from a holiday
        (date(2026, 1, 1), date(2026, 1, 5)),  # from New Year's Day, over the make-up Sunday
    ],
)
def test_workdays_between_counts_the_half_open_interval(start: date, end: date) -> None:
    assert workdays_between(start, end) == _brute_between(start, end)


def test_workdays_between_examples() -> None:
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert workdays_between(date(2026, 10, 8), date(2026, 9, 30)) == -1
    assert workdays_between(date(2026, 10, 8), date(2026, 10, 8)) == 0
    assert workdays_between(date(2026, 10, 8), add_workdays(date(2026, 10, 8), 15)) == 15


def test_workdays_between_from_a_holiday_counts_the_working_days_after_it() -> None:
    # after National Day (1 October 2026, a holiday) come Thursday 8th and Friday 9th
    assert workdays_between(date(2026, 10, 1), date(2026, 10, 9)) == 2
    # after New Year's Day 2026: the 2nd and 3rd are off, Sunday the 4th is a make-up working day, then Monday
    assert workdays_between(date(2026, 1, 1), date(2026, 1, 5)) == 2


def test_a_calendar_from_rows_keeps_only_what_differs_from_monday_to_friday() -> None:
    rows = [
        (date(2026, 10, 1), False),  # Thursday, National Day: a holiday on a weekday
        (date(2026, 10, 10), True),  # Saturday, 调休: a working weekend day
        (date(2026, 10, 9), True),  # Friday, working as usual: nothing to note
        (date(2026, 10, 11), False),  # Sunday, off as usual: nothing to note
    ]
    calendar = WorkdayCalendar.from_rows(rows, [2026])
    assert calendar.days == {date(2026, 10, 1): False, date(2026, 10, 10): True}
    assert calendar.official_years == frozenset({2026})


def test_installing_a_calendar_answers_from_it_and_bumps_the_generation() -> None:
    official, before = installed(), generation()
    try:
        install(WorkdayCalendar.from_rows([(date(2030, 5, 1), False)], [2030]))
        assert generation() > before
        assert is_official(2030) and not is_official(2026)
        assert not is_workday(date(2030, 5, 1))
        bumped = generation()
        install(WorkdayCalendar())
        assert generation() > bumped
        assert not is_official(2030) and is_workday(date(2030, 5, 1))
    finally:
        install(official)
    assert is_official(2026) and not is_official(2027)  # the package's calendar: 2004–2026
