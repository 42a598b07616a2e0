"""A plan's text made regular for reading, with a map back to the characters of the original.

Two parallel strings of equal length come out, paragraphs separated by "\\n":

- `display`: simplified characters, punctuation as the document wrote it — what the draft shows;
- `match`: the same with full-width forms folded to ASCII (（ -> (, ： -> :, ； -> ;, ， -> ,, １ -> 1), for patterns.

`origin[i]` is the index in the original text of `display[i]`, so any range found here maps back exactly
(`original_span`). Traditional characters are converted line by line when that keeps the length (it always
has in practice), else character by character, so positions never drift.

Lines are joined into paragraphs the way a reader would: a line break in the middle of a sentence (web and
PDF copies break lines anywhere, even with a blank line between) is not a paragraph break, while a line that
starts with a numbering marker, a label (组长:, 附件) or a date is. Single spaces between Chinese characters
(组 长, 陈 斌) are dropped; a wide gap (tab, ideographic space, several spaces: table cells) stays as one space.
Web-page furniture (时间:2022-08-10 01:29:11, 上一篇/下一篇) is dropped.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache

import opencc

from luoshi_tasks.planparse.patterns import (
    DATE_LINE,
    DOC_NUMBER,
    LABEL_START,
    PERSON_LINE,
    ROLE_LABEL,
    TABLE_ROW,
    marker_at,
)

_T2S = opencc.OpenCC("t2s")
_FOLD = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    | {"﹙": "(", "﹚": ")", "﹕": ":", "﹔": ";", "﹐": ",", "〜": "~", "\u3000": " "}
)
_GAP = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
"""Whitespace and the invisible characters (zero-width space, BOM, soft hyphen) copies carry."""
_LINE = re.compile(r"[^\n\r\v\f\x85\u2028\u2029]+")
_JUNK = re.compile(
    r"(?:发布)?(?:时间|日期) ?: ?\d{4}[-/.]\d|(?:来源|作者|浏览次数|点击数|阅读次数|字号|责任编辑|编辑) ?:"
    r"|上一篇|下一篇|【?(?:打印|关闭|收藏)(?:本页|窗口)?】|分享到"
)
_SENTENCE_PUNCT = frozenset("，。、；：,;:！？!?")
_ENDS_SENTENCE = frozenset("。！？!?；;：:…")
_MID_CLAUSE = frozenset("，、,(（“‘《〔[【-—")
_LONG_LINE = 50
"""A line this long that ends without punctuation is body text cut by the page width, not a heading."""
_WRAP_MIN_LINES = 3
_WRAP_MIN_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int


@dataclass(frozen=True)
class NormalizedText:
    original: str
    display: str
    match: str
    origin: array
    paragraphs: tuple[Paragraph, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The [start, end) range of the original text that display[start:end] came from."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def para_match(self, p: Paragraph) -> str:
        return self.match[p.start : p.end]

    def para_display(self, p: Paragraph) -> str:
        return self.display[p.start : p.end]


@lru_cache(maxsize=8192)
def _char_t2s(ch: str) -> str:
    out = _T2S.convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(s: str) -> str:
    """Simplified characters, same length as `s` (phrase conversion where it keeps the length)."""
    if s.isascii():
        return s
    out = _T2S.convert(s)
    return out if len(out) == len(s) else "".join(_char_t2s(c) for c in s)


def fold(s: str) -> str:
    """Full-width forms to ASCII (no length change)."""
    return s.translate(_FOLD)


class _Line:
    __slots__ = ("display", "match", "origin")

    def __init__(self, display: str, match: str, origin: list[int]) -> None:
        self.display, self.match, self.origin = display, match, origin


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _clean_line(raw: str, base: int) -> _Line | None:
    """One line, simplified and folded, without the spaces a reader would not see; None if empty or junk."""
    simple = to_simplified(raw)
    folded = fold(simple)
    display: list[str] = []
    match: list[str] = []
    origin: list[int] = []

    def keep(a: int, b: int) -> None:
        display.append(simple[a:b])
        match.append(folded[a:b])
        origin.extend(range(base + a, base + b))

    pos, n = 0, len(raw)
    for gap in _GAP.finditer(folded):
        a, b = gap.span()
        if a > pos:
            keep(pos, a)
        pos = b
        run = raw[a:b]
        if not match or b == n or not any(c.isspace() for c in run):
            continue  # leading, trailing, or only zero-width characters
        wide = "\t" in run or "\u3000" in run or sum(c.isspace() for c in run) >= 2
        if wide or (_is_ascii_word(match[-1][-1]) and _is_ascii_word(folded[b])):
            display.append(" ")
            match.append(" ")
            origin.append(base + a)
    if pos < n:
        keep(pos, n)
    if not match:
        return None
    line = _Line("".join(display), "".join(match), origin)
    return None if _JUNK.match(line.match) else line


def _stands_alone(m: str) -> bool:
    """A line that always starts a paragraph: numbered item, label, date, document number, group member."""
    return bool(
        marker_at(m)
        or LABEL_START.match(m)
        or ROLE_LABEL.match(m)
        or DATE_LINE.fullmatch(m)
        or DOC_NUMBER.fullmatch(m)
        or PERSON_LINE.fullmatch(m)
        or TABLE_ROW.fullmatch(m)
    )


def _closes_sentence(last_line: str) -> bool:
    """A line ending in ")" ends its paragraph when the bracket follows a full stop ("…保障。(责任单位:…)")
    or the line is a leading-group entry ("陈斌(县政府党组成员)"); "企业(单位)" mid-sentence does not."""
    depth = 0
    for k in range(len(last_line) - 1, -1, -1):
        c = last_line[k]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                return k == 0 or last_line[k - 1] in _ENDS_SENTENCE or bool(PERSON_LINE.fullmatch(last_line))
    return False


def _wrap_width(lines: list[_Line]) -> int:
    """The page width of a PDF-like copy: the usual length of lines that stop mid-sentence, if one stands out.

    A line at least that long is cut by the width even when it has no punctuation of its own; without such a
    width, only lines of `_LONG_LINE` characters are."""
    counts: dict[int, int] = {}
    total = 0
    for line in lines:
        m = line.match
        if len(m) >= 10 and m[-1] not in _ENDS_SENTENCE and m[-1] != ")" and any(c in _SENTENCE_PUNCT for c in m):
            counts[len(m)] = counts.get(len(m), 0) + 1
            total += 1
    if not counts:
        return _LONG_LINE
    # lengths within one character of each other: a digit or a Latin letter is narrower than a Chinese character
    width, hits = max(
        ((n, counts.get(n - 1, 0) + counts[n] + counts.get(n + 1, 0)) for n in counts), key=lambda p: p[1]
    )
    if hits >= _WRAP_MIN_LINES and hits >= total * _WRAP_MIN_SHARE:
        return min(width - 2, _LONG_LINE)
    return _LONG_LINE


class _Builder:
    """Collects lines into paragraphs and the paragraphs into the two strings and the offset map."""

    def __init__(self, wrap_width: int = _LONG_LINE) -> None:
        self.wrap_width = wrap_width
        self.display: list[str] = []
        self.match: list[str] = []
        self.origin = array("q")
        self.paragraphs: list[Paragraph] = []
        self.start = 0
        self.length = 0
        self.punctuated = False
        self.last_line = ""

    def _append(self, display: str, match: str, origin: list[int] | array) -> None:
        self.display.append(display)
        self.match.append(match)
        self.origin.extend(origin)
        self.length += len(match)

    def _open(self) -> bool:
        """Whether the paragraph so far stops in the middle of a sentence."""
        last = self.last_line[-1]
        if last in _MID_CLAUSE:
            return True
        if last in _ENDS_SENTENCE or (last == ")" and _closes_sentence(self.last_line)):
            return False
        return self.punctuated or self.length - self.start >= self.wrap_width

    def add(self, line: _Line) -> None:
        if self.paragraphs or self.length > self.start:
            joined = self.length > self.start and self._open()
            if joined and _stands_alone(line.match) and self.last_line[-1] not in _MID_CLAUSE:
                joined = False
            if joined:
                if _is_ascii_word(self.last_line[-1]) and _is_ascii_word(line.match[0]):
                    self._append(" ", " ", [self.origin[-1] + 1])
            else:
                self.close()
                self._append("\n", "\n", [self.origin[-1] + 1])
                self.start = self.length
                self.punctuated = False
        self._append(line.display, line.match, line.origin)
        marker = marker_at(line.match)
        words = line.match[marker.end :] if marker else line.match
        self.punctuated = self.punctuated or any(c in _SENTENCE_PUNCT for c in words)
        self.last_line = line.match

    def close(self) -> None:
        if self.length > self.start:
            self.paragraphs.append(Paragraph(self.start, self.length))


def normalize(text: str) -> NormalizedText:
    lines = [line for m in _LINE.finditer(text) if (line := _clean_line(m.group(), m.start())) is not None]
    builder = _Builder(_wrap_width(lines))
    for line in lines:
        builder.add(line)
    builder.close()
    return NormalizedText(
        original=text,
        display="".join(builder.display),
        match="".join(builder.match),
        origin=builder.origin,
        paragraphs=tuple(builder.paragraphs),
    )
