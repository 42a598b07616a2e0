"""Task numbers as offices write them, and which row each one hangs under.

Levels, outermost first: 一、 > （一） > 1. / 1、 / 1 (and dotted 1.2, 1.2.3 under them) > （1） > ①.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_CN = "[一二三四五六七八九十百千零〇]+"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Matched against the NFKC form with whitespace removed, so "（一）", "(一)" and "１．" all count.
_LEVELS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(rf"^{_CN}[、.,]?$"), 1.0),
    (re.compile(rf"^\({_CN}\)[、.]?$"), 2.0),
    (re.compile(r"^\d+[、.]?$"), 3.0),
    (re.compile(r"^\(\d+\)[、.]?$"), 4.0),
)
_DOTTED = re.compile(r"^(\d+(?:\.\d+)+)\.?$")

# A number written at the start of the task text instead of in the 序号 column: "一、全面提升质量管理水平".
# The number must be followed by a separator, so "2015年…" or "1.5万元…" are left alone.
_PREFIXES: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^({_CN})\s*[、.．]\s*(\S.*)$", re.S),
    re.compile(rf"^([（(]\s*{_CN}\s*[）)])\s*[、.．]?\s*(\S.*)$", re.S),
    re.compile(r"^([0-9０-９]+(?:[.．][0-9０-９]+)+)(?:[、.．]\s*|\s+)(\S.*)$", re.S),
    re.compile(r"^([0-9０-９]+)\s*[、.．](?![0-9０-９])\s*(\S.*)$", re.S),
    re.compile(r"^([（(]\s*[0-9０-９]+\s*[）)])\s*[、.．]?\s*(\S.*)$", re.S),
    re.compile(rf"^([{_CIRCLED}])\s*[、.．]?\s*(\S.*)$", re.S),
)


def _folded(number: str) -> str:
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", number))


def number_level(number: str | None) -> float | None:
    """The nesting level of a task number (1 outermost), or None when it is not a numbering we know."""
    if not number:
        return None
    if number.strip()[:1] in _CIRCLED and len(number.strip().rstrip("、.．")) == 1:
        return 5.0  # checked before folding: NFKC turns ① into 1
    folded = _folded(number)
    for pattern, level in _LEVELS:
        if pattern.match(folded):
            return level
    dotted = _DOTTED.match(folded)
    if dotted:
        return 3.0 + 0.1 * dotted.group(1).count(".")
    return None


def split_number_prefix(text: str) -> tuple[str, str] | None:
    """("一", "全面提升质量管理水平") for "一、全面提升质量管理水平"; None if no number leads the text."""
    for pattern in _PREFIXES:
        m = pattern.match(text)
        if m:
            return m.group(1).strip(), m.group(2).strip()
    return None


def parent_indexes(numbers: Sequence[str | None]) -> list[int | None]:
    """For each number, the index of the nearest row above it at a higher level, or None.

    A dotted number sits one level below its prefix ("1.2" under "1", "1.2.3" under "1.2"). Rows with no
    number, or one we cannot read, get None and are nobody's parent.
    """
    out: list[int | None] = []
    stack: list[tuple[float, int]] = []  # open ancestors, levels strictly increasing
    for i, number in enumerate(numbers):
        level = number_level(number)
        if level is None:
            out.append(None)
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        out.append(stack[-1][1] if stack else None)
        stack.append((level, i))
    return out


def parent_numbers(numbers: Iterable[str | None]) -> list[str | None]:
    """For each number, the number (as written) of its parent row; see `parent_indexes`."""
    numbers = list(numbers)
    return [None if i is None else numbers[i] for i in parent_indexes(numbers)]
