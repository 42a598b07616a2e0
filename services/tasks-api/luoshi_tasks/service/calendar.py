"""The working-day calendar: read by everyone, edited a year at a time by an admin, loaded from the State
Council's notice. A change moves the due dates still ahead that a plan shifts off holidays, and tells the other
services (`calendar.changed`) so their reminders count on the same days."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit, workdays
from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.contracts.calendar import (
    CalendarDay,
    CalendarDaysPage,
    CalendarYearBrief,
    CalendarYearRead,
    CalendarYearsPage,
    CalendarYearWrite,
    NoticeParse,
    NoticeRead,
)
from luoshi.errors import FieldProblem, Forbidden
from luoshi.etag import check_if_match, etag
from luoshi.outbox import emit
from luoshi.pagination import encode_cursor
from luoshi_tasks.calendar import FIRST_YEAR, LAST_YEAR, read_calendar, summarize
from luoshi_tasks.calendar import notice as notice_parser
from luoshi_tasks.errors import CalendarDaysInvalid, CalendarYearOutOfRange, NoticeUnreadable
from luoshi_tasks.models import AuditLog, Event
from luoshi_tasks.repository.calendar import CalendarRepository

CHANGED_EVENT = "calendar.changed"


def year_etag(year: int, version: int) -> str:
    return etag("calendar", year, version)


def _brief(year: int, row: Any | None) -> CalendarYearBrief:
    if row is None:
        return CalendarYearBrief(year=year, status="provisional", version=0)
    return CalendarYearBrief.model_validate(dict(row))


def _in_range(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarYearOutOfRange(f"No calendar for {year}", f"没有 {year} 年的工作日历")


class CalendarService:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock) -> None:
        self.session = session
        self.principal = principal
        self.clock = clock
        self.repo = CalendarRepository(session)

    def _may_read(self) -> None:
        require_scope(self.principal, "tasks:read")

    def _may_edit(self) -> None:
        require_scope(self.principal, "tasks:write")
        if not self.principal.is_admin:
            raise Forbidden("Only an administrator edits the working-day calendar", "仅系统管理员可以修改工作日历")

    async def years(self, limit: int, after: int | None) -> CalendarYearsPage:
        """Every year from the first loaded one to next year; years nobody loaded are provisional."""
        self._may_read()
        rows = {r["year"]: r for r in await self.repo.years()}
        official = [y for y, r in rows.items() if r["status"] == "official"]
        last = max(rows, default=self.clock.today().year)
        years = range(min(rows, default=self.clock.today().year), max(last, self.clock.today().year + 1) + 1)
        chosen = [y for y in years if after is None or y > after][: limit + 1]
        items = [_brief(y, rows.get(y)) for y in chosen[:limit]]
        return CalendarYearsPage(
            items=items,
            next_cursor=encode_cursor([chosen[limit - 1]]) if len(chosen) > limit else None,
            last_official_year=max(official, default=None),
        )

    async def year(self, year: int) -> tuple[CalendarYearRead, str]:
        self._may_read()
        _in_range(year)
        row = await self.repo.year(year)
        days = await self.repo.listed_days(date(year, 1, 1), date(year, 12, 31))
        brief = _brief(year, row)
        read = CalendarYearRead(**brief.model_dump(), days=[CalendarDay.model_validate(dict(d)) for d in days])
        return read, year_etag(year, brief.version)

    async def days(self, start: date, end: date, limit: int, after: date | None) -> CalendarDaysPage:
        self._may_read()
        rows = await self.repo.listed_days(start, end, after=after, limit=limit + 1)
        items = [CalendarDay.model_validate(dict(r)) for r in rows[:limit]]
        more = len(rows) > limit
        return CalendarDaysPage(items=items, next_cursor=encode_cursor([items[-1].date.isoformat()]) if more else None)

    async def official_years(self) -> list[int]:
        return [r["year"] for r in await self.repo.years() if r["status"] == "official"]

    async def replace_year(
        self, year: int, data: CalendarYearWrite, if_match: str | None
    ) -> tuple[CalendarYearRead, str]:
        """The year becomes exactly `data.days` on top of Monday–Friday. Due dates still ahead that move off
        holidays follow; notices already sent are not touched (notify keeps its own record of them)."""
        self._may_edit()
        _in_range(year)
        _check_days(year, data)
        await self.repo.lock_for_writing()
        current = await self.repo.year(year, for_update=True)
        check_if_match(if_match, year_etag(year, current["version"] if current else 0))
        before, _ = await self.year(year)
        await self.repo.replace_year(year, [(d.date, d.is_workday, d.name) for d in data.days])
        saved = await self.repo.save_year(year, data.status, data.source, self.principal.actor)
        moved = await self.repo.follow_calendar(self.clock.today())
        after, tag = await self.year(year)
        # This process counts on the new days as soon as they are committed; other replicas on their next
        # refresh, notify and scoring-api on the event.
        calendar = await read_calendar(self.repo)
        event.listen(self.session.sync_session, "after_commit", lambda _s: workdays.install(calendar), once=True)
        await emit(
            self.session,
            Event,
            CHANGED_EVENT,
            f"calendar/{year}",
            {
                "year": year,
                "version": saved["version"],
                "assignments_moved": moved,
            },
        )
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "update",
            "calendar_year",
            year,
            before=before.model_dump(mode="json"),
            after=after.model_dump(mode="json"),
        )
        return after, tag

    def read_notice(self, data: NoticeParse) -> NoticeRead:
        """The days a notice sets, for review before they are applied with PUT."""
        self._may_edit()
        try:
            parsed = notice_parser.parse_notice(data.text, data.year)
        except notice_parser.NoticeUnreadable as exc:
            line = getattr(exc, "line", None)
            raise NoticeUnreadable(
                str(exc),
                getattr(exc, "message_zh", None) or str(exc),
                errors=[
                    FieldProblem(
                        loc=["body", "text"] + ([line] if line else []),
                        code="notice_unreadable",
                        message=str(exc),
                        message_zh=getattr(exc, "message_zh", None),
                    )
                ],
            ) from exc
        return summarize(parsed)


def _check_days(year: int, data: CalendarYearWrite) -> None:
    problems: list[FieldProblem] = []
    seen: set[date] = set()
    for i, d in enumerate(data.days):
        if d.date.year != year:
            problems.append(
                FieldProblem(
                    loc=["body", "days", i, "date"],
                    code="not_in_year",
                    message=f"{d.date} is not in {year}",
                    message_zh=f"{d.date} 不属于 {year} 年",
                )
            )
        elif d.date in seen:
            problems.append(
                FieldProblem(
                    loc=["body", "days", i, "date"],
                    code="duplicate_day",
                    message=f"{d.date} is listed twice",
                    message_zh=f"{d.date} 重复出现",
                )
            )
        seen.add(d.date)
    if problems:
        raise CalendarDaysInvalid(
            f"{len(problems)} of the days do not fit {year}",
            f"有 {len(problems)} 个日期不符合 {year} 年",
            errors=problems,
        )
