"""Shapes of lines that plans share: numbering markers (一、 （一） 1. （1） ①), Chinese numerals, dates,
document numbers, labels and leading-group entries.

Patterns run on the *matching* form of the text (see `text.py`): simplified characters, full-width punctuation
folded to ASCII, so `（一）` arrives as `(一)` and `1．` as `1.`; single spaces between Chinese characters are gone.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
CN_NUMERAL = "〇零一二三四五六七八九十两"

# The rank of each marker style: a lower rank holds the higher ones (一、 > (一) > 1. > (1) > ①).
# "一、二、三产业" at a line start is an enumeration, not item 一.
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})[、.](?![一二三四五六七八九十]{1,3}[、,])")),
    (1, re.compile(r"\((?P<n>[一二三四五六七八九十]{1,3})\)")),
    (2, re.compile(r"(?P<n>\d{1,2})(?:、|\.(?!\d))")),
    (3, re.compile(r"\((?P<n>\d{1,2})\)")),
    (3, re.compile(r"(?P<n>\d{1,2})\)")),
    (4, re.compile(r"(?P<n>[①-⑳])")),
)


ARABIC_RANK = 2
"""The rank of `1.` markers."""
_SEQUEL = re.compile(r"(?P<n>\d{1,2})\.(?=\d+(?![\d.%％亿万千百元倍个项名家次吨米岁年月日]))")
"""`11.121人才…`; not `2.5亿元` (a quantity) nor `3.2%`."""


class Marker(NamedTuple):
    rank: int
    value: int
    end: int
    """Where the marker ends (the item's words begin)."""


def cn_int(t: str) -> int:
    """一 -> 1, 十一 -> 11, 二十七 -> 27, 一二 -> 12 (digit by digit when there is no 十)."""
    if "十" not in t:
        value = 0
        for c in t:
            value = value * 10 + _CN_DIGIT[c]
        return value
    tens, _, units = t.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _value(raw: str) -> int:
    if raw.isascii() and raw.isdigit():
        return int(raw)
    if len(raw) == 1 and "①" <= raw <= "⑳":
        return ord(raw) - ord("①") + 1
    return cn_int(raw)


def marker_at(s: str, pos: int = 0) -> Marker | None:
    """The numbering marker starting exactly at `pos`, if any."""
    for rank, pattern in _MARKERS:
        m = pattern.match(s, pos)
        if m is not None:
            return Marker(rank, _value(m.group("n")), m.end())
    return None


def sequel_marker_at(s: str, pos: int, expected: int) -> Marker | None:
    """A `1.`-style marker directly followed by digits (11.121人才…) at `pos`, taken only when its number is
    `expected` (the one after the item before)."""
    m = _SEQUEL.match(s, pos)
    if m is None or int(m.group("n")) != expected:
        return None
    return Marker(ARABIC_RANK, expected, m.end())


# Paragraph starts that are never the continuation of the line before (see `text.py` joining).
LABEL_START = re.compile(
    r"(?:附件|抄送|主题词|关键词|组长|副组长|常务副组长|成员|组员|上一篇|下一篇"
    r"|(?:责任|牵头|配合|协办)(?:单位|部门) ?:)"
)
_CN_YEAR = r"[〇零一二三四五六七八九]{4}"
_CN_SMALL = r"[一二三四五六七八九十]{1,3}"
DATE_LINE = re.compile(
    rf"(?P<y>\d{{4}}|{_CN_YEAR})年(?P<m>\d{{1,2}}|{_CN_SMALL})月(?P<d>\d{{1,2}}|{_CN_SMALL})日(?P<printed>印发|发布)?"
)
"""A date standing alone on its line: the issue date (二〇一二年三月二十七日, 2015年4月9日, …印发)."""

DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,12}?) ?[〔\[(【〖「] ?(?P<year>\d{4}) ?[〕\])】〗」] ?(?P<no>\d{1,5}) ?号"
)
"""A document number (文号) with any bracket plans use around the year: 夏政〔2015〕29号, 冀政办函[2012]28号."""

PERSON = re.compile(r"(?P<name>[\u4e00-\u9fff·]{2,4}?)(?:同志)?\((?P<title>[^()]*(?:\([^()]*\)[^()]*)*)\)")
"""A leading-group entry: a person and, in brackets, their posts (张新民(县质监局局长))."""

ROLE_LABEL = re.compile(r"(?P<role>常务副组 ?长|副组 ?长|组 ?长|成 ?员|组 ?员|副秘书长|秘书长|顾问) ?:?")
"""The role in front of leading-group entries (组 长：, 成员:); a line without one continues the last role."""

PERSON_LINE = re.compile(rf"(?:{ROLE_LABEL.pattern})?(?:{PERSON.pattern}[、,;]?)+")
TABLE_ROW = re.compile(r"(?P<name>[\u4e00-\u9fff·]{2,4}) (?P<title>\S.*)")
"""A leading-group row copied from a table: name, a wide gap (kept as one space), posts."""


def date_from_line(m: re.Match[str]) -> tuple[int, int, int]:
    """Year, month, day of a DATE_LINE match (Chinese numerals or digits)."""
    return _value(m.group("y")), _value(m.group("m")), _value(m.group("d"))
