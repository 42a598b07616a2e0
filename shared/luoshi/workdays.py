"""Working days (工作日) on the official PRC holiday calendar, make-up working days (调休) included.

The calendar itself is data, owned by tasks-api (`tasks.workday`, edited through `/v1/calendar`): each year the
State Council publishes next year's holidays and 调休 days, and an office loads them the day they are published.
This module only answers questions about whatever calendar the process has *installed*:

* tasks-api installs the one in its database at start-up and again whenever a year is loaded or changed;
* notify reads it from tasks-api (`GET /v1/calendar/days`) and installs it again on a `calendar.changed` event.

Until a process installs one, and for every year the installed calendar does not list, a day is a working day
Monday to Friday (the year is `provisional`). Installing bumps `generation()`, so callers that cache calendar
arithmetic (notify's planner) know when to forget it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkdayCalendar:
    """What differs from Monday–Friday: `days` maps a date to whether it is a working day (False for a
    holiday, True for a make-up working weekend); `official_years` are the years loaded from a State Council
    notice. Days of other years, and unlisted days, follow Monday–Friday."""

    days: Mapping[date, bool] = field(default_factory=dict)
    official_years: frozenset[int] = frozenset()

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[date, bool]], official_years: Iterable[int]) -> WorkdayCalendar:
        """From (date, is_workday) rows; rows that agree with Monday–Friday are dropped."""
        return cls(
            days={d: bool(w) for d, w in rows if bool(w) != (d.weekday() < 5)},
            official_years=frozenset(official_years),
        )


_calendar = WorkdayCalendar()
_days: Mapping[date, bool] = _calendar.days
_generation = 0


def install(calendar: WorkdayCalendar) -> None:
    """Make `calendar` the one every function here answers from, in this process."""
    global _calendar, _days, _generation
    _calendar, _days = calendar, calendar.days
    _running_counts.cache_clear()
    _generation += 1


def installed() -> WorkdayCalendar:
    return _calendar


def generation() -> int:
    """Changes each time a calendar is installed: a key for caches of calendar arithmetic."""
    return _generation


def is_official(year: int) -> bool:
    """True when `year`'s holidays were loaded from the State Council's notice; else it is provisional."""
    return year in _calendar.official_years


def is_workday(d: date) -> bool:
    """True on working days: weekdays that are not public holidays, plus make-up working weekends."""
    listed = _days.get(d)
    return d.weekday() < 5 if listed is None else listed


def next_workday_on_or_after(d: date) -> date:
    """`d` itself if it is a working day, else the first working day after it (顺延)."""
    while not is_workday(d):
        d += _DAY
    return d


def add_workdays(d: date, n: int) -> date:
    """The date `n` working days after `d` (before it when `n` is negative); `add_workdays(d, 0) == d`.

    `d` itself need not be a working day: one working day after a Saturday is the next working day.
    """
    step = _DAY if n > 0 else -_DAY
    remaining = abs(n)
    while remaining:
        d += step
        if is_workday(d):
            remaining -= 1
    return d


@lru_cache(maxsize=256)
def _running_counts(year: int) -> tuple[int, ...]:
    """Working days from 1 January up to and including each day of `year` (index 0 = 1 January)."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    return tuple(accumulate(is_workday(first + timedelta(days=i)) for i in range(days)))


def _count_through(d: date) -> int:
    """Working days in [1 January of some base year, d]; only differences of this are meaningful."""
    return _running_counts(d.year)[d.timetuple().tm_yday - 1]


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when `end` is before `start`."""
    if end < start:
        return -workdays_between(end, start)
    total = _count_through(end) - _count_through(start)
    # whole years in between are summed from the per-year tables, so long spans stay cheap
    for year in range(start.year, end.year):
        total += _running_counts(year)[-1]
    return total
