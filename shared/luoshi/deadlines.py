"""Deadlines (完成时限) as policy plans write them: the model, the text parser, the formatter and due dates.

A breakdown-table cell reads "2012年6月底前", "2011年2月至2011年11月", "每月30日", "2011年起每年9月" or
"长期"; `parse_deadline` turns it into one of four kinds and `format_deadline` writes it back.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from datetime import date, timedelta
from typing import Annotated, Any, Literal, NamedTuple

import opencc
import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from luoshi.workdays import next_workday_on_or_after


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _clamped(year: int, month: int, day: int) -> date:
    """Day 30 of February is the month's last day: plans mean "by the end of the month" there."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


class _Base(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    workdays: bool = False
    """Due dates on non-working days move to the next working day (only where the plan says 遇节假日顺延)."""
    text: str | None = None
    """The wording as the plan wrote it."""


class DateDeadline(_Base):
    """Due on or before one day (2012年6月底前)."""

    kind: Literal["date"] = "date"
    due_on: date


class WindowDeadline(_Base):
    """Carried out within a window (2011年2月至2011年11月); due at its end."""

    kind: Literal["window"] = "window"
    start_on: date
    due_on: date

    @model_validator(mode="after")
    def _ordered(self) -> WindowDeadline:
        if self.start_on > self.due_on:
            raise ValueError("start_on is after due_on")
        return self


class RecurringDeadline(_Base):
    """Due again every month, quarter or year (每月30日, 每季度末, 每年9月), clamped to the month's end."""

    kind: Literal["recurring"] = "recurring"
    frequency: Literal["monthly", "quarterly", "yearly"]
    day: int = Field(ge=1, le=31)
    month: int | None = None
    """Yearly: the month 1..12. Quarterly: the month within the quarter 1..3 (3 = its last month)."""
    starts_on: date | None = None
    ends_on: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _quarter_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("frequency") == "quarterly" and data.get("month") is None:
            return {**data, "month": 3}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> RecurringDeadline:
        if self.frequency == "monthly" and self.month is not None:
            raise ValueError("a monthly deadline has no month")
        if self.frequency == "yearly" and not (self.month and 1 <= self.month <= 12):
            raise ValueError("a yearly deadline needs a month 1..12")
        if self.frequency == "quarterly" and not (self.month and 1 <= self.month <= 3):
            raise ValueError("a quarterly deadline's month is 1..3 within the quarter")
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValueError("starts_on is after ends_on")
        return self


class OpenDeadline(_Base):
    """No fixed date (近期, 长期, 逐年, 定期): the office sets one, or the task is open-ended."""

    kind: Literal["open"] = "open"
    note: str


Deadline = Annotated[DateDeadline | WindowDeadline | RecurringDeadline | OpenDeadline, Field(discriminator="kind")]
deadline_adapter: TypeAdapter[Deadline] = TypeAdapter(Deadline)
"""Validates and dumps a `Deadline` stored as JSON (`deadline_adapter.validate_python(row)`)."""


def deadline_item(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored deadline as `Deadline` writes it, for lists written straight from rows: a row stored before a field
    had its default (a quarter's month) reads as the model gives it. The few distinct ones are validated once each;
    each call gets a dict of its own (the cache keeps JSON), so a caller that changes one changes no other list."""
    if stored is None:
        return None
    return orjson.loads(_deadline_item(orjson.dumps(stored, option=orjson.OPT_SORT_KEYS)))


@functools.lru_cache(maxsize=4096)
def _deadline_item(stored: bytes) -> bytes:
    return deadline_adapter.dump_json(deadline_adapter.validate_json(stored))


# --- due dates -----------------------------------------------------------------------------------------


def _effective(deadline: Deadline, due: date) -> date:
    return next_workday_on_or_after(due) if deadline.workdays else due


def _nominal(deadline: RecurringDeadline, year: int, month: int) -> date | None:
    """The recurrence's due date in this month, if it has one there and it lies within its bounds."""
    if deadline.frequency == "yearly" and month != deadline.month:
        return None
    if deadline.frequency == "quarterly" and (month - 1) % 3 + 1 != deadline.month:
        return None
    due = _clamped(year, month, deadline.day)
    if (deadline.starts_on and due < deadline.starts_on) or (deadline.ends_on and due > deadline.ends_on):
        return None
    return due


def occurrences(deadline: Deadline, start: date, end: date) -> list[date]:
    """Due dates falling in [start, end], after clamping and, where `workdays` is set, the holiday shift."""
    if end < start or isinstance(deadline, OpenDeadline):
        return []
    if not isinstance(deadline, RecurringDeadline):
        due = _effective(deadline, deadline.due_on)
        return [due] if start <= due <= end else []
    # begin a month early: a due date in the previous month can be shifted into range by a long holiday
    year, month = (start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12)
    if year < 1:
        year, month = 1, 1
    if deadline.ends_on:  # no need to walk months long after the recurrence has ended
        end = min(end, _shifted(deadline.ends_on, 40))
    found: list[date] = []
    while (year, month) <= (end.year, end.month):
        nominal = _nominal(deadline, year, month)
        if nominal is not None:
            due = _effective(deadline, nominal)
            if start <= due <= end:
                found.append(due)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _shifted(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def next_due(deadline: Deadline, on_or_after: date) -> date | None:
    """The first due date on or after `on_or_after`, or None when there is none (past, open, ended)."""
    if isinstance(deadline, RecurringDeadline):
        if deadline.ends_on and _shifted(deadline.ends_on, 40) < on_or_after:
            return None
        horizon = _shifted(max(on_or_after, deadline.starts_on or on_or_after), 400)
        found = occurrences(deadline, on_or_after, horizon)
    else:
        found = occurrences(deadline, on_or_after, date.max)
    return found[0] if found else None


def last_due_before(deadline: Deadline, d: date) -> date | None:
    """The last due date strictly before `d` (the end of the latest reporting period), or None."""
    end = _shifted(d, -1)
    if isinstance(deadline, RecurringDeadline):
        if deadline.starts_on and deadline.starts_on >= d:
            return None
        latest = min(end, _shifted(deadline.ends_on, 40)) if deadline.ends_on else end
        found = occurrences(deadline, _shifted(latest, -400), end)
    else:
        found = occurrences(deadline, date.min, end)
    return found[-1] if found else None


# --- parsing -------------------------------------------------------------------------------------------


class DeadlineParseError(ValueError):
    """The text is not a deadline we can read; the message says why in Chinese and English."""

    def __init__(self, text: str, zh: str = "无法识别", en: str = "not a deadline format we know") -> None:
        self.text, self.reason = text, en
        super().__init__(f"无法识别完成时限“{text}”：{zh}。Cannot read deadline {text!r}: {en}.")


class _Fail(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh, self.en = zh, en


_T2S = opencc.OpenCC("t2s")
_DASHES = str.maketrans(dict.fromkeys("—–―‐‑‒−－～~〜", "-"))
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_CN_DAY = re.compile(r"(?:[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])(?=[月日号])")
# "2012年3月一2012年12月": typed or OCR'd "一" standing for a dash between two dates
_ONE_AS_DASH = re.compile(r"(?<=[年月日号\d])一(?=\d)")
# 遇法定节假日顺延, (遇节假日顺延), 如遇周末或节假日则顺延, 节假日顺延: anchored on 遇 so no date is swallowed
_WORKDAY_CLAUSE = re.compile(
    r"\(?[,;]?(?:(?:如|若)?遇[^()]{0,12}?(?:节假日|假日|节日|休息日|周末)[^()]{0,4}?|(?:法定)?节假日)"
    r"(?:顺延|延后)(?:至下一个?工作日)?\)?"
)
_LEADING = re.compile(r"^(?:从|自|于|在|到|至|截至|截止到|截止|力争|争取|确保|务必)+")
_TRAILING = re.compile(r"(?:前|以前|之前|止|为止|完成)+$")
_OPEN_WORDS = ("近期", "长期", "逐年", "定期", "持续", "常态", "长效", "逐步", "适时", "另行", "待定")

_CN_POINT = re.compile(
    r"""(?:(?P<y>\d{4})年)?
    (?: (?P<m>\d{1,2})月份?(?:(?P<d>\d{1,2})[日号]|(?P<me>[底末]))?
      | (?P<od>\d{1,2})[日号]
      | (?P<half>[上下])半年
      | 第?(?P<q>[1-4一二三四])季度[底末]?
      | 年?(?P<ye>[底末内])
    )?""",
    re.X,
)
_NUM_POINT = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2})(?!\d)日?)?(?!\d)")
_RANGE_SEP = re.compile(r"(?:起|开始)?(?:至|到|-)")
_RECURRING = re.compile(
    r"""每个?(?:
        (?P<monthly>月)(?:(?P<md>\d{1,2})[日号]|月?[底末])?
      | (?P<quarterly>季)度?(?:(?:第(?P<qm>[1-3一二三])个?月|(?P<qlast>末月|最后一个?月)|(?P<qfirst>首月))
               (?:(?P<qd>\d{1,2})[日号]|[底末])? | [底末])?
      | (?P<yearly>年)(?:(?P<ym>\d{1,2})月份?(?:(?P<yd>\d{1,2})[日号]|[底末])?|年?[底末])?
    )$""",
    re.X,
)


def _cn_int(t: str) -> int:
    tens, ten, units = t.partition("十")
    if not ten:
        return _CN_DIGITS[t]
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _normalize(text: str) -> str:
    """Simplified characters, ASCII digits and punctuation, no whitespace, Arabic numbers for dates."""
    s = unicodedata.normalize("NFKC", _T2S.convert(text)).translate(_DASHES)
    s = re.sub(r"\s+", "", s)
    s = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group()), s)
    s = _CN_DAY.sub(lambda m: str(_cn_int(m.group())), s)
    return _ONE_AS_DASH.sub("-", s).strip("。.,;:、")


