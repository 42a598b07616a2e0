"""The working-day calendar as tasks-api serves it (`/v1/calendar`) and its client reads it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from luoshi.pagination import Page

YearStatus = Literal["official", "provisional"]


class CalendarDay(BaseModel):
    """A day that is not what Monday–Friday says (a holiday on a weekday, a 调休 working weekend), or a
    day of a holiday period, with the holiday's name."""

    date: date
    is_workday: bool
    name: str | None = Field(default=None, description="The holiday (春节, 国庆节…) this day belongs to")


class CalendarDayWrite(BaseModel):
    date: date
    is_workday: bool = Field(description="False for a day off, true for a make-up working day (调休上班)")
    name: str = Field(min_length=1, max_length=60, description="The holiday's name, as the notice heads it")


class CalendarYearBrief(BaseModel):
    year: int
    status: YearStatus = Field(
        description="official: loaded from the State Council's notice; provisional: not loaded, Monday to Friday"
    )
    version: int = Field(description="0 for a year never loaded; goes up with each change")
    source: str | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None


class CalendarYearRead(CalendarYearBrief):
    days: list[CalendarDay] = Field(description="The year's holidays and make-up working days, by date")


class CalendarYearWrite(BaseModel):
    """A whole year: every day off and make-up working day; days not listed follow Monday to Friday."""

    status: YearStatus = "official"
    source: str | None = Field(default=None, max_length=200, description="Where the days come from (the notice)")
    days: list[CalendarDayWrite] = Field(max_length=366)


class CalendarYearsPage(Page[CalendarYearBrief]):
    last_official_year: int | None = Field(
        default=None, description="The last year loaded from a notice; later years count Monday to Friday"
    )


class CalendarDaysPage(Page[CalendarDay]):
    pass


class NoticeParse(BaseModel):
    text: str = Field(min_length=1, max_length=20_000, description="The notice as published, title included")
    year: int | None = Field(default=None, ge=2000, le=2060, description="When the text does not say it")


class HolidaySummary(BaseModel):
    name: str
    first_day_off: date
    last_day_off: date
    days_off: int
    make_up_workdays: list[date]


class NoticeRead(BaseModel):
    """What the notice says, for review: PUT `year` with `days` to apply it."""

    year: int
    source: str
    holidays: list[HolidaySummary]
    days: list[CalendarDayWrite]
