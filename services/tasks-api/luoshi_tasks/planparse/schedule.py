"""Dates in a plan's text: a task's deadline (完成时限) and the windows of its phases (实施步骤).

A deadline is the first phrase in the task's own words that reads as one: 2012年6月底前, 到2015年, 2012年底,
2015年前, 年底前, 每月30日, 每年9月, 2012年3月一2012年12月. Bare years ("2012年培育…60项"), yearly
targets without a month ("每年制订50项") and adverbs (定期, 逐年) are not deadlines; dates inside a cited
title (《…规划(2011年一2020年)》) are skipped. Years left out (年底前) resolve against the plan's year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from luoshi.deadlines import Deadline, DeadlineParseError, RecurringDeadline, parse_deadline

_Y = r"(?<!\d)\d{4}年"
_M = r"\d{1,2}月份?"
_D = r"\d{1,2}[日号]"
_BEFORE = r"(?:之前|以前|前)"
_POINT = rf"{_Y}(?:{_M}(?:{_D}|[底末])?|[底末])?"
_SINCE = rf"(?:{_Y}起)?"
_DEADLINE = re.compile(
    "|".join(
        (
            rf"{_Y}(?:{_M}(?:{_D})?)?(?:至|到|-|—|–|~|一)(?:{_Y}(?:{_M}(?:{_D})?)?|{_M}(?:{_D})?)",
            rf"{_SINCE}每月(?:{_D}|[底末]){_BEFORE}?",
            rf"{_SINCE}每季度?[底末]{_BEFORE}?",
            rf"{_SINCE}每年{_M}(?:{_D}|[底末])?{_BEFORE}?",
            rf"(?:到|至|截至|截止到?){_POINT}{_BEFORE}?",
            rf"{_POINT}{_BEFORE}",
            rf"{_Y}(?:{_M})?[底末]",
            rf"(?<![\d一二三四五六七八九十])(?:{_M}(?:{_D}|[底末])?|年[底末]){_BEFORE}",
            rf"(?:本|今|当)年[底末内]{_BEFORE}?",
        )
    )
)
_EMPTY_BRACKETS = re.compile(r"[(（]\s*[)）]")
_NAME_STRIP = " :：,，。;；、()（）"


@dataclass(frozen=True)
class FoundDeadline:
    deadline: Deadline
    text: str
    start: int
    end: int


def _inside_title(s: str, pos: int) -> bool:
    return s.rfind("《", 0, pos) > s.rfind("》", 0, pos)


def find_deadline(match: str, display: str, year: int | None) -> FoundDeadline | None:
    """The first deadline phrase in the text (`match` and `display` of equal length)."""
    for m in _DEADLINE.finditer(match):
        if _inside_title(match, m.start()):
            continue
        words = display[m.start() : m.end()]
        try:
            deadline = parse_deadline(words, default_year=year)
        except DeadlineParseError:
            continue
        return FoundDeadline(deadline, words, m.start(), m.end())
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def phase_window(deadline: Deadline, year: int | None) -> tuple[date | None, date | None, str | None]:
    """Start, end and repeat of a phase from its dates; a yearly step (每年9月) gives its first occurrence."""
    if deadline.kind == "window":
        return deadline.start_on, deadline.due_on, None
    if deadline.kind == "date":
        return None, deadline.due_on, None
    if isinstance(deadline, RecurringDeadline):
        first_year = deadline.starts_on.year if deadline.starts_on else year
        if deadline.frequency == "yearly" and deadline.month and first_year:
            month_end = _month_end(first_year, deadline.month)
            return month_end.replace(day=1), month_end.replace(day=min(deadline.day, month_end.day)), "yearly"
        return deadline.starts_on, deadline.ends_on, deadline.frequency
    return None, None, None


def phase_name(heading: str, found: FoundDeadline | None) -> str:
    """The step's name without its dates: 工作落实阶段(2012年3月一2012年12月) -> 工作落实阶段."""
    if found is not None and found.end <= len(heading):
        heading = heading[: found.start] + heading[found.end :]
    return _EMPTY_BRACKETS.sub("", heading).strip(_NAME_STRIP)