class _Point(NamedTuple):
    """A point in time as written: the first and last day it covers ("2012年6月" -> 06-01..06-30)."""

    first: date
    last: date
    year: int
    month: int | None
    end: int  # where the match ended in the text


def _point(s: str, pos: int, year: int | None, month: int | None = None) -> _Point | None:
    m = _NUM_POINT.match(s, pos)
    if m is None:
        m = _CN_POINT.match(s, pos)
        if m is None or m.end() == pos:
            return None
    g = {k: v for k, v in m.groupdict().items() if v}
    if "y" in g:
        year = int(g["y"])
    if year is None:
        raise _Fail("缺少年份", "the year is missing (pass default_year for text such as 年底前)")
    try:
        if "m" in g:
            mon = int(g["m"])
            last = date(year, mon, int(g["d"])) if "d" in g else _month_end(year, mon)
            first = last if "d" in g or "me" in g else date(year, mon, 1)
            return _Point(first, last, year, mon, m.end())
        if "od" in g:
            if month is None:
                return None
            day = date(year, month, int(g["od"]))
            return _Point(day, day, year, month, m.end())
        if "half" in g:
            lo, hi = (1, 6) if g["half"] == "上" else (7, 12)
            return _Point(date(year, lo, 1), _month_end(year, hi), year, None, m.end())
        if "q" in g:
            q = int(g["q"]) if g["q"].isdigit() else _CN_DIGITS[g["q"]]
            return _Point(date(year, 3 * q - 2, 1), _month_end(year, 3 * q), year, None, m.end())
        if "ye" in g:
            return _Point(date(year, 12, 31), date(year, 12, 31), year, None, m.end())
        return _Point(date(year, 1, 1), date(year, 12, 31), year, None, m.end())
    except ValueError as e:
        raise _Fail("日期不存在", f"no such date ({e})") from e


