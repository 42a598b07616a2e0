"""Who carries a task out: the responsibility clause a plan puts after it, and units named as headings.

Forms read (on the matching text, punctuation folded):
- a trailing bracket with labels: (责任单位:A、B、C), (牵头单位:A;配合单位:B、C); other labelled fields in it
  end a unit list (完成时限:2026年12月底前 is the deadline, 责任领导:姓名 a person, never a unit);
- a trailing bracket whose parts close with what the units do: (A、B负责), (A、B等负责), (A、B牵头负责),
  (A、B指导), (X牵头,Y参与), (X、Y牵头,Z按职责分工负责), (A、B等和各有关省级人民政府负责); a note after a full
  stop inside it (以下均需…,不再列出) is not read;
- a trailing bracket listing only unit-looking names: (A、B、C);
- a trailing sentence or paragraph with labels and no bracket: 责任单位:A、B。

`closing_clauses` finds every bracket that closes a sentence with units, for items whose sentences or
paragraphs each name their own (the parser makes each a child task).

Lead and cooperating units: 牵头 (lead) units lead and 配合/协办/参与 units cooperate, with any 责任 units
cooperating too; where only 责任单位 (or a bare list) is given, the first unit listed leads and the rest
cooperate; 责任单位 beside 配合单位 all lead. In the verb form 牵头 leads, 参与/配合/协助 cooperate and 负责/指导
are answerable as 责任单位 are. Names keep the document's wording (simplified characters), a trailing 等
dropped, a suffix the last name shares written out (经开区、万宝新区管委会 is 经开区管委会 and 万宝新区管委会).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luoshi_tasks.naming import split_unit_list

_LEAD = ("牵头单位", "牵头部门", "主办单位", "主责单位", "牵头")
_COOPERATE = ("配合单位", "配合部门", "协办单位", "协办部门", "参与单位", "参与部门", "协助单位", "协作单位")
_RESPONSIBLE = ("责任单位", "责任部门", "责任主体", "落实单位", "承办单位", "主体责任")
_LABEL = re.compile(rf"(?P<label>{'|'.join(sorted(_LEAD + _COOPERATE + _RESPONSIBLE, key=len, reverse=True))}) ?:")
_PERSON_LABEL = ("责任领导", "分管领导", "牵头领导", "责任人")
_DEADLINE_LABEL = ("完成时限", "完成时间", "时间节点", "时间要求", "时限要求", "进度要求", "完成期限", "时限")
_OTHER_LABEL = re.compile(rf"(?P<other>{'|'.join(sorted(_PERSON_LABEL + _DEADLINE_LABEL, key=len, reverse=True))}) ?:")
"""Fields written beside the units that end a unit list: a person (责任领导:姓名), a deadline (完成时限:…)."""
_CLAUSE_START = re.compile(rf"(?:^|(?<=[\n。;.!?]))(?:{_LABEL.pattern}|{_OTHER_LABEL.pattern})")

TRAILING = frozenset("。.;；,，、 \n")

UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|厅|部|院|所|站|队|处|科|室|署|庭|中心|政府|委员会|管委会|办公室|协会|学会|商会|联合会|联社|"
    r"公司|集团|企业|单位|部门|银行|街道|乡镇|镇|乡|村|社区|学校|大学|医院|电视台|报社|社|会|小组|分局|海关)$"
)
_LEVEL_PREFIX = re.compile(r"各?[\u4e00-\u9fff]{0,6}[省市县区乡镇]")
"""A fragment such as 各市 in "各市、县(市、区)政府": the levels of the unit that follows (itself starting with a
level), not a unit."""
_LEVELS = frozenset("省市县区乡镇")
_NOT_A_UNIT = re.compile(r"\d|%|年|。|:")
_DATE_WORDS = re.compile(r"年|月|日|底前|前完成|长期|持续")
_VERB_START = re.compile(
    r"(?:加强|加快|建立|健全|推进|推动|完善|实施|开展|提高|提升|强化|做好|落实|促进|组织|深化|积极|大力|着力|"
    r"全面|严格|坚持|明确|制定|培育|发挥|营造|创新|召开|成立|召集)"
)
_HEADING_UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|厅|政府|中心|管委会|委员会|办公室|分局|公司|街道|乡镇|部门|单位|集团|协会|银行)$"
)
_DUTY_WORDS = re.compile(r"(?:的?(?:主要|工作)?职责|负责)$")
_WORD_NOT_UNIT = re.compile(
    r"(?:布局|格局|大局|全局|开局|结局|当局|变局|新局|举办|创办|兴办|督办|代办|包办|试办|内部|外部|全部|局部|"
    r"东部|西部|中部|南部|北部|顶部|底部|大厅|展厅|服务中心建设|为中心|重心|核心)$"
)
"""Words that end in a unit's character and are no unit: 优化农机装备产业结构布局 ends in 局."""


