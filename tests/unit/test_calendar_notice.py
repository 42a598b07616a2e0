"""Reading the State Council's holiday notice. The real notices of 2023–2026 must give exactly the days
chinese-calendar (a dev dependency, kept for this check) holds; the other expectations are read off the texts."""

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from luoshi_tasks.calendar import summarize
from luoshi_tasks.calendar.notice import NoticeUnreadable, parse_notice

NOTICES = Path(__file__).resolve().parents[1] / "fixtures" / "calendar_notices"


def notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def is_workday(parsed, day: date) -> bool:
    listed = {d.date: d.is_workday for d in parsed.days}
    return listed.get(day, day.weekday() < 5)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_past_notices_give_the_days_chinese_calendar_holds(year):
    parsed = parse_notice(notice(year))

    assert parsed.year == year
    day, wrong = date(year, 1, 1), []
    while day.year == year:
        if is_workday(parsed, day) != chinese_calendar.is_workday(day):
            wrong.append(day)
        day += timedelta(days=1)
    assert wrong == []


def test_2026_notice_read_item_by_item():
    parsed = parse_notice(notice(2026))
    off = [d for d in parsed.days if not d.is_workday]
    make_up = [d.date for d in parsed.days if d.is_workday]

    # 元旦 3 + 春节 9 + 清明 3 + 劳动 5 + 端午 3 + 中秋 3 + 国庆 7 days off, six weekend days worked.
    assert len(off) == 33
    assert make_up == [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                       date(2026, 9, 20), date(2026, 10, 10)]  # fmt: skip
    spring = [d.date for d in off if d.name == "春节"]
    assert (spring[0], spring[-1], len(spring)) == (date(2026, 2, 15), date(2026, 2, 23), 9)
    # 9月20日 is listed under 国庆节 in the notice, though it falls before 中秋节.
    assert {d.name for d in parsed.days if d.date == date(2026, 9, 20)} == {"国庆节"}


def test_a_joint_heading_names_its_days_as_the_notice_heads_them():
    parsed = parse_notice(notice(2023))
    names = {d.date: d.name for d in parsed.days}

    assert names[date(2023, 9, 29)] == names[date(2023, 10, 8)] == "中秋节、国庆节"


def test_an_encouraged_day_off_is_still_a_working_day():
    # 2024: "鼓励各单位……安排职工在除夕（2月9日）休息" encourages, it does not give the day.
    parsed = parse_notice(notice(2024))

    assert is_workday(parsed, date(2024, 2, 9))
    assert not is_workday(parsed, date(2024, 2, 10))


def test_days_of_the_year_before_are_read_but_left_out_of_the_year():
    parsed = parse_notice(notice(2023))  # 元旦：2022年12月31日至2023年1月2日

    assert date(2022, 12, 31) in {d.date for d in parsed.days}
    assert [d.date for d in summarize(parsed).days][:2] == [date(2023, 1, 1), date(2023, 1, 2)]
    assert summarize(parsed).holidays[0].first_day_off == date(2022, 12, 31)


def test_a_notice_pasted_as_one_paragraph_without_its_title():
    # 2020's notice as one paragraph; its year is in "现将2020年……". The Spring Festival was extended to
    # 2 February by a later notice; this one still makes Saturday 1 February a working day.
    parsed = parse_notice(notice(2020))

    assert parsed.year == 2020
    assert not is_workday(parsed, date(2020, 1, 24)) and not is_workday(parsed, date(2020, 1, 30))
    assert is_workday(parsed, date(2020, 2, 1)) and is_workday(parsed, date(2020, 1, 19))
    assert [d.date for d in parsed.days if d.name == "国庆节、中秋节" and not d.is_workday][-1] == date(2020, 10, 8)


def test_the_2027_test_notice():
    parsed = parse_notice(notice(2027))

    assert all(not is_workday(parsed, date(2027, 2, n)) for n in range(5, 13))
    assert is_workday(parsed, date(2027, 2, 20))  # a Saturday worked
    assert not is_workday(parsed, date(2027, 6, 9)) and is_workday(parsed, date(2027, 6, 10))


def test_full_width_digits_read_like_ascii():
    text = (
        "国务院办公厅关于２０２６年部分节假日安排的通知\n"
        "一、元旦：１月１日（周四）至３日（周六）放假调休，共３天。１月４日（周日）上班。"
    )

    parsed = parse_notice(text)

    assert [(d.date, d.is_workday) for d in parsed.days] == [
        (date(2026, 1, 1), False), (date(2026, 1, 2), False), (date(2026, 1, 3), False), (date(2026, 1, 4), True)
    ]  # fmt: skip


def test_the_year_may_be_given_when_the_text_lacks_it():
    parsed = parse_notice("一、元旦：1月1日（周五）至3日（周日）放假，共3天。", year=2027)

    assert [d.date for d in parsed.days] == [date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)]


@pytest.mark.parametrize(
    ("text", "year", "words", "line"),
    [
        ("一、元旦：1月1日放假，共1天。", None, "does not say which year", None),
        (notice(2026), 2027, "arranges 2026, not 2027", 1),
        ("2026年安排\n\n国务院办公厅关于2026年部分节假日安排的通知\n没有条目。", None, "No holiday items", None),
        (
            "关于2026年部分节假日安排\n一、元旦：1月1日放假。\n二、春节：2月30日（周一）放假，共1天。",
            None,
            "2026-2-30 is not a date",
            3,
        ),
        ("关于2026年部分节假日安排\n一、元旦：1月1日（周五）放假，共1天。", None, "notice says 周五", 2),
        (
            "关于2026年部分节假日安排\n一、元旦：\n1月1日至3日放假调休，共4天。",
            None,
            "is 3 days, but the notice says 4",
            3,
        ),
        ("关于2026年部分节假日安排\n一、元旦：另行通知。", None, "gives no day off", 2),
    ],
)
def test_unreadable_notices_say_what_and_where(text, year, words, line):
    with pytest.raises(NoticeUnreadable) as caught:
        parse_notice(text, year)

    assert words in str(caught.value)
    assert caught.value.line == line
    assert caught.value.message_zh and (line is None or f"第{line}行" in caught.value.message_zh)
