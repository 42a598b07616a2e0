"""The numbered outline of a plan: header, the tree of numbered items, and the tail (attachments, signature).

Items nest by marker style (一、 > （一） > 1. > （1） > ①), whatever level a document starts at. An item owns
its numbered paragraph and every unnumbered paragraph after it up to the next numbered one. A number directly
followed by digits (`11.121人才梯队项目`) is an item's marker when it is the next number after the last `1.`-style
item (10.), never otherwise (`2.5亿元` is not item 2).

Section rule — which items become tasks:
- a top-level item is classified by its heading: 指导思想/重要意义/基本原则/总体要求 are preamble, 实施步骤/
  工作步骤/进度安排 are phases (read by `schedule.py`), …目标 / 目标任务 are goals, 保障措施/工作要求/推进措施/
  组织领导 are requirements; any other heading (重点工作, 主要任务, 工作措施, or a plain task) is work;
- a deeper item inherits its section's kind, unless its whole heading names a section itself
  ("（三）主要目标" under 一、总体要求 is a goal section);
- preamble and phase items, with everything under them, are not tasks; everything else is a task, headings
  included, so the breakdown table keeps the document's tree.

The body ends at an attachment (附件), 抄送, or a date standing alone (the signature, with the issuer's
name just above it); what follows is the tail.

Attachments that are sub-plans: in the tail, a line `附件1` (or `附件1：title`, or `附件` alone) followed, after its
title, by numbered items is a sub-plan; its items are read into the same tree as the body's, each node keeping
the attachment's index (`Node.attachment`), up to the next such line, 抄送/主题词/印发 or a date standing alone.
The line listing the attachments under the body (`附件：1.… 2.…`, followed by the signature) is no sub-plan and
no task; an attachment with no numbered items (a task table, the leading group's list) is left to the table
reader and the group reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luoshi_tasks.planparse.patterns import ARABIC_RANK, DATE_LINE, marker_at, sequel_marker_at
from luoshi_tasks.planparse.text import NormalizedText, Paragraph

PREAMBLE, PHASE = "preamble", "phase"

_STOP = re.compile(r"附件|附:|抄送|主题词|关键词|上一篇|下一篇")
ISSUER_LINE = re.compile(
    r"国务院|[\u4e00-\u9fff()]{2,28}(?:人民政府|政府|办公厅|办公室|委员会|管委会|党委|办事处|局|委|厅)"
)
_SENTENCE = re.compile(r"[,，。；;:：、]")

# Top-level headings, by containment (order matters: 总体要求 is preamble, not a requirement).
_ROOT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PREAMBLE, re.compile(r"指导思想|重要意义|基本原则|工作原则|总体思路|编制依据|^总体要求$|^背景|^现状")),
    (PHASE, re.compile(r"步骤|进度安排|时间安排|阶段安排|实施阶段|时间节点|时间进度")),
    ("goal", re.compile(r"目标(?:任务)?$|^目标")),
    ("requirement", re.compile(r"保障措施|推进措施|工作要求|有关要求|组织保障|保障$|组织领导|组织实施|要求$")),
)
# Deeper headings only when the whole heading is a section name.
_SUB_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PREAMBLE, re.compile(r"指导思想|重要意义|基本原则|工作原则|总体思路|编制依据|总体要求")),
    (PHASE, re.compile(r"(?:实施|工作|方法)步骤|进度安排|时间安排|阶段安排")),
    ("goal", re.compile(r"(?:工作|主要|总体|发展|创建|具体|预期)?目标(?:任务)?")),
    ("task", re.compile(r"(?:主要|重点|工作)任务|重点工作|工作重点|(?:工作|主要)措施")),
    ("requirement", re.compile(r"保障措施|推进措施|工作要求|组织保障")),
)
_HEADING_END = re.compile(r"[。:：;；\n]")


@dataclass
class Node:
    rank: int
    start: int
    """Normalised offset of the marker."""
    words: int
    """Where the item's words begin, after the marker."""
    end: int
    """End of the item's own text (its last unnumbered paragraph), not of its children."""
    parent: int | None
    kind: str = "task"
    attachment: int | None = None
    """Index in `Outline.attachments` of the sub-plan the item belongs to; None in the body."""


@dataclass
class Attachment:
    """A sub-plan attached to the plan: its number as written (附件1), its title, where its head line is."""

    number: str
    title: str
    start: int
    end: int


@dataclass
class Outline:
    nodes: list[Node]
    header: list[Paragraph]
    """Paragraphs before the first numbered item: the wrapper notice, title, preamble."""
    tail: list[Paragraph]
    """Paragraphs after the body: attachments, leading-group list, signature."""
    attachments: list[Attachment] = field(default_factory=list)


