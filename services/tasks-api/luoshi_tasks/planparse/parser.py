"""`parse_plan`: a policy plan's text in, a draft breakdown table out. Pure: no I/O, no database.

The steps, each in its own module: `text` (normalise, keep offsets), `outline` (header, numbered tree, tail;
which sections are tasks; attached sub-plans, each a top-level branch 附件1 whose items read as the body's),
`metadata`, `schedule` (deadlines, phases), `responsibility` (lead and cooperating units), `group` (leading
group, office), then indicators per task and unit matching here.

Spans: a task's span runs from its numbering marker to the end of its own words (its unnumbered paragraphs
included, its numbered children not), trailing whitespace excluded, in offsets of the text passed in.
Indicators are read from each task's own words (simplified, lines joined) and their spans mapped back the same
way. A task with no responsibility clause takes the unit of an enclosing "unit heading" item (（二）市商务局。
1. … 2. …); other tasks without one are left without units for the office to fill in.

Units at the level they are written: an item whose sentences or unnumbered paragraphs close with more than one
bracket of units (`responsibility.closing_clauses`) is a task with its heading and no units of its own, and each
sentence group is a child task (number None, title its first sentence) with its own units and deadline. An item
with one such bracket inside its words (a closing paragraph after it) still takes that bracket's units. A
deadline or a leader written beside the units (完成时限:…, 责任领导:…) fills the task's deadline and `person`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from luoshi.deadlines import DeadlineParseError, parse_deadline
from luoshi.filelimits import LimitExceeded
from luoshi_tasks.naming import UnitMatcher, UnitNameError, normalize_name
from luoshi_tasks.planparse.documents import Document, DocumentTable
from luoshi_tasks.planparse.group import find_group, find_office
from luoshi_tasks.planparse.indicators import Indicator, find_indicators
from luoshi_tasks.planparse.metadata import read_metadata
from luoshi_tasks.planparse.models import DraftTask, Phase, PlanDraft, PlanMeta, ScannedPage, UnitRef
from luoshi_tasks.planparse.outline import PHASE, Node, Outline, build_outline, heading_end
from luoshi_tasks.planparse.responsibility import (
    TRAILING,
    Responsibility,
    closing_clauses,
    find_responsibility,
    heading_unit,
    is_collective,
)
from luoshi_tasks.planparse.schedule import FoundDeadline, find_deadline, phase_name, phase_window
from luoshi_tasks.planparse.tables import TaskTable, masked, pasted_tables, table_tasks, task_tables
from luoshi_tasks.planparse.text import NormalizedText, normalize

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd\ud800-\udfff\ue000-\uf8ff]")
_BINARY_SHARE = 0.02
"""More control, broken or private-use characters than this share (or any NUL) means binary, not a document."""


class PlanParseError(ValueError):
    """The text is not a plan we can read. `message` English, `message_zh` Chinese, `code` machine-readable."""

    def __init__(self, code: str, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_zh = message_zh


def _check_text(text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise PlanParseError("plan_empty", "The text is empty", "文本为空")
    if "\x00" in text or len(_CONTROL.findall(text)) > max(1, len(text) * _BINARY_SHARE):
        raise PlanParseError(
            "plan_binary", "The text looks like binary data, not a document", "文本像是二进制数据，不是文件"
        )


def _not_a_plan() -> PlanParseError:
    return PlanParseError(
        "plan_not_a_plan",
        "No numbered tasks found (一、 （一） 1. …): this does not read as a plan",
        "未找到编号的工作任务（一、（一）1. 等），不像是实施方案",
    )


class _TaskReader:
    def __init__(self, norm: NormalizedText, outline: Outline, year: int | None) -> None:
        self.norm = norm
        self.nodes = outline.nodes
        self.year = year
        self.task_of: dict[int, int] = {}
        """Outline node index -> task index."""
        self.unit_of: dict[int, str] = {}
        """Outline node index -> unit its heading names, inherited by the items below."""
        self.levels: list[int] = []
        """Task index -> depth in the task tree."""
        self.branch_of: dict[int, int] = {}
        """Attachment index -> the task that heads its branch (附件1 and its title)."""
        self.group_spans: list[tuple[int, int, int, int]] = []
        """(outline node, offset of the group's task after the item's, start, end) of each sentence group."""

    def _task_parent(self, node: Node) -> int | None:
        parent = node.parent
        while parent is not None and parent not in self.task_of:
            parent = self.nodes[parent].parent
        if parent is None:
            return None if node.attachment is None else self.branch_of[node.attachment]
        return self.task_of[parent]

    def read(self, index: int, node: Node) -> list[DraftTask]:
        """The item's task, then one child task per sentence group that closes with its own units when the item
        holds more than one (their parent is the item's task, whose index the caller gives them)."""
        norm = self.norm
        match, display = norm.match[node.words : node.end], norm.display[node.words : node.end]
        clauses = closing_clauses(match, display)
        if len(clauses) > 1:
            return self._groups(index, node, match, display, clauses)
        responsibility = clauses[0] if clauses else find_responsibility(match, display)
        if responsibility is not None and responsibility.end < len(match.rstrip("".join(TRAILING))):
            # a clause inside the item's words, more words after it: the units are the clause's
            body_match = (match[: responsibility.start] + match[responsibility.end :]).rstrip()
            body = (display[: responsibility.start] + display[responsibility.end :]).rstrip()
        else:
            body_end = responsibility.start if responsibility else len(match)
            body_match, body = match[:body_end].rstrip(), display[:body_end].rstrip()
        cut = heading_end(body_match)
        title = body[:cut].strip()
        measures = body[cut:].lstrip("。.:：;； \n").strip()
        lead, cooperating = (responsibility.lead, responsibility.cooperating) if responsibility else ([], [])
        inherited = self.unit_of.get(node.parent) if node.parent is not None else None
        if (unit := heading_unit(title)) is not None:
            self.unit_of[index] = unit
            lead = lead or [unit]
        elif inherited is not None:
            self.unit_of[index] = inherited
            lead = lead or [inherited]
        parent = self._task_parent(node)
        task = DraftTask(
            number=norm.display[node.start : node.words].rstrip("、.．"),
            parent=parent,
            level=0 if parent is None else self.levels[parent] + 1,
            section_kind=node.kind,
            title=title,
            measures=measures,
            lead_units=lead,
            cooperating_units=[u for u in cooperating if u not in lead],
            person=responsibility.person if responsibility else None,
            span=norm.original_span(node.start, node.end),
        )
        self._deadline(task, body_match, body, match, display, responsibility)
        return [task]

    def _deadline(
        self, task: DraftTask, body_match: str, body: str, match: str, display: str, clause: Responsibility | None
    ) -> None:
        """The deadline in the task's words, else the one written beside its units (完成时限:…)."""
        found = find_deadline(body_match, body, self.year)
        if found is None and clause is not None and clause.deadline is not None:
            a, b = clause.deadline
            found = find_deadline(match[a:b], display[a:b], self.year) or _written_deadline(display[a:b], self.year)
        if found is None and clause is not None:
            # units, then a deadline of their own: （责任单位:X）长期坚持。
            after = display[clause.end :].split("\n", 1)[0].strip("".join(TRAILING))
            if 0 < len(after) <= _DEADLINE_AFTER_UNITS and not re.search(r"[,，。;；]", after):
                found = _written_deadline(after, self.year)
        if found is not None:
            task.deadline, task.deadline_text = found.deadline, found.text

    def _groups(
        self, index: int, node: Node, match: str, display: str, clauses: list[Responsibility]
    ) -> list[DraftTask]:
        """An item whose sentences or paragraphs each close with their own units: the item (its heading, no units
        of its own) and one child per group, titled by the group's first sentence. Words after the last clause
        belong to the last group."""
        norm = self.norm
        heading = heading_end(match)
        parent = self._task_parent(node)
        level = 0 if parent is None else self.levels[parent] + 1
        item = DraftTask(
            number=norm.display[node.start : node.words].rstrip("、.．"),
            parent=parent,
            level=level,
            section_kind=node.kind,
            title=display[:heading].strip(),
            span=norm.original_span(node.start, node.end),
        )
        tasks = [item]
        at = heading + 1 if heading < clauses[0].start else 0
        for k, clause in enumerate(clauses):
            at = _skip(match, at)
            last = k == len(clauses) - 1
            end = len(match.rstrip()) if last else clause.end
            body_match = (match[at : clause.start] + match[clause.end : end]).rstrip()
            body = (display[at : clause.start] + display[clause.end : end]).rstrip()
            cut = heading_end(body_match)
            child = DraftTask(
                number=None,
                parent=None,  # set by the caller: the item's index
                level=level + 1,
                section_kind=node.kind,
                title=body[:cut].strip(),
                measures=body[cut:].lstrip("。.:：;； \n").strip(),
                lead_units=clause.lead,
                cooperating_units=[u for u in clause.cooperating if u not in clause.lead],
                person=clause.person,
                span=norm.original_span(node.words + at, node.words + end),
            )
            self._deadline(child, body_match, body, match, display, clause)
            tasks.append(child)
            self.group_spans.append((index, len(tasks) - 1, node.words + at, node.words + end))
            at = clause.end
        return tasks


_DEADLINE_AFTER_UNITS = 16
"""Words after a unit clause this short, with no sentence of their own, are read as the task's deadline."""


def _written_deadline(words: str, year: int | None) -> FoundDeadline | None:
    """A deadline written as a field of its own (长期坚持, 2026年12月底前完成), open ones (长期) included."""
    try:
        return FoundDeadline(parse_deadline(words, default_year=year), words, 0, len(words))
    except DeadlineParseError:
        return None


def _skip(match: str, at: int) -> int:
    while at < len(match) and match[at] in TRAILING:
        at += 1
    return at


def _phase(norm: NormalizedText, start: int, words: int, end: int, year: int | None) -> Phase | None:
    """The step whose words run [words, end) (its marker, if any, from `start`); None without a name."""
    match, display = norm.match[words:end], norm.display[words:end]
    found = find_deadline(match, display, year)
    heading = display[: heading_end(match)].strip()
    name = phase_name(heading, found) or heading
    if not name:
        return None
    first, last, repeat = phase_window(found.deadline, year) if found else (None, None, None)
    schedule = found.deadline if found else None
    return Phase(
        name=name,
        start=first,
        end=last,
        repeat=repeat,
        schedule=schedule,
        text=display,
        span=norm.original_span(start, end),
    )


def _phases(norm: NormalizedText, nodes: list[Node], year: int | None) -> list[Phase]:
    """The steps: numbered items under a steps section, else its unnumbered lines that carry dates."""
    phases: list[Phase | None] = []
    for i, root in enumerate(nodes):
        if root.kind != PHASE or (root.parent is not None and nodes[root.parent].kind == PHASE):
            continue
        steps = [n for n in nodes if n.parent == i]
        if steps:
            phases.extend(_phase(norm, n.start, n.words, n.end, year) for n in steps)
            continue
        heading_line = norm.display.find("\n", root.words, root.end)
        at = root.end if heading_line < 0 else heading_line + 1
        while at < root.end:
            line_end = norm.display.find("\n", at, root.end)
            line_end = root.end if line_end < 0 else line_end
            if find_deadline(norm.match[at:line_end], norm.display[at:line_end], year):
                phases.append(_phase(norm, at, at, line_end, year))
            at = line_end + 1
    return [p for p in phases if p is not None]


def _indicators(norm: NormalizedText, work: list[tuple[int, Node]], reader: _TaskReader) -> list[Indicator]:
    """Quantities in each task's own words (lines joined, simplified), spans mapped back to the original text; one
    inside a sentence group belongs to the group's task. A goals section's are targets (`indicators.find_indicators`),
    the draft's `indicators`, the rest `quantities`."""
    found: list[Indicator] = []
    for index, node in work:
        start, end = node.start, node.end
        words = norm.display[start:end]
        groups = [(reader.task_of[index] + k, a, b) for i, k, a, b in reader.group_spans if i == index]
        for indicator in find_indicators(words, offset=0, task=reader.task_of[index], goal=node.kind == "goal"):
            a, b = indicator.span
            a, b = max(0, min(a, len(words))), max(0, min(b, len(words)))
            task = next((t for t, ga, gb in groups if ga <= start + a < gb), indicator.task)
            found.append(indicator.model_copy(update={"span": norm.original_span(start + a, start + b), "task": task}))
    return found


def match_units(draft: PlanDraft, matcher: UnitMatcher[Any] | None) -> None:
    """Fill `units` and `unknown_units` from every unit name the draft mentions (again, if called again). A
    collective recipient (各有关省级人民政府, 市直有关单位) is kept as written, marked `collective`, matched to no
    unit and not reported as unknown."""
    draft.units, draft.unknown_units = [], []
    names: dict[str, str] = {}
    mentions = [(t.span[0], u) for t in draft.tasks for u in (*t.lead_units, *t.cooperating_units)]
    mentions += [(m.span[0] if m.span else 0, m.unit) for m in draft.group if m.unit]
    if draft.office and draft.office.unit:
        mentions.append((draft.office.span[0] if draft.office.span else 0, draft.office.unit))
    for _, name in sorted(mentions, key=lambda pair: pair[0]):
        names.setdefault(normalize_name(name), name)
    for name in names.values():
        if is_collective(name):
            draft.units.append(UnitRef(name=name, collective=True))
            continue
        unit_id = None
        if matcher is not None:
            try:
                unit_id = matcher.match(name)
            except UnitNameError:
                unit_id = None
        draft.units.append(UnitRef(name=name, unit_id=unit_id))
        if unit_id is None:
            draft.unknown_units.append(name)


def parse_plan(
    text: str,
    *,
    tables: Sequence[DocumentTable] = (),
    matcher: UnitMatcher[Any] | None = None,
    today: date | None = None,
    max_tasks: int | None = None,
) -> PlanDraft:
    """Read a plan's text into a draft breakdown table. Raises `PlanParseError` for text that is no plan.

    `tables` are the document's tables (`documents.read_document`): a task division table among them gives its
    rows as tasks, under a branch of its own (`附件2 重点任务分工表`) when the body has numbered tasks too.
    `matcher` resolves unit names to the system's units (unresolved names go to `unknown_units`); `today`
    supplies the year for relative deadlines (年底前) when the plan gives no date of its own. More than
    `max_tasks` tasks raises `luoshi.filelimits.LimitExceeded` once the outline is built, before they are read.
    """
    _check_text(text)
    # a task table pasted as text (one cell per line) is read as the same table would be from a .docx
    division_tables = task_tables(list(tables) or pasted_tables(text))
    norm = normalize(masked(text, division_tables) if division_tables else text)
    if not norm.paragraphs:
        raise PlanParseError("plan_empty", "The text is empty", "文本为空")
    outline = build_outline(norm)
    work = [(i, n) for i, n in enumerate(outline.nodes) if n.kind in ("goal", "task", "requirement")]
    if not work and not division_tables:
        raise _not_a_plan()
    count = len(work) + len(outline.attachments) + sum(t.rows + (1 if work else 0) for t in division_tables)
    if max_tasks is not None and count > max_tasks:
        raise LimitExceeded(
            "draft_too_many_tasks",
            f"The document has {count} tasks, more than the {max_tasks} a draft may have",
            f"文件中有 {count} 项任务，超过草稿上限 {max_tasks} 项",
            limit=max_tasks,
            value=count,
        )
    meta: PlanMeta = read_metadata(norm, outline.header, outline.tail)
    year = meta.issued_on.year if meta.issued_on else _year_of(meta) or (today.year if today else None)

    reader = _TaskReader(norm, outline, year)
    tasks: list[DraftTask] = []
    for i, node in work:
        if node.attachment is not None and node.attachment not in reader.branch_of:
            attachment = outline.attachments[node.attachment]
            reader.branch_of[node.attachment] = len(tasks)
            tasks.append(
                DraftTask(
                    number=attachment.number,
                    title=attachment.title,
                    span=norm.original_span(attachment.start, attachment.end),
                )
            )
            reader.levels.append(0)
        reader.task_of[i] = item = len(tasks)
        for k, task in enumerate(reader.read(i, node)):
            if k:
                task.parent = item
            tasks.append(task)
            reader.levels.append(task.level)
    for division in division_tables:
        tasks += _division_tasks(division, branch=bool(work), first_index=len(tasks), year=year)
    everything = list(norm.paragraphs)
    draft = PlanDraft(
        plan=meta,
        phases=_phases(norm, [n for n in outline.nodes if n.attachment is None], year),
        group=find_group(norm, everything),
        office=find_office(norm, everything),
        tasks=tasks,
    )
    found = _indicators(norm, work, reader)
    draft.indicators = [i for i in found if i.kind == "target"]
    draft.quantities = [i for i in found if i.kind == "measure"]
    match_units(draft, matcher)
    return draft


def read_plan(document: Document, **options: Any) -> PlanDraft:
    """`parse_plan` of a whole document (`documents.read_document`): its text and tables, and the pages it read
    with OCR named in the draft."""
    draft = parse_plan(document.text, tables=document.tables, **options)
    draft.scanned_pages = [ScannedPage(page=p.page, confidence=p.confidence, span=p.span) for p in document.scanned]
    return draft


def _division_tasks(division: TaskTable, *, branch: bool, first_index: int, year: int | None) -> list[DraftTask]:
    """A task table's rows; beside the body's own tasks, under a top-level task named by its caption."""
    if not branch:
        return table_tasks(division, first_index=first_index, parent=None, level=0, year=year)
    number, title = division.heading()
    spans = list(division.table.row_spans.values())
    head = DraftTask(number=number, level=0, title=title, span=(spans[0][0], spans[-1][1]) if spans else (0, 0))
    return [head, *table_tasks(division, first_index=first_index + 1, parent=first_index, level=1, year=year)]


def _year_of(meta: PlanMeta) -> int | None:
    if meta.doc_number:
        digits = meta.doc_number.split("〔", 1)[-1][:4]
        if digits.isdigit():
            return int(digits)
    return None