def _whole_point(s: str, pos: int, year: int | None, month: int | None = None) -> _Point | None:
    p = _point(s, pos, year, month)
    return p if p is not None and p.end == len(s) else None


def _range(s: str, year: int | None) -> tuple[_Point, _Point] | None:
    a = _point(s, 0, year)
    if a is None or a.end == len(s):
        return None
    sep = _RANGE_SEP.match(s, a.end)
    b = _whole_point(s, sep.end(), a.year, a.month) if sep else None
    return (a, b) if b else None


def _recurring_bounds(prefix: str, year: int | None) -> dict[str, date]:
    """Bounds of a recurrence: "2011年起" -> starts_on, "至2015年" -> ends_on, "2011年至2015年" -> both;
    a bare "2012年" bounds it to that year."""
    p = re.sub(r"^(?:从|自)", "", prefix.strip(",;:")).removesuffix("止").rstrip(",;:")
    if not p:
        return {}
    if p[0] in "至到":
        b = _whole_point(p, 1, year)
        if b:
            return {"ends_on": b.last}
    elif (a := _whole_point(p, 0, year)) is not None:
        return {"starts_on": a.first, "ends_on": a.last}
    elif (a := _point(p, 0, year)) is not None:
        if p[a.end :] in ("起", "开始", "以来", "以后"):
            return {"starts_on": a.first}
        if pair := _range(p, year):
            return {"starts_on": pair[0].first, "ends_on": pair[1].last}
    raise _Fail(f"无法识别起止时间“{prefix}”", f"cannot read the start/end {prefix!r}")


def _parse_recurring(s: str, year: int | None) -> dict[str, Any] | None:
    m = _RECURRING.search(s)
    if m is None:
        return None
    g = {k: v for k, v in m.groupdict().items() if v}
    if "monthly" in g:
        fields: dict[str, Any] = {"frequency": "monthly", "day": int(g.get("md", 31))}
    elif "yearly" in g:
        fields = {"frequency": "yearly", "month": int(g.get("ym", 12)), "day": int(g.get("yd", 31))}
    else:
        qm = g.get("qm", "3")
        month = 1 if "qfirst" in g else (int(qm) if qm.isdigit() else _CN_DIGITS[qm])
        fields = {"frequency": "quarterly", "month": month, "day": int(g.get("qd", 31))}
    return {"kind": "recurring", **fields, **_recurring_bounds(s[: m.start()], year)}


