"""A plan's title, document number, issuer and issue date, each from the first place the header (or the
signature) states it, in the order the reading rules give."""

from __future__ import annotations

from datetime import date

import pytest

from luoshi_tasks.planparse import parse_plan
from luoshi_tasks.planparse.models import PlanMeta

BODY = "一、主要任务\n（一）开展质量提升行动。"


def meta(header: str, tail: str = "") -> PlanMeta:
    return parse_plan(f"{header}\n{BODY}\n{tail}").plan


# --- title ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "title"),
    [
        # the plan's own title line, the last one before the body, not the wrapper notice nor the issuer
        ("某县人民政府\n关于印发某县质量强县工作方案的通知\n某县质量强县工作方案", "某县质量强县工作方案"),
        ("某县质量强县工作方案\n某县质量强县实施方案", "某县质量强县实施方案"),
        # else the 《》 name in the wrapper notice
        ("关于印发方案的通知\n现将《某县质量强县工作方案》印发给你们，请认真贯彻执行。", "某县质量强县工作方案"),
        # a 《》 name in a line that prints nothing is a cited document, not the plan
        ("关于印发方案的通知\n根据《某省质量发展规划》，结合实际。", "方案"),
        ("关于转发《某省质量工作方案》的通知", "某省质量工作方案"),  # forwarded as well as printed
        # else the X of 关于印发X的通知
        ("关于印发某县质量强县工作方案的通知", "某县质量强县工作方案"),
        # else the first line
        ("某县质量工作情况，供参考", "某县质量工作情况，供参考"),
    ],
)
def test_title(header: str, title: str) -> None:
    assert meta(header).title == title


def test_no_title_from_a_first_line_longer_than_80_characters() -> None:
    assert meta("质" * 81).title is None
    assert meta("质" * 80).title == "质" * 80


# --- document number -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "number"),
    [
        ("夏政〔2015〕3号", "夏政〔2015〕3号"),
        ("冀政办函[2012]28号", "冀政办函〔2012〕28号"),  # written back with 〔〕
        # a number standing alone wins over one in a sentence before it
        ("根据夏政〔2014〕1号文件精神\n夏政〔2015〕3号", "夏政〔2015〕3号"),
        # in a sentence, the first one outside brackets: the one in brackets is a cited document's
        ("根据《方案》（夏政〔2014〕1号），夏政〔2015〕3号", "夏政〔2015〕3号"),
        ("文号：夏政〔2014〕1号，夏政〔2015〕3号", "夏政〔2014〕1号"),
        ("夏政〔2015〕3号（代）", "夏政〔2015〕3号"),  # a bracket after the number does not put it inside
        ("(夏政〔2014〕1号)夏政〔2015〕3号", "夏政〔2015〕3号"),  # a bracket opening the line does
    ],
)
def test_document_number(header: str, number: str) -> None:
    assert meta(header).doc_number == number


def test_no_document_number() -> None:
    assert meta("某县质量强县工作方案").doc_number is None


# --- issuer ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "tail", "issuer"),
    [
        ("某县人民政府关于印发某县质量强县工作方案的通知", "", "某县人民政府"),
        ("某县人民政府办公室文件\n夏政办〔2015〕3号", "", "某县人民政府办公室"),
        ("某县质量强县工作方案\n某县人民政府", "", "某县人民政府"),
        # a line with a document number in it is not the issuer's name
        ("某县人民政府夏政〔2015〕3号\n某县质量强县工作方案", "", None),
        # else the signature just above the date at the end, unless the date is a printing date
        ("某县质量强县工作方案", "某县人民政府\n2015年4月9日", "某县人民政府"),
        ("某县质量强县工作方案", "某县人民政府办公室\n2015年4月9日印发", None),
    ],
)
def test_issuer(header: str, tail: str, issuer: str | None) -> None:
    assert meta(header, tail).issuer == issuer


# --- issue date ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "tail", "issued_on"),
    [
        ("某县质量强县工作方案\n二〇一二年三月二十七日", "", date(2012, 3, 27)),
        ("某县质量强县工作方案\n2015年4月9日", "某县人民政府\n2015年5月1日", date(2015, 4, 9)),  # the header's first
        ("某县质量强县工作方案", "某县人民政府\n2015年5月1日", date(2015, 5, 1)),  # else the tail's
        ("某县质量强县工作方案\n2015年2月30日", "某县人民政府\n2015年5月1日", date(2015, 5, 1)),  # no such day
        ("某县质量强县工作方案\n2015年2月30日\n2015年4月9日", "", date(2015, 4, 9)),  # the next one that is
        ("某县质量强县工作方案", "", None),
    ],
)
def test_issue_date(header: str, tail: str, issued_on: date | None) -> None:
    assert meta(header, tail).issued_on == issued_on
