"""Who carries a task out: the responsibility clause a plan puts after it, and units named as headings.

Forms read (on the matching text, punctuation folded):
- a trailing bracket with labels: (责任单位:A、B、C), (牵头单位:A;配合单位:B、C);
- a trailing bracket listing only unit-looking names: (A、B、C);
- a trailing sentence or paragraph with labels and no bracket: 责任单位:A、B。

Lead and cooperating units: 牵头 (lead) units lead and 配合/协办/参与 units cooperate, with any 责任 units
cooperating too; where only 责任单位 (or a bare list) is given, the first unit listed leads and the rest
cooperate; 责任单位 beside 配合单位 all lead. Names keep the document's wording (simplified characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luoshi_tasks.naming import split_unit_list

_LEAD = ("牵头单位", "牵头部门", "主办单位", "主责单位", "牵头")
_COOPERATE = ("配合单位", "配合部门", "协办单位", "协办部门", "参与单位", "参与部门", "协助单位", "协作单位")
_RESPONSIBLE = ("责任单位", "责任部门", "责任主体", "落实单位", "承办单位", "主体责任")
_LABEL = re.compile(rf"(?P<label>{'|'.join(sorted(_LEAD + _COOPERATE + _RESPONSIBLE, key=len, reverse=True))}) ?:")
_CLAUSE_START = re.compile(rf"(?:^|(?<=[\n。;.!?]))(?:{_LABEL.pattern})")
_TRAILING = frozenset("。.;；,，、 \n")

UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|厅|部|院|所|站|队|处|科|室|署|庭|中心|政府|委员会|管委会|办公室|协会|学会|商会|联合会|联社|"
    r"公司|集团|企业|单位|部门|银行|街道|乡镇|镇|乡|村|社区|学校|大学|医院|电视台|报社|社|会|小组|分局|海关)$"
)
_LEVEL_PREFIX = re.compile(r"各?[\u4e00-\u9fff]{0,6}[省市县区乡镇]")
"""A fragment such as 各市 in "各市、县(市、区)政府": the levels of the unit that follows, not a unit."""
_NOT_A_UNIT = re.compile(r"\d|%|年|。|:")
_VERB_START = re.compile(
    r"(?:加强|加快|建立|健全|推进|推动|完善|实施|开展|提高|提升|强化|做好|落实|促进|组织|深化|积极|大力|着力|"
    r"全面|严格|坚持|明确|制定|培育|发挥|营造|创新|召开|成立|召集)"
)
_HEADING_UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|厅|政府|中心|管委会|委员会|办公室|分局|公司|街道|乡镇|部门|单位|集团|协会|银行)$"
)
_DUTY_WORDS = re.compile(r"(?:的?(?:主要|工作)?职责|负责)$")


@dataclass
class Responsibility:
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    start: int = 0
    """Where the clause begins in the text searched (the body ends there)."""


def looks_like_unit(name: str) -> bool:
    return 2 <= len(name) <= 30 and bool(UNIT_SUFFIX.search(name)) and not _NOT_A_UNIT.search(name)


def units_in(cell: str) -> list[str]:
    """Unit names of a list, a level prefix joined to the unit after it: 各市、县(市、区)政府 is one."""
    items = split_unit_list(cell)
    out: list[str] = []
    carry = ""
    for k, item in enumerate(items):
        name = f"{carry}、{item}" if carry else item
        if _LEVEL_PREFIX.fullmatch(item) and k < len(items) - 1:
            carry = name
            continue
        carry = ""
        out.append(name)
    return out


def heading_unit(heading: str) -> str | None:
    """The unit an item's heading names when the item lists that unit's duties: （二）市商务局。 / 县质监局职责:"""
    name = _DUTY_WORDS.sub("", heading.strip(" :;,"))
    if not (2 <= len(name) <= 20) or _VERB_START.match(name) or re.search(r"[,、;，；]", name):
        return None
    return name if _HEADING_UNIT_SUFFIX.search(name) and not _NOT_A_UNIT.search(name) else None


def _assign(labelled: list[tuple[str, list[str]]]) -> tuple[list[str], list[str]]:
    lead = [u for label, units in labelled if label in _LEAD for u in units]
    cooperate = [u for label, units in labelled if label in _COOPERATE for u in units]
    responsible = [u for label, units in labelled if label in _RESPONSIBLE for u in units]
    if lead:
        cooperate += responsible
    elif cooperate:
        lead = responsible
    else:
        lead, cooperate = responsible[:1], responsible[1:]
    lead = list(dict.fromkeys(lead))
    return lead, [u for u in dict.fromkeys(cooperate) if u not in lead]


def _labelled(match: str, display: str, start: int, end: int) -> list[tuple[str, list[str]]]:
    labels = list(_LABEL.finditer(match, start, end))
    out = []
    for k, m in enumerate(labels):
        value_end = labels[k + 1].start() if k + 1 < len(labels) else end
        out.append((m.group("label"), units_in(display[m.end() : value_end])))
    return out


def _matching_open(s: str, close: int) -> int | None:
    depth = 0
    for k in range(close, -1, -1):
        if s[k] == ")":
            depth += 1
        elif s[k] == "(":
            depth -= 1
            if depth == 0:
                return k
    return None


def find_responsibility(match: str, display: str) -> Responsibility | None:
    """The responsibility clause at the end of an item's text (`match` and `display` of equal length)."""
    end = len(match)
    while end and match[end - 1] in _TRAILING:
        end -= 1
    if end and match[end - 1] == ")":
        open_at = _matching_open(match, end - 1)
        if open_at is not None:
            inner_start = open_at + 1
            while inner_start < end and match[inner_start] == " ":
                inner_start += 1
            if _LABEL.match(match, inner_start):
                lead, cooperate = _assign(_labelled(match, display, inner_start, end - 1))
                return Responsibility(lead, cooperate, open_at)
            units = units_in(display[inner_start : end - 1])
            if units and ":" not in match[inner_start : end - 1] and all(looks_like_unit(u) for u in units):
                return Responsibility(units[:1], units[1:], open_at)
    clauses = list(_CLAUSE_START.finditer(match, 0, end))
    if not clauses:
        return None
    # the last sentence's clause, with the labelled parts ';' joins to it: 牵头单位:A;责任单位:B is one clause
    k = len(clauses) - 1
    while k and not re.search(r"[\n。.!?]", match[clauses[k - 1].start() : clauses[k].start()]):
        k -= 1
    clause = clauses[k]
    lead, cooperate = _assign(_labelled(match, display, clause.start(), end))
    return Responsibility(lead, cooperate, clause.start()) if lead or cooperate else None
