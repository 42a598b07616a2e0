"""The leading group (领导小组) and its office (办公室), as a list or in a sentence.

List form, usually an attachment: "组 长：孙文涛（县委常委、统战部长）", then "副组长：…", "成 员：…", each line
one or more "name（posts）" entries; a line without a role continues the role above. A table copied from Word
("组长　孙文涛　县委常委") is read too. Sentence form: "成立由镇分管领导任组长，A、B、C等部门为成员的…领导
小组". The office: "办公室设在县产业集聚区管委会，陈斌同志兼任办公室主任，张新民、孙战峰同志任办公室副主任".

A member's unit comes from their posts: the first post that still names a unit once the position is cut off
(县质监局局长 -> 县质监局, 县园林中心办公室主任 -> 县园林中心); None when no post names one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from luoshi_tasks.planparse.models import GroupMember, Office
from luoshi_tasks.planparse.patterns import PERSON, ROLE_LABEL, TABLE_ROW
from luoshi_tasks.planparse.responsibility import UNIT_SUFFIX, units_in
from luoshi_tasks.planparse.text import NormalizedText, Paragraph

_POSTS = sorted(
    (
        "局长 副局长 主任 副主任 常务副主任 书记 副书记 党组书记 党组副书记 党组成员 党委书记 党委委员 主任科员 "
        "副主任科员 科员 部长 副部长 常委 委员 成员 组长 副组长 科长 副科长 所长 副所长 站长 副站长 院长 副院长 "
        "县长 副县长 市长 副市长 省长 副省长 镇长 副镇长 乡长 副乡长 秘书长 副秘书长 调研员 副调研员 处长 副处长 "
        "厅长 副厅长 主席 副主席 总经理 经理 董事长 队长 副队长 政委 主任委员 负责人 干部"
    ).split(),
    key=len,
    reverse=True,
)
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_PROSE_HEAD = re.compile(r"由(?P<who>[^,，。;；\n]{2,30}?)(?:同志)?(?:任|担任)(?P<role>副组长|组长)")
_PROSE_MEMBERS = re.compile(r"(?P<list>[^,，。;；由\n]{2,200}?)(?:等(?:部门|单位))?(?:为|作为)成员")
_OFFICE_AT = re.compile(r"办公室设在(?P<unit>[^,，。;；\n]+?)内?(?=[,，。;；\n]|$)")
_OFFICE_HEAD = re.compile(
    r"(?:(?:^|(?<=[\n,，;；。]))(?P<who>[^,，;；。\n]{2,40}?)(?:同志)?兼?任办公室(?P<deputy>副)?主任"
    r"|办公室(?P<deputy2>副)?主任由(?P<who2>[^,，;；。\n]{2,40}?)(?:同志)?兼?任)"
)
_LEADER_WORDS = re.compile(r"(?:领导|负责人|同志|长|主任|书记|委员)$")


def unit_from_title(title: str | None) -> str | None:
    if not title:
        return None
    for part in re.split(r"[、,，;；]", title):
        name = part.strip()
        while post := next((p for p in _POSTS if name.endswith(p) and len(name) > len(p)), None):
            name = name[: -len(post)]
        if name == part.strip():
            continue
        # an office inside a department is the department's (县园林中心办公室主任), the government's is its own
        inner = name.removesuffix("办公室")
        if inner != name and re.search(r"(?:局|委|中心|院|所)$", inner):
            name = inner
        if len(name) >= 2 and UNIT_SUFFIX.search(name):
            return name
    return None


def _names(words: str) -> list[str]:
    return [n.removesuffix("同志") for n in re.split(r"[、,，]", words) if n.strip()]


class _Reader:
    def __init__(self, norm: NormalizedText) -> None:
        self.norm = norm

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.original_span(start, end)

    def member(self, role: str, start: int, name_end: int, title_start: int, title_end: int) -> GroupMember:
        d = self.norm.display
        title = d[title_start:title_end].strip() or None
        return GroupMember(
            role=role,
            name=d[start:name_end].removesuffix("同志"),
            title=title,
            unit=unit_from_title(title),
            # the closing bracket is the entry's; a table row has none, and may end the text ("" is in any str)
            span=self.span(start, title_end + 1 if title_end < len(d) and d[title_end] in ")）" else title_end),
        )

    def entries(self, role: str, start: int, end: int) -> list[GroupMember] | None:
        """The members on one line, or None when the line is not a list of members."""
        m = self.norm.match
        found: list[GroupMember] = []
        pos = start
        for entry in PERSON.finditer(m, start, end):
            if m[pos : entry.start()].strip(" 、,;") or not entry.group("name"):
                return None
            found.append(self.member(role, entry.start(), entry.end("name"), entry.start("title"), entry.end("title")))
            pos = entry.end()
        if found and not m[pos:end].strip(" 、,;。"):
            return found
        row = TABLE_ROW.fullmatch(m, start, end)
        if row:
            return [self.member(role, row.start("name"), row.end("name"), row.start("title"), row.end("title"))]
        return None

    def prose(self, p: Paragraph) -> list[GroupMember]:
        m, d = self.norm.match, self.norm.display
        found = []
        for head in _PROSE_HEAD.finditer(m, p.start, p.end):
            who = d[head.start("who") : head.end("who")]
            is_name = _NAME.fullmatch(who) and not _LEADER_WORDS.search(who)
            found.append(
                GroupMember(
                    role=head.group("role"),
                    name=who.removesuffix("同志") if is_name else None,
                    title=None if is_name else who,
                    unit=None if is_name else unit_from_title(who),
                    span=self.span(head.start("who"), head.end()),
                )
            )
        members = _PROSE_MEMBERS.search(m, p.start, p.end)
        if members:
            at = members.start("list")
            for unit in units_in(d[at : members.end("list")]):
                offset = d.find(unit, at, p.end)
                span = self.span(offset, offset + len(unit)) if offset >= 0 else None
                found.append(GroupMember(role="成员", unit=unit, span=span))
        return found


def find_group(norm: NormalizedText, paragraphs: Iterable[Paragraph]) -> list[GroupMember]:
    reader = _Reader(norm)
    listed: list[GroupMember] = []
    prose: list[GroupMember] = []
    role: str | None = None
    for p in paragraphs:
        m = norm.match
        label = ROLE_LABEL.match(m, p.start, p.end)
        entries = None
        if label:
            entries = reader.entries(label.group("role").replace(" ", ""), label.end(), p.end)
            if entries is not None:
                role = label.group("role").replace(" ", "")
        elif role is not None:
            entries = reader.entries(role, p.start, p.end)
        if entries is not None:
            listed.extend(entries)
            continue
        role = None
        if not listed and "领导小组" in m[p.start : p.end]:
            prose.extend(reader.prose(p))
    return listed or prose


def find_office(norm: NormalizedText, paragraphs: Iterable[Paragraph]) -> Office | None:
    m, d = norm.match, norm.display
    for p in paragraphs:
        at = _OFFICE_AT.search(m, p.start, p.end)
        heads = list(_OFFICE_HEAD.finditer(m, p.start, p.end)) if "办公室" in m[p.start : p.end] else []
        if not at and not heads:
            continue
        director, deputies = None, []
        for head in heads:
            who = "who" if head.group("who") else "who2"
            names = _names(d[head.start(who) : head.end(who)])
            if head.group("deputy") or head.group("deputy2"):
                deputies.extend(names)
            elif names:
                director = names[0]
        unit = d[at.start("unit") : at.end("unit")] if at else None
        found = ([at] if at else []) + heads
        start, end = min(f.start() for f in found), max(f.end() for f in found)
        return Office(unit=unit, director=director, deputy_directors=deputies, span=norm.original_span(start, end))
    return None
