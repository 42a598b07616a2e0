"""The working-day calendar (工作日历): holidays and make-up working days, a year at a time."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from luoshi.contracts.calendar import (
    CalendarDaysPage,
    CalendarYearRead,
    CalendarYearsPage,
    CalendarYearWrite,
    NoticeParse,
    NoticeRead,
)
from luoshi.errors import BadRequest, PreconditionRequired, StaleEtag, responses
from luoshi.inputguard import GuardedRoute
from luoshi.openapi import sends
from luoshi.pagination import PageParams, bulk_page_params
from luoshi_tasks.deps import ClockDep, CurrentPrincipal, IfMatch, PageDep, SessionDep
from luoshi_tasks.errors import CalendarDaysInvalid, CalendarYearOutOfRange, NoticeUnreadable
from luoshi_tasks.service.calendar import CalendarService

router = APIRouter(route_class=GuardedRoute, prefix="/v1/calendar", tags=["calendar"])
BulkPageDep = Annotated[PageParams, Depends(bulk_page_params)]


def calendar_service(session: SessionDep, principal: CurrentPrincipal, clock: ClockDep) -> CalendarService:
    return CalendarService(session, principal, clock)


ServiceDep = Annotated[CalendarService, Depends(calendar_service)]


@router.get("", response_model=CalendarYearsPage)
async def list_calendar_years(service: ServiceDep, page: PageDep) -> CalendarYearsPage:
    """Each year from the first loaded one to next year: `official` (loaded from the State Council's notice)
    or `provisional` (nobody loaded it: Monday to Friday), and the last official year."""
    return await service.years(page.limit, page.cursor[0] if page.cursor else None)


@router.get("/days", response_model=CalendarDaysPage)
async def list_calendar_days(
    service: ServiceDep,
    page: BulkPageDep,
    start: Annotated[date, Query(description="First day (inclusive)")],
    end: Annotated[date, Query(description="Last day (inclusive)")],
) -> CalendarDaysPage:
    """The days in [start, end] that are not what Monday–Friday says, or belong to a holiday period: what
    other services need to count working days."""
    if end < start:
        raise BadRequest("end is before start", "结束日期早于开始日期")
    after = date.fromisoformat(page.cursor[0]) if page.cursor else None
    return await service.days(start, end, page.limit, after)


@router.get(
    "/{year}",
    response_model=CalendarYearRead,
    responses={**responses(CalendarYearOutOfRange), **sends("ETag")},
)
async def get_calendar_year(year: int, service: ServiceDep, response: Response) -> CalendarYearRead:
    """One year's holidays and make-up working days with their names, whether it is official, and its ETag."""
    read, tag = await service.year(year)
    response.headers["ETag"] = tag
    return read


@router.put(
    "/{year}",
    response_model=CalendarYearRead,
    responses={
        **responses(CalendarYearOutOfRange, CalendarDaysInvalid, StaleEtag, PreconditionRequired),
        **sends("ETag"),
    },
)
async def replace_calendar_year(
    year: int, body: CalendarYearWrite, service: ServiceDep, response: Response, if_match: IfMatch = None
) -> CalendarYearRead:
    """Set a year's days (admin): every day off and make-up working day, the rest Monday to Friday. Send the
    ETag you read in `If-Match`. Due dates still ahead that the plan moves off holidays (遇节假日顺延) follow,
    and the other services are told (`calendar.changed`); notices already sent stay as they were."""
    read, tag = await service.replace_year(year, body, if_match)
    response.headers["ETag"] = tag
    return read


@router.post("/notices", response_model=NoticeRead, responses=responses(NoticeUnreadable))
async def read_holiday_notice(body: NoticeParse, service: ServiceDep) -> NoticeRead:
    """Read the text of the State Council's notice (国务院办公厅关于20XX年部分节假日安排的通知) and answer the
    holidays and 调休 working days it sets, for review (admin). Nothing is stored: PUT the year to apply it."""
    return service.read_notice(body)