def _parse_fixed(s: str, year: int | None) -> dict[str, Any] | None:
    s = _LEADING.sub("", s)
    if not s:
        return None
    if pair := _range(s, year):
        return {"kind": "window", "start_on": pair[0].first, "due_on": pair[1].last}
    if point := _whole_point(s, 0, year):
        return {"kind": "date", "due_on": point.last}
    return None


def parse_deadline(text: str, *, default_year: int | None = None) -> Deadline:
    """Read a deadline as a plan writes it; `default_year` completes text without a year (年底前, 上半年).

    Raises `DeadlineParseError` for empty or unreadable text and for dates that do not exist.
    """
    if text is None or not text.strip():
        raise DeadlineParseError(text or "", "内容为空", "the text is empty")
    s, clauses = _WORKDAY_CLAUSE.subn("", _normalize(text))
    note = s.strip(",;:")
    core = _TRAILING.sub("", note).strip(",;:")
    try:
        fields = (_parse_recurring(core, default_year) or _parse_fixed(core, default_year)) if core else None
    except _Fail as e:
        raise DeadlineParseError(text, e.zh, e.en) from None
    if fields is None:
        if not any(word in note for word in _OPEN_WORDS):
            raise DeadlineParseError(text)
        fields = {"kind": "open", "note": note}
    try:
        return deadline_adapter.validate_python({**fields, "workdays": clauses > 0, "text": text})
    except ValidationError as e:
        reason = "; ".join(str(err["msg"]) for err in e.errors())
        raise DeadlineParseError(text, "时间不合理", reason) from None


# --- formatting ----------------------------------------------------------------------------------------


def _ymd(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _from_text(d: date) -> str:
    """Shortest wording whose first day is `d`."""
    if (d.month, d.day) == (1, 1):
        return f"{d.year}年"
    return f"{d.year}年{d.month}月" if d.day == 1 else _ymd(d)


def _until_text(d: date) -> str:
    """Shortest wording whose last day is `d`."""
    if (d.month, d.day) == (12, 31):
        return f"{d.year}年"
    return f"{d.year}年{d.month}月" if d == _month_end(d.year, d.month) else _ymd(d)


def _recurring_text(d: RecurringDeadline) -> str:
    if d.frequency == "monthly":
        body = "每月底" if d.day == 31 else f"每月{d.day}日"
    elif d.frequency == "yearly":
        body = f"每年{d.month}月" if d.day == 31 else f"每年{d.month}月{d.day}日"
    elif (d.month, d.day) == (3, 31):
        body = "每季度末"
    else:
        where = "末月" if d.month == 3 else f"第{d.month}个月"
        body = f"每季度{where}{d.day}日"
    prefix = f"{_from_text(d.starts_on)}起" if d.starts_on else ""
    if d.ends_on:
        prefix += f"至{_until_text(d.ends_on)}"
    return prefix + body


def format_deadline(deadline: Deadline) -> str:
    """Chinese wording the way plans write it; `parse_deadline` reads it back to an equal deadline."""
    if isinstance(deadline, DateDeadline):
        body = _ymd(deadline.due_on)
    elif isinstance(deadline, WindowDeadline):
        start, due = deadline.start_on, deadline.due_on
        whole_months = start.day == 1 and due == _month_end(due.year, due.month)
        body = (
            f"{start.year}年{start.month}月至{due.year}年{due.month}月"
            if whole_months
            else f"{_ymd(start)}至{_ymd(due)}"
        )
    elif isinstance(deadline, RecurringDeadline):
        body = _recurring_text(deadline)
    else:
        body = deadline.note
    return body + ("（遇节假日顺延）" if deadline.workdays else "")


def _read_schedule(value: Any) -> Any:
    """A reporting schedule written as plans write it (每月25日, 每季度末) read into its object; an object as it is."""
    if isinstance(value, str):
        try:
            return parse_deadline(value)
        except DeadlineParseError as exc:
            raise PydanticCustomError(
                "schedule_unreadable",
                "Cannot read the schedule '{text}': {reason}",
                {"text": value, "reason": exc.reason},
            ) from None
    return value


# A plan's report schedule in a request: the object, or the words a plan uses (`每月25日`).
ReportSchedule = Annotated[Deadline | str, AfterValidator(_read_schedule)]