@dataclass
class Responsibility:
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    start: int = 0
    """Where the clause begins in the text searched (the body ends there)."""
    end: int = 0
    """Where it ends (after its closing bracket)."""
    person: str | None = None
    """A named leader written with the units (责任领导:张三): a person, never a unit."""
    deadline: tuple[int, int] | None = None
    """[start, end) of a deadline field written with the units (完成时限:2026年12月底前)."""


_COLLECTIVE = re.compile(r"^各|(?:有关|相关|成员|所属|直属)(?:单位|部门)$|^(?:市|县|区|省)直(?:各|有关)")


def is_collective(name: str) -> bool:
    """A name for many units at once: 各县市区人民政府, 各区、县级市, 市直有关单位, 领导小组各成员单位."""
    return bool(_COLLECTIVE.search(name))


def looks_like_unit(name: str) -> bool:
    return 2 <= len(name) <= 30 and bool(UNIT_SUFFIX.search(name)) and not _NOT_A_UNIT.search(name)


_SHARED_SUFFIX = re.compile(r"(?:管委会|人民政府|政府|党工委|党委|办事处|工作委员会)$")
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,10}(?:新区|开发区|园区|经开区|高新区|区|县|市|镇|乡|街道)")
_AND_MORE = re.compile(r"等(?:单位|部门)?(?:和|及|以及|与)")
"""A list closed by 等 and then a collective: A、B等和各有关省级人民政府 is A、B、各有关省级人民政府."""


def units_in(cell: str) -> list[str]:
    """Unit names of a list, a level prefix joined to the unit after it: 各市、县(市、区)政府 is one; a suffix
    the last name shares written out on the places before it: 经开区、万宝新区管委会 is two 管委会."""
    items = split_unit_list(_AND_MORE.sub("、", cell))
    out: list[str] = []
    carry = ""
    for k, item in enumerate(items):
        name = f"{carry}、{item}" if carry else item
        if _LEVEL_PREFIX.fullmatch(item) and k < len(items) - 1 and items[k + 1][:1] in _LEVELS:
            carry = name
            continue
        carry = ""
        out.append(name)
    shared = _SHARED_SUFFIX.search(out[-1]) if len(out) > 1 else None
    if shared:
        k = len(out) - 1
        while k and _PLACE.fullmatch(out[k - 1]) and not out[k - 1].startswith("各"):
            k -= 1
        out[k:-1] = [name + shared.group() for name in out[k:-1]]
    return out


def heading_unit(heading: str) -> str | None:
    """The unit an item's heading names when the item lists that unit's duties: （二）市商务局。 / 县质监局职责:"""
    name = _DUTY_WORDS.sub("", heading.strip(" :;,"))
    if not (2 <= len(name) <= 20) or _VERB_START.match(name) or re.search(r"[,、;，；]", name):
        return None
    if _WORD_NOT_UNIT.search(name):
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


def _fields(
    match: str, display: str, start: int, end: int
) -> tuple[list[tuple[str, list[str]]], str | None, tuple[int, int] | None]:
    """The labelled unit lists in [start, end), and the person and the deadline span written among them."""
    marks = sorted(
        [(m.start(), m.end(), m.group("label")) for m in _LABEL.finditer(match, start, end)]
        + [(m.start(), m.end(), m.group("other")) for m in _OTHER_LABEL.finditer(match, start, end)]
    )
    marks = [m for k, m in enumerate(marks) if not (k and m[0] < marks[k - 1][1])]
    out: list[tuple[str, list[str]]] = []
    person, deadline = None, None
    for k, (_, value_start, label) in enumerate(marks):
        value_end = marks[k + 1][0] if k + 1 < len(marks) else end
        while value_start < value_end and match[value_start] == " ":
            value_start += 1
        while value_end > value_start and match[value_end - 1] in TRAILING:
            value_end -= 1
        if label in _PERSON_LABEL:
            person = display[value_start:value_end].strip() or None
        elif label in _DEADLINE_LABEL:
            deadline = (value_start, value_end) if value_end > value_start else None
        else:
            names = units_in(display[value_start:value_end])
            for name in [n for n in names if _NOT_A_UNIT.search(n)]:
                # 配合单位:县发改委;2026年12月底前完成: words that are no unit name, the deadline among them
                at = display.find(name, value_start, value_end)
                if deadline is None and at >= 0 and _DATE_WORDS.search(name):
                    deadline = (at, at + len(name))
            out.append((label, [n for n in names if not _NOT_A_UNIT.search(n)]))
    return out, person, deadline


