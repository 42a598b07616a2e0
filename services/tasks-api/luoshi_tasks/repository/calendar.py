"""The working-day calendar's SQL: `tasks.workday` (a row a day) and `tasks.calendar_year` (the loaded years)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# A day is "listed" when it is not what Monday–Friday says, or carries a holiday's name (a weekend day
# inside a holiday period is off either way, but the office wants to see it is 春节).
_LISTED = "(is_workday <> (extract(isodow FROM day) < 6) OR name IS NOT NULL)"

# Changes of one year rewrite the running count after it; writers take this lock so two years being
# loaded at once do not deadlock on the rows they both renumber.
_WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('tasks.workday'))"

_REINDEX = """
UPDATE tasks.workday w SET workday_index = s.idx
FROM (SELECT day, sum(is_workday::int) OVER (ORDER BY day)::int AS idx FROM tasks.workday) s
WHERE w.day = s.day AND w.workday_index <> s.idx
"""

# Due dates a plan moves off holidays (遇节假日顺延) that are still ahead follow the calendar; an
# assignment keeps a granted extension that is later than the new date.
_FOLLOW = """
WITH shifted AS (
    SELECT t.id, t.due_on AS old_due,
           (SELECT min(w.day) FROM tasks.workday w
            WHERE w.day >= CASE t.deadline->>'kind' WHEN 'recurring' THEN (t.deadline->>'ends_on')::date
                                                    ELSE (t.deadline->>'due_on')::date END
              AND w.is_workday) AS new_due
    FROM tasks.task t
    WHERE t.deadline->>'workdays' = 'true' AND t.due_on IS NOT NULL
      AND CASE t.deadline->>'kind' WHEN 'recurring' THEN (t.deadline->>'ends_on')::date
                                   ELSE (t.deadline->>'due_on')::date END >= :today
), moved AS (
    UPDATE tasks.task t SET due_on = s.new_due, version = t.version + 1
    FROM shifted s WHERE t.id = s.id AND s.new_due IS DISTINCT FROM s.old_due
    RETURNING t.id, s.new_due
)
UPDATE tasks.assignment a
SET due_on = CASE WHEN a.due_on IS NULL OR a.due_on = a.original_due_on OR a.due_on <= m.new_due
                  THEN m.new_due ELSE a.due_on END,
    original_due_on = m.new_due,
    version = a.version + 1
FROM moved m WHERE a.task_id = m.id
RETURNING a.id
"""


class CalendarRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _all(self, sql: str, **params: Any) -> list[Any]:
        return list((await self.session.execute(text(sql), params)).mappings().all())

    async def years(self) -> list[Any]:
        return await self._all("SELECT * FROM tasks.calendar_year ORDER BY year")

    async def year(self, year: int, *, for_update: bool = False) -> Any | None:
        rows = await self._all(
            "SELECT * FROM tasks.calendar_year WHERE year = :year" + (" FOR UPDATE" if for_update else ""), year=year
        )
        return rows[0] if rows else None

    async def listed_days(self, start: date, end: date, *, after: date | None = None, limit: int = 10_000) -> list[Any]:
        """Days in [start, end] that differ from Monday–Friday or carry a name, by date, after `after`."""
        return await self._all(
            f"SELECT day AS date, is_workday, name FROM tasks.workday WHERE day BETWEEN :start AND :end "
            f"AND day > :after AND {_LISTED} ORDER BY day LIMIT :limit",
            start=start,
            end=end,
            after=after or date.min,
            limit=limit,
        )

    async def bounds(self) -> tuple[date, date]:
        row = (await self._all("SELECT min(day) AS first, max(day) AS last FROM tasks.workday"))[0]
        return row["first"], row["last"]

    async def lock_for_writing(self) -> None:
        await self.session.execute(text(_WRITE_LOCK))

    async def replace_year(self, year: int, days: list[tuple[date, bool, str]]) -> None:
        """The year becomes Monday–Friday plus `days`; the running count is renumbered."""
        await self.session.execute(
            text(
                "UPDATE tasks.workday SET is_workday = extract(isodow FROM day) < 6, name = NULL "
                f"WHERE day BETWEEN :first AND :last AND {_LISTED}"
            ),
            {"first": date(year, 1, 1), "last": date(year, 12, 31)},
        )
        if days:
            await self.session.execute(
                text(
                    "UPDATE tasks.workday w SET is_workday = d.w, name = d.n "
                    "FROM unnest(CAST(:days AS date[]), CAST(:ws AS bool[]), CAST(:ns AS text[])) AS d(day, w, n) "
                    "WHERE w.day = d.day"
                ),
                {"days": [d for d, _, _ in days], "ws": [w for _, w, _ in days], "ns": [n for _, _, n in days]},
            )
        await self.session.execute(text(_REINDEX))

    async def save_year(self, year: int, status: str, source: str | None, actor: str) -> Any:
        """The year's row with its version one higher (1 for a year loaded the first time)."""
        rows = await self._all(
            "INSERT INTO tasks.calendar_year (year, status, version, source, updated_by) "
            "VALUES (:year, :status, 1, :source, :actor) "
            "ON CONFLICT (year) DO UPDATE SET status = excluded.status, source = excluded.source, "
            "updated_by = excluded.updated_by, updated_at = now(), version = calendar_year.version + 1 "
            "RETURNING *",
            year=year,
            status=status,
            source=source,
            actor=actor,
        )
        return rows[0]

    async def follow_calendar(self, today: date) -> int:
        """Move holiday-shifted due dates still ahead onto the calendar as it now is; the assignments moved."""
        return len(await self._all(_FOLLOW, today=today))
