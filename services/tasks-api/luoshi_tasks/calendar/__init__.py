"""The working-day calendar table that traffic lights and due windows are computed from in SQL."""

from __future__ import annotations

from datetime import date, timedelta

CALENDAR_START = date(2000, 1, 1)
CALENDAR_END = date(2060, 12, 31)


def is_workday(day: date) -> bool:
    """Official PRC calendar (holidays and make-up working days) where chinese-calendar knows the year;
    Monday to Friday beyond it."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def calendar_rows(start: date = CALENDAR_START, end: date = CALENDAR_END) -> list[dict[str, object]]:
    rows, index, day = [], 0, start
    while day <= end:
        workday = is_workday(day)
        if workday:
            index += 1
        rows.append({"day": day, "is_workday": workday, "workday_index": index})
        day += timedelta(days=1)
    return rows


REFRESH_SQL = """
INSERT INTO tasks.workday (day, is_workday, workday_index)
SELECT * FROM unnest($1::date[], $2::bool[], $3::int[])
ON CONFLICT (day) DO UPDATE SET is_workday = excluded.is_workday, workday_index = excluded.workday_index
"""


async def refresh_calendar(conn) -> int:  # type: ignore[no-untyped-def]
    """Rewrite the table from the installed chinese-calendar (run after upgrading it each year)."""
    rows = calendar_rows()
    await conn.execute(
        REFRESH_SQL, [r["day"] for r in rows], [r["is_workday"] for r in rows], [r["workday_index"] for r in rows]
    )
    return len(rows)