def heading_end(match: str) -> int:
    """Where an item's heading ends: at its first full stop or colon (the whole item if none)."""
    m = _HEADING_END.search(match)
    return m.start() if m else len(match)


def _is_stop(norm: NormalizedText, paras: tuple[Paragraph, ...], i: int) -> int | None:
    """Where the body ends if paragraph i ends it (one earlier when the issuer's signature precedes a date)."""
    m = norm.para_match(paras[i])
    if _STOP.match(m):
        return i
    if DATE_LINE.fullmatch(m):
        before = norm.para_match(paras[i - 1])
        signed = ISSUER_LINE.fullmatch(before) and not _SENTENCE.search(before) and not marker_at(before)
        return i - 1 if signed else i
    return None


def _classify(heading: str, parent_kind: str | None) -> str:
    if parent_kind is None:
        for kind, pattern in _ROOT_KINDS:
            if pattern.search(heading):
                return kind
        return "task"
    for kind, pattern in _SUB_KINDS:
        if pattern.fullmatch(heading):
            return kind
    return parent_kind


def build_outline(norm: NormalizedText) -> Outline:
    paras = norm.paragraphs
    first = next((i for i, p in enumerate(paras) if marker_at(norm.match, p.start)), None)
    if first is None:
        return Outline([], list(paras), [])
    stop = len(paras)
    for i in range(first + 1, len(paras)):
        found = _is_stop(norm, paras, i)
        if found is not None:
            stop = max(found, first + 1)
            break
    nodes = _nodes(norm, paras[first:stop])
    attachments: list[Attachment] = []
    for head, number, title, body, end in _sub_plans(norm, paras, stop):
        attachments.append(Attachment(number, title, paras[head].start, paras[end - 1].end))
        offset = len(nodes)
        for node in _nodes(norm, paras[body:end]):
            node.attachment = len(attachments) - 1
            node.parent = None if node.parent is None else node.parent + offset
            nodes.append(node)
    return Outline(nodes, list(paras[:first]), list(paras[stop:]), attachments)


_ATTACHMENT_HEAD = re.compile(r"附件 ?(?P<n>[0-9一二三四五六七八九十]{0,3}) ?(?::|\.|、)? ?(?P<title>.{0,60})")
_LISTED = re.compile(r"\d[.、]|;")
_TAIL_STOP = re.compile(r"抄送|主题词|关键词|上一篇|下一篇")
_TITLE_LINES = 3


def _sub_plans(norm: NormalizedText, paras: tuple[Paragraph, ...], stop: int) -> list[tuple[int, str, str, int, int]]:
    """(head paragraph, number, title, first paragraph of its outline, end) of each attachment that is a
    sub-plan."""
    heads: list[tuple[int, str, str, int]] = []
    for i in range(stop, len(paras)):
        m = norm.para_match(paras[i])
        head = _ATTACHMENT_HEAD.fullmatch(m)
        if head is None or _LISTED.search(head.group("title")):
            continue
        title = norm.para_display(paras[i])[head.start("title") :].strip()
        k = i + 1
        while k < len(paras) and k <= i + _TITLE_LINES and not marker_at(norm.match, paras[k].start):
            line = norm.para_match(paras[k])
            if DATE_LINE.fullmatch(line) or _ATTACHMENT_HEAD.fullmatch(line) or ISSUER_LINE.fullmatch(line):
                break
            title = title or norm.para_display(paras[k]).strip()
            k += 1
        if k < len(paras) and marker_at(norm.match, paras[k].start) and title:
            heads.append((i, f"附件{head.group('n')}", title, k))
    found = []
    for n, (i, number, title, body) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(paras)
        for j in range(body, end):
            m = norm.para_match(paras[j])
            if _TAIL_STOP.match(m) or DATE_LINE.fullmatch(m):
                end = j
                break
        found.append((i, number, title, body, end))
    return found


def _nodes(norm: NormalizedText, paras: tuple[Paragraph, ...]) -> list[Node]:
    """The numbered items of paragraphs that start with one, each owning the unnumbered ones after it."""
    nodes: list[Node] = []
    stack: list[int] = []
    numbered = 0
    for p in paras:
        marker = marker_at(norm.match, p.start) or sequel_marker_at(norm.match, p.start, numbered + 1)
        if marker is not None and marker.rank == ARABIC_RANK:
            numbered = marker.value
        if marker is None:
            nodes[-1].end = p.end
            continue
        while stack and nodes[stack[-1]].rank >= marker.rank:
            stack.pop()
        parent = stack[-1] if stack else None
        node = Node(marker.rank, p.start, marker.end, p.end, parent)
        words = norm.match[node.words : p.end]
        node.kind = _classify(words[: heading_end(words)].strip(), nodes[parent].kind if parent is not None else None)
        stack.append(len(nodes))
        nodes.append(node)
    return nodes
