"""Working days (工作日) on the official PRC holiday calendar, make-up working days (调休) included.

`chinese_calendar` ships the State Council's calendar a year at a time; for years it does not know yet we
fall back to Monday–Friday rather than fail, so a plan running past the package's data still works.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

import chinese_calendar

_DAY = timedelta(days=1)


@lru_cache(maxsize=1 << 16)
def is_workday(d: date) -> bool:
    """True on working days: weekdays that are not public holidays, plus make-up working weekends."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:  # the package raises for years outside its data
        return d.weekday() < 5


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