_VERB_PART = re.compile(
    r"(?P<units>.+?)(?P<verb>牵头负责|共同牵头|牵头|按职责分工负责|按职责负责|共同负责|负责落实|负责实施|负责|指导|"
    r"参与|配合|协助|协办)$"
)
_VERB_ROLE = {"牵头负责": "牵头", "共同牵头": "牵头", "牵头": "牵头", "参与": "参与单位", "配合": "配合单位"}
_VERB_ROLE |= {"协助": "协助单位", "协办": "协办单位"}


def _plausible(names: list[str]) -> bool:
    """Names of units written with what they do: none is a phrase, and most read as units (全国妇联 does not)."""
    if not names or any(not (2 <= len(n) <= 30) or _NOT_A_UNIT.search(n) for n in names):
        return False
    return sum(looks_like_unit(n) for n in names) * 2 >= len(names)


def _verb_bracket(match: str, display: str, start: int, end: int) -> tuple[list[str], list[str]] | None:
    """(A、B负责), (X牵头,Y参与), (A、B等和各有关省级人民政府负责): [start, end) inside the brackets."""
    stop = match.find("。", start, end)
    end = end if stop < 0 else stop
    labelled: list[tuple[str, list[str]]] = []
    at = start
    for part in re.split(r"[,;]", match[start:end]):
        part_start, at = at, at + len(part) + 1
        found = _VERB_PART.fullmatch(part.strip())
        if found is None:
            return None
        offset = part_start + (len(part) - len(part.lstrip()))
        names = units_in(display[offset : offset + found.end("units")])
        if not _plausible(names):
            return None
        labelled.append((_VERB_ROLE.get(found.group("verb"), "责任单位"), names))
    return _assign(labelled) if labelled else None


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


def _bracket(match: str, display: str, open_at: int, close_at: int) -> Responsibility | None:
    """The units of the bracket (open_at .. close_at], if it names units."""
    inner_start = open_at + 1
    while inner_start < close_at and match[inner_start] == " ":
        inner_start += 1
    if _LABEL.match(match, inner_start) or _OTHER_LABEL.match(match, inner_start):
        labelled, person, deadline = _fields(match, display, inner_start, close_at)
        lead, cooperate = _assign(labelled)
        if not (lead or cooperate):
            return None
        return Responsibility(lead, cooperate, open_at, close_at + 1, person, deadline)
    verbs = _verb_bracket(match, display, inner_start, close_at)
    if verbs is not None and verbs[0]:
        return Responsibility(verbs[0], verbs[1], open_at, close_at + 1)
    units = units_in(display[inner_start:close_at])
    if units and ":" not in match[inner_start:close_at] and all(looks_like_unit(u) for u in units):
        return Responsibility(units[:1], units[1:], open_at, close_at + 1)
    return None


def closing_clauses(match: str, display: str) -> list[Responsibility]:
    """Every bracket in the text that closes a sentence with units: after a full stop, or before one (or before
    the paragraph's end), in order."""
    found = []
    for close_at, ch in enumerate(match):
        if ch != ")":
            continue
        open_at = _matching_open(match, close_at)
        if open_at is None:
            continue
        before = match[:open_at].rstrip(" ")
        after = match[close_at + 1 :].lstrip(" ")
        if not (not before or before[-1] in "\n。;!?" or not after or after[0] in "\n。;"):
            continue
        clause = _bracket(match, display, open_at, close_at)
        if clause is not None:
            found.append(clause)
    return [c for k, c in enumerate(found) if not any(o.start < c.start and c.end <= o.end for o in found[:k])]


def find_responsibility(match: str, display: str) -> Responsibility | None:
    """The responsibility clause at the end of an item's text (`match` and `display` of equal length)."""
    end = len(match)
    while end and match[end - 1] in TRAILING:
        end -= 1
    if end and match[end - 1] == ")":
        open_at = _matching_open(match, end - 1)
        if open_at is not None:
            clause = _bracket(match, display, open_at, end - 1)
            if clause is not None:
                return clause
    clauses = list(_CLAUSE_START.finditer(match, 0, end))
    if not clauses:
        return None
    # the last sentence's clause, with the labelled parts ';' or a line break joins to it: 牵头单位:A;责任单位:B and
    # 牵头单位:A / 责任单位:B on lines of their own are one clause
    k = len(clauses) - 1
    while k and not re.search(r"[。.!?]", match[clauses[k - 1].start() : clauses[k].start()]):
        k -= 1
    clause = clauses[k]
    labelled, person, deadline = _fields(match, display, clause.start(), end)
    lead, cooperate = _assign(labelled)
    if not (lead or cooperate):
        return None
    return Responsibility(lead, cooperate, clause.start(), end, person, deadline)
