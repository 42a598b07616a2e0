"""The working-day calendar tasks-api owns: loading it into this process, and turning a parsed State Council
notice into what an admin reviews before applying it. The SQL lives in `repository/calendar.py`."""

from __future__ import annotations

from datetime import date
from itertools import groupby
from typing import Any

from luoshi import workdays
from luoshi.contracts.calendar import CalendarDayWrite, HolidaySummary, NoticeRead
from luoshi_tasks.repository.calendar import CalendarRepository

# tasks.workday holds these years (see the migrations); the running count is defined only inside them.
FIRST_YEAR, LAST_YEAR = 2000, 2060


async def read_calendar(repo: CalendarRepository) -> workdays.WorkdayCalendar:
    """The calendar as `repo`'s transaction sees it."""
    official = [r["year"] for r in await repo.years() if r["status"] == "official"]
    days = await repo.listed_days(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31), limit=1_000_000)
    return workdays.WorkdayCalendar.from_rows(((d["date"], d["is_workday"]) for d in days), official)


async def load(db: Any) -> workdays.WorkdayCalendar:
    """The calendar as the database holds it now (the keeper's loader)."""
    async with db.sessionmaker() as session:
        return await read_calendar(CalendarRepository(session))


def summarize(parsed: Any) -> NoticeRead:
    """A notice's days of its own year, ready for PUT, and each holiday's period for the reviewer. Days of the
    year before (2024's notice starts 元旦 on 30 December 2023) belong to that year's calendar and are left out."""
    days = [d for d in parsed.days if d.date.year == parsed.year]
    holidays = []
    for name, group in groupby(sorted(parsed.days, key=lambda d: (d.name, d.date)), key=lambda d: d.name):
        items = list(group)
        off = [d.date for d in items if not d.is_workday]
        if not off:
            continue
        holidays.append(
            HolidaySummary(
                name=name,
                first_day_off=min(off),
                last_day_off=max(off),
                days_off=len(off),
                make_up_workdays=[d.date for d in items if d.is_workday],
            )
        )
    holidays.sort(key=lambda h: h.first_day_off)
    return NoticeRead(
        year=parsed.year,
        source=f"国务院办公厅关于{parsed.year}年部分节假日安排的通知",
        holidays=holidays,
        days=[CalendarDayWrite(date=d.date, is_workday=d.is_workday, name=d.name) for d in days],
    )
