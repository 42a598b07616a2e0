"""Deadlines and phase windows read from a plan's words: dates inside a cited title are not the task's, a
phrase that reads like a date but is none is passed over, and a phase's name loses its dates."""

from __future__ import annotations

from datetime import date

import pytest

from luoshi_tasks.planparse.schedule import find_deadline, phase_name, phase_window


def deadline_text(text: str) -> str | None:
    found = find_deadline(text, text, None)
    return found.text if found else None


@pytest.mark.parametrize(
    "text",
    [
        "根据《质量发展纲要(2011年一2020年)》要求,2015年底前完成",  # dates in the title are its period
        "《质量发展纲要(2011年一2020年)》要求,2015年底前完成",  # a title opening the text
        "《质量法》和《质量发展纲要(2011年一2020年)》要求,2015年底前完成",  # in the second of two titles
        "按照《质量法》和《质量发展纲要》要求,2015年底前完成",  # after two titles
        "2015年底前完成《质量发展纲要》的各项任务",  # before a title
    ],
)
def test_the_deadline_is_the_first_date_outside_a_cited_title(text: str) -> None:
    assert deadline_text(text) == "2015年底前"


def test_a_date_that_does_not_exist_is_passed_over() -> None:
    assert deadline_text("2012年2月30日前完成摸底,2015年底前完成") == "2015年底前"


@pytest.mark.parametrize(
    ("words", "year", "window"),
    [
        ("2012年3月一2012年12月", None, (date(2012, 3, 1), date(2012, 12, 31), None)),
        ("2015年底前", None, (None, date(2015, 12, 31), None)),
        ("每年9月", 2011, (date(2011, 9, 1), date(2011, 9, 30), "yearly")),  # the first, in the plan's year
        ("2013年起每年9月", 2011, (date(2013, 9, 1), date(2013, 9, 30), "yearly")),  # the first from 2013
        ("每年9月", None, (None, None, "yearly")),  # no year to place it in
        ("每月30日", 2011, (None, None, "monthly")),
    ],
)
def test_phase_window(words: str, year: int | None, window: tuple[date | None, date | None, str | None]) -> None:
    found = find_deadline(words, words, year)
    assert found is not None
    assert phase_window(found.deadline, year) == window


@pytest.mark.parametrize(
    "heading", ["宣传发动阶段2011年2月至2011年11月", "宣传发动阶段(2011年2月至2011年11月)", "宣传发动阶段："]
)
def test_phase_name_without_its_dates_brackets_and_punctuation(heading: str) -> None:
    assert phase_name(heading, find_deadline(heading, heading, None)) == "宣传发动阶段"
