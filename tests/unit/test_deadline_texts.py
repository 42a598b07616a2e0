"""Deadline wordings in detail: report schedules in requests, bounds without a year, Chinese day numbers and
the exact text `format_deadline` writes."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from luoshi.deadlines import (
    DateDeadline,
    Deadline,
    DeadlineParseError,
    OpenDeadline,
    RecurringDeadline,
    ReportSchedule,
    WindowDeadline,
    format_deadline,
    parse_deadline,
)

_SCHEDULE: TypeAdapter[object] = TypeAdapter(ReportSchedule)


def _plain(d: Deadline) -> Deadline:
    return d.model_copy(update={"text": None})


# --- a report schedule in a request --------------------------------------------------------------------


def test_a_schedule_written_in_words_is_read_into_its_deadline() -> None:
    schedule = _SCHEDULE.validate_python("每月25日")
    assert isinstance(schedule, RecurringDeadline)
    assert _plain(schedule) == RecurringDeadline(frequency="monthly", day=25)
    assert schedule.text == "每月25日"


def test_a_schedule_given_as_an_object_is_kept_as_it_is() -> None:
    quarterly = RecurringDeadline(frequency="quarterly", month=3, day=31)
    assert _SCHEDULE.validate_python(quarterly) == quarterly


def test_an_unreadable_schedule_is_refused_saying_why() -> None:
    with pytest.raises(ValidationError) as info:
        _SCHEDULE.validate_python("下个星期")
    (error,) = info.value.errors()
    assert error["type"] == "schedule_unreadable"
    assert error["ctx"] == {"text": "下个星期", "reason": "not a deadline format we know"}
    assert error["msg"].startswith("Cannot read the schedule ")
    assert error["msg"].endswith(": not a deadline format we know")


def test_an_unreadable_schedule_message_quotes_the_text() -> None:
    with pytest.raises(ValidationError) as info:
        _SCHEDULE.validate_python("下个星期")
    assert info.value.errors()[0]["msg"] == "Cannot read the schedule '下个星期': not a deadline format we know"


def test_an_unreadable_deadline_is_refused_in_chinese_and_english() -> None:
    with pytest.raises(DeadlineParseError) as info:
        parse_deadline("下个星期")
    assert str(info.value) == (
        "无法识别完成时限“下个星期”：无法识别。Cannot read deadline '下个星期': not a deadline format we know."
    )
    assert info.value.reason == "not a deadline format we know"


# --- bounds of a recurrence written without a year -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "from March, at every month's end" in a 2012 plan: from 1 March 2012
        pytest.param(
            "自3月起每月底",
            RecurringDeadline(frequency="monthly", day=31, starts_on=date(2012, 3, 1)),
            id="from-march",
        ),
        # "until June, on the 30th of every month": up to 30 June 2012
        pytest.param(
            "至6月每月30日",
            RecurringDeadline(frequency="monthly", day=30, ends_on=date(2012, 6, 30)),
            id="until-june",
        ),
        # "from March to June": 1 March to 30 June 2012
        pytest.param(
            "3月至6月每月30日",
            RecurringDeadline(frequency="monthly", day=30, starts_on=date(2012, 3, 1), ends_on=date(2012, 6, 30)),
            id="march-to-june",
        ),
        # "in the second half of the year": July to December 2012
        pytest.param(
            "下半年每月30日",
            RecurringDeadline(frequency="monthly", day=30, starts_on=date(2012, 7, 1), ends_on=date(2012, 12, 31)),
            id="second-half",
        ),
    ],
)
def test_recurrence_bounds_without_a_year_take_the_default_year(text: str, expected: Deadline) -> None:
    assert _plain(parse_deadline(text, default_year=2012)) == expected


def test_recurrence_bounds_ending_with_zhi_are_read() -> None:
    # "until 2015, then stop: on the 30th of every month" (至…止，…)
    assert _plain(parse_deadline("至2015年止，每月30日")) == RecurringDeadline(
        frequency="monthly", day=30, ends_on=date(2015, 12, 31)
    )


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        pytest.param("2012年春季起每月30日", "2012年春季起", id="a-season"),
        pytest.param("X2015年每月30日", "X2015年", id="a-stray-letter"),
    ],
)
def test_an_unreadable_recurrence_bound_is_refused_naming_it(text: str, bound: str) -> None:
    with pytest.raises(DeadlineParseError) as info:
        parse_deadline(text)
    assert str(info.value) == (
        f"无法识别完成时限“{text}”：无法识别起止时间“{bound}”。"
        f"Cannot read deadline {text!r}: cannot read the start/end {bound!r}."
    )
    assert info.value.reason == f"cannot read the start/end {bound!r}"


@pytest.mark.xfail(strict=True, reason="a comma between the start and the end makes the bounds unreadable")
def test_recurrence_bounds_separated_by_commas_are_read() -> None:
    # "from September 2011, until December 2015, on the 30th of every month"
    assert _plain(parse_deadline("2011年9月起，至2015年12月止，每月30日")) == RecurringDeadline(
        frequency="monthly", day=30, starts_on=date(2011, 9, 1), ends_on=date(2015, 12, 31)
    )


# --- Chinese day numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        pytest.param("每月十日", 10, id="ten"),
        pytest.param("每月十五日", 15, id="fifteen"),
        pytest.param("每月二十日", 20, id="twenty"),
        pytest.param("每月二十五日", 25, id="twenty-five"),
        pytest.param("每月三十日", 30, id="thirty"),
    ],
)
def test_chinese_day_numbers(text: str, day: int) -> None:
    assert _plain(parse_deadline(text)) == RecurringDeadline(frequency="monthly", day=day)


# --- the exact wording format_deadline writes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "text"),
    [
        # a start on the 1st is the month: "from June 2012"
        pytest.param(
            RecurringDeadline(frequency="monthly", day=30, starts_on=date(2012, 6, 1)),
            "2012年6月起每月30日",
            id="from-a-month",
        ),
        pytest.param(
            RecurringDeadline(frequency="monthly", day=30, starts_on=date(2012, 6, 15)),
            "2012年6月15日起每月30日",
            id="from-a-day",
        ),
        # an end on 31 December is the year: "until 2012"
        pytest.param(
            RecurringDeadline(frequency="monthly", day=30, ends_on=date(2012, 12, 31)),
            "至2012年每月30日",
            id="until-a-year",
        ),
        # an end on a month's last day is the month: "until June 2012"
        pytest.param(
            RecurringDeadline(frequency="monthly", day=30, ends_on=date(2012, 6, 30)),
            "至2012年6月每月30日",
            id="until-a-month",
        ),
        pytest.param(
            RecurringDeadline(frequency="monthly", day=30, ends_on=date(2012, 11, 30)),
            "至2012年11月每月30日",
            id="until-november",
        ),
        pytest.param(
            RecurringDeadline(frequency="monthly", day=30, ends_on=date(2012, 6, 29)),
            "至2012年6月29日每月30日",
            id="until-a-day",
        ),
        # day 31 of every month is its end
        pytest.param(RecurringDeadline(frequency="monthly", day=31), "每月底", id="month-end"),
        pytest.param(RecurringDeadline(frequency="monthly", day=30), "每月30日", id="month-day-30"),
        # the quarter's third month is its last (末月)
        pytest.param(
            RecurringDeadline(frequency="quarterly", month=3, day=25), "每季度末月25日", id="quarter-last-month"
        ),
        pytest.param(
            RecurringDeadline(frequency="quarterly", month=2, day=25), "每季度第2个月25日", id="quarter-second-month"
        ),
        pytest.param(
            RecurringDeadline(frequency="quarterly", month=1, day=10), "每季度第1个月10日", id="quarter-first-month"
        ),
    ],
)
def test_format_deadline_wording(deadline: Deadline, text: str) -> None:
    assert format_deadline(deadline) == text
    assert _plain(parse_deadline(text)) == deadline


# --- why a text is refused -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        pytest.param("", "内容为空", "the text is empty", id="empty"),
        pytest.param("  ", "内容为空", "the text is empty", id="blank"),
        pytest.param(
            "年底前", "缺少年份", "the year is missing (pass default_year for text such as 年底前)", id="no-year"
        ),
        pytest.param("2012年2月30日", "日期不存在", "no such date (day is out of range for month)", id="no-such-day"),
        pytest.param(
            "2012年6月至2012年3月", "时间不合理", "Value error, start_on is after due_on", id="ends-before-it-starts"
        ),
        pytest.param("2012年6月左右", "无法识别", "not a deadline format we know", id="a-word-after-the-date"),
        pytest.param("2012年6月至下周", "无法识别", "not a deadline format we know", id="an-unreadable-end"),
    ],
)
def test_a_refused_deadline_says_why(text: str, zh: str, en: str) -> None:
    with pytest.raises(DeadlineParseError) as info:
        parse_deadline(text)
    assert str(info.value) == f"无法识别完成时限“{text}”：{zh}。Cannot read deadline {text!r}: {en}."
    assert info.value.text == text
    assert info.value.reason == en


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quarter written with an Arabic digit: the second quarter ends on 30 June
        pytest.param("2012年第2季度末", DateDeadline(due_on=date(2012, 6, 30)), id="quarter-digit"),
        # a full stop after the deadline is punctuation
        pytest.param("2012年6月底前。", DateDeadline(due_on=date(2012, 6, 30)), id="full-stop"),
        # the end of a range takes the start's year: 上半年至下半年 is the whole of 2012
        pytest.param(
            "2012年上半年至下半年",
            WindowDeadline(start_on=date(2012, 1, 1), due_on=date(2012, 12, 31)),
            id="halves-one-year",
        ),
        pytest.param(
            "2012年一季度至三季度",
            WindowDeadline(start_on=date(2012, 1, 1), due_on=date(2012, 9, 30)),
            id="quarters-one-year",
        ),
    ],
)
def test_more_fixed_wordings(text: str, expected: Deadline) -> None:
    assert _plain(parse_deadline(text)) == expected


def test_an_open_deadline_note_drops_the_comma_before_the_holiday_clause() -> None:
    # "long-term, (moved past holidays)": the note is 长期, the clause becomes workdays
    assert _plain(parse_deadline("长期，（遇节假日顺延）")) == OpenDeadline(note="长期", workdays=True)
