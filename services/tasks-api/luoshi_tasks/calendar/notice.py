"""Reading the State Council's yearly notice (国务院办公厅关于20XX年部分节假日安排的通知) into calendar days.

The notice has kept one shape since 2008: numbered items headed by the holiday (`二、春节：`), each saying
which days are off (`2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。`) and which
weekend days are worked instead (`2月14日（周六）、2月28日（周六）上班。`). The reader is strict where a
mistake would cost an office a working day: a weekday in brackets must match its date, `共N天` must match the
span, and a date must exist; each complaint names the line of the text at fault. Sentences that neither give
days off nor make-up days (`鼓励……安排职工在除夕（2月9日）休息`) set nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class NoticeDay:
    date: date
    is_workday: bool
    name: str


@dataclass(frozen=True)
class ParsedNotice:
    year: int
    days: list[NoticeDay]


class NoticeUnreadable(ValueError):
    """What in the text could not be read, in English and Chinese, with the 1-based line at fault if any."""

    def __init__(self, message: str, message_zh: str, line: int | None = None) -> None:
        where = f" (line {line})" if line else ""
        super().__init__(message + where)
        self.line = line
        self.message_zh = message_zh + (f"（第{line}行）" if line else "")


_YEAR = re.compile(r"关于\s*(\d{4})\s*年\s*部分\s*节假日|现将\s*(\d{4})\s*年")
# An item's heading: a Chinese numeral, a mark, the holiday name(s) and a colon, at a line's or sentence's start.
_ITEM = re.compile(
    r"(?:^|(?<=[\s。；;：:]))[一二三四五六七八九十]{1,3}\s*[、.]\s*"
    r"(?P<name>[^：:\n。]{0,20}?(?:元旦|春节|清明|劳动节|五一|端午|中秋|国庆)[^：:\n。]{0,20}?)\s*[：:]",
    re.M,
)
_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日\s*(?:\((?P<note>[^()]*)\))?"
)
_SPAN = re.compile(r"^(?P<first>.+?)(?:至|到|-|~)(?P<last>.+)$")
_COUNT = re.compile(r"(?:共|放假)\s*(\d{1,2})\s*天")


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """The days off and make-up working days `text` sets. `year` is needed only when the text does not say it."""
    # NFKC turns full-width digits and brackets into ASCII, one character for one, so offsets keep their line.
    lines = [unicodedata.normalize("NFKC", line) for line in re.split(r"\r\n|\r|\n", text)]
    body = "\n".join(lines)
    notice_year = _notice_year(body, year)
    items = list(_ITEM.finditer(body))
    if not items:
        raise NoticeUnreadable(
            "No holiday items found: the notice lists them as '一、元旦：…', '二、春节：…'",
            "未找到放假安排条目：通知中应有“一、元旦：……”“二、春节：……”这样的条目",
        )
    days: dict[date, NoticeDay] = {}
    for i, item in enumerate(items):
        end = items[i + 1].start() if i + 1 < len(items) else len(body)
        name = re.sub(r"\s+", "", item.group("name"))
        found = _read_item(body, item.end(), end, name, notice_year)
        if not found:
            raise NoticeUnreadable(
                f"The item '{name}' gives no day off and no make-up working day",
                f"“{name}”条目中没有读到放假日期或调休上班日期",
                _line_of(body, item.start()),
            )
        for day, line in found:
            known = days.get(day.date)
            if known and known.is_workday != day.is_workday:
                raise NoticeUnreadable(
                    f"{day.date} is both a day off and a working day",
                    f"{day.date.month}月{day.date.day}日既是放假日又是上班日",
                    line,
                )
            days.setdefault(day.date, day)
    return ParsedNotice(notice_year, sorted(days.values(), key=lambda d: d.date))


def _notice_year(body: str, given: int | None) -> int:
    match = _YEAR.search(body)
    if match is None:
        if given is None:
            raise NoticeUnreadable(
                "The text does not say which year it arranges: include the title, or give the year",
                "文本未写明是哪一年的安排：请包含通知标题，或另行指定年份",
            )
        return given
    stated = int(match.group(1) or match.group(2))
    if given is not None and given != stated:
        raise NoticeUnreadable(
            f"The text arranges {stated}, not {given}",
            f"该通知安排的是{stated}年，不是{given}年",
            _line_of(body, match.start()),
        )
    return stated


def _read_item(body: str, start: int, end: int, name: str, year: int) -> list[tuple[NoticeDay, int]]:
    found: list[tuple[NoticeDay, int]] = []
    pos = start
    for sentence in re.split(r"(?<=[。；;])", body[start:end]):
        at, pos = pos, pos + len(sentence)
        line = _line_of(body, at + len(sentence) - len(sentence.lstrip()))
        flat = re.sub(r"\s+", "", sentence)
        if "放假" in flat:
            off = _days_off(flat.split("放假", 1)[0], flat, year, line)
            found += [(NoticeDay(d, False, name), line) for d in off]
        elif "上班" in flat:
            for d in _dates(flat.split("上班", 1)[0], year, line):
                found.append((NoticeDay(d, True, name), line))
    return found


def _days_off(span_text: str, sentence: str, year: int, line: int) -> list[date]:
    span = _SPAN.match(span_text)
    if span:
        first = _dates(span.group("first"), year, line)
        if len(first) != 1:
            raise _unreadable_span(span_text, line)
        last = _dates(span.group("last"), year, line, after=first[0])
        if len(last) != 1 or last[0] < first[0]:
            raise _unreadable_span(span_text, line)
        off = [first[0] + timedelta(days=n) for n in range((last[0] - first[0]).days + 1)]
    else:
        off = _dates(span_text, year, line)
        if len(off) != 1:
            raise _unreadable_span(span_text, line)
    count = _COUNT.search(sentence)
    if count and int(count.group(1)) != len(off):
        raise NoticeUnreadable(
            f"'{span_text}' is {len(off)} days, but the notice says {count.group(1)}",
            f"“{span_text}”共{len(off)}天，与通知所写的{count.group(1)}天不符",
            line,
        )
    return off


def _dates(text: str, year: int, line: int, after: date | None = None) -> list[date]:
    """Every date in `text`; a date without a month takes the month of `after` (`2月10日至17日`)."""
    out: list[date] = []
    for m in _DATE.finditer(text):
        y = int(m.group("y")) if m.group("y") else (after.year if after else year)
        if m.group("m"):
            month = int(m.group("m"))
        elif after is not None:
            month = after.month
        else:
            raise _unreadable_span(text, line)
        if not m.group("y") and after is not None and month < after.month:
            y += 1  # 12月31日至1月2日
        try:
            day = date(y, month, int(m.group("d")))
        except ValueError:
            raise NoticeUnreadable(
                f"{y}-{month}-{m.group('d')} is not a date",
                f"{y}年{month}月{m.group('d')}日不是有效日期",
                line,
            ) from None
        stated = re.search(r"(?:周|星期)([一二三四五六日天])", m.group("note") or "")
        if stated:
            said = WEEKDAYS.index(stated.group(1).replace("天", "日"))
            if said != day.weekday():
                raise NoticeUnreadable(
                    f"{day} is a {day.strftime('%A')}, but the notice says 周{stated.group(1)}",
                    f"{day.month}月{day.day}日是周{WEEKDAYS[day.weekday()]}，通知写的是周{stated.group(1)}",
                    line,
                )
        out.append(day)
        after = day
    return out


def _unreadable_span(text: str, line: int) -> NoticeUnreadable:
    return NoticeUnreadable(f"Cannot read the days in '{text}'", f"无法识别“{text}”中的日期", line)


def _line_of(body: str, offset: int) -> int:
    return body.count("\n", 0, offset) + 1
