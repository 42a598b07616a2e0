"""A plan's title, document number (文号), issuer and issue date, from its header and signature.

- title: the plan's own title line (no sentence punctuation, ends in 方案/意见/规划/…, not the 关于印发…的通知
  wrapper), the last such line before the body; else the 《…》 name in the wrapper notice; else the X of
  关于印发X的通知; else the first line.
- doc_number: a document number standing on its own line in the header, else the first one in the header
  outside brackets (a cited document's number is inside them); written back with 〔〕 around the year.
- issuer: "X关于印发…" or "X文件" in the header, else a header line that names a government or office,
  else the signature line just before a date at the end.
- issued_on: a date alone on a header line (二〇一二年三月二十七日, 2015年4月9日), else one in the tail.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from luoshi_tasks.planparse.models import PlanMeta
from luoshi_tasks.planparse.outline import ISSUER_LINE
from luoshi_tasks.planparse.patterns import DATE_LINE, DOC_NUMBER, date_from_line
from luoshi_tasks.planparse.text import NormalizedText, Paragraph

_PLAN_WORD = r"(?:方案|意见|规划|计划|办法|细则|要点|措施|决定|纲要|规定|实施方案)"
_TITLE_LINE = re.compile(rf"[^,，。;；:：!?！？]{{4,80}}{_PLAN_WORD}")
_WRAPPER = re.compile(r"(?P<issuer>.*?)关于(?:印发|转发)?(?P<name>.+?)的?通知")
_CITED = re.compile(rf"《(?P<name>[^《》]{{4,80}}{_PLAN_WORD})》")
_ISSUER_PREFIX = re.compile(r"(?P<issuer>[^,，。;；:：]{2,30}?)(?:关于|文件$)")
_SENTENCE = re.compile(r"[,，。；;:：]")


def _is_issuer(s: str) -> bool:
    return bool(ISSUER_LINE.fullmatch(s)) and not _SENTENCE.search(s)


def _title(norm: NormalizedText, header: list[Paragraph]) -> str | None:
    lines = [(norm.para_match(p), norm.para_display(p)) for p in header]
    own = [d for m, d in lines if _TITLE_LINE.fullmatch(m) and not _WRAPPER.fullmatch(m) and not _is_issuer(m)]
    if own:
        return own[-1]
    for m, d in lines:
        if "印发" in m or "转发" in m:
            cited = _CITED.search(m)
            if cited:
                return d[cited.start("name") : cited.end("name")]
    for m, d in lines:
        wrapper = _WRAPPER.fullmatch(m)
        if wrapper:
            return d[wrapper.start("name") : wrapper.end("name")]
    return lines[0][1] if lines and len(lines[0][0]) <= 80 else None


def _doc_number(norm: NormalizedText, header: list[Paragraph]) -> str | None:
    found = None
    for p in header:
        m = norm.para_match(p)
        whole = DOC_NUMBER.fullmatch(m)
        if whole:
            found = whole
            break
        if found is None:
            for candidate in DOC_NUMBER.finditer(m):
                if m.count("(", 0, candidate.start()) <= m.count(")", 0, candidate.start()):
                    found = candidate
                    break
    if found is None:
        return None
    return f"{found.group('org')}〔{found.group('year')}〕{found.group('no')}号"


def _issuer(norm: NormalizedText, header: list[Paragraph], tail: list[Paragraph]) -> str | None:
    for p in header:
        m, d = norm.para_match(p), norm.para_display(p)
        prefix = _ISSUER_PREFIX.match(m)
        if prefix and _is_issuer(m[: prefix.end("issuer")]):
            return d[: prefix.end("issuer")]
        if _is_issuer(m) and not DOC_NUMBER.search(m):
            return d
    for before, p in pairwise(tail):
        signed = DATE_LINE.fullmatch(norm.para_match(p))
        if signed and not signed.group("printed") and _is_issuer(norm.para_match(before)):
            return norm.para_display(before)
    return None


def _date(norm: NormalizedText, paragraphs: list[Paragraph]) -> date | None:
    for p in paragraphs:
        m = DATE_LINE.fullmatch(norm.para_match(p))
        if m:
            try:
                return date(*date_from_line(m))
            except ValueError:
                continue
    return None


def read_metadata(norm: NormalizedText, header: list[Paragraph], tail: list[Paragraph]) -> PlanMeta:
    return PlanMeta(
        title=_title(norm, header),
        doc_number=_doc_number(norm, header),
        issuer=_issuer(norm, header, tail),
        issued_on=_date(norm, header) or _date(norm, tail),
    )
