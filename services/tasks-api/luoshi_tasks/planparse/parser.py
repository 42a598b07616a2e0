"""`parse_plan`: a policy plan's text in, a draft breakdown table out. Pure: no I/O, no database.

The steps, each in its own module: `text` (normalise, keep offsets), `outline` (header, numbered tree, tail;
which sections are tasks), `metadata`, `schedule` (deadlines, phases), `responsibility` (lead and cooperating
units), `group` (leading group, office), then indicators per task and unit matching here.

Spans: a task's span runs from its numbering marker to the end of its own words (its unnumbered paragraphs
included, its numbered children not), trailing whitespace excluded, in offsets of the text passed in.
Indicators are read from each task's own words (simplified, lines joined) and their spans mapped back the same
way. A task with no responsibility clause takes the unit of an enclosing "unit heading" item (（二）市商务局。
1. … 2. …); other tasks without one are left without units for the office to fill in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from luoshi.filelimits import LimitExceeded
from luoshi_tasks.naming import UnitMatcher, UnitNameError, normalize_name
from luoshi_tasks.planparse.documents import Document, DocumentTable
from luoshi_tasks.planparse.group import find_group, find_office
from luoshi_tasks.planparse.indicators import Indicator, find_indicators
from luoshi_tasks.planparse.metadata import read_metadata
from luoshi_tasks.planparse.models import DraftTask, Phase, PlanDraft, PlanMeta, ScannedPage, UnitRef
from luoshi_tasks.planparse.outline import PHASE, Node, Outline, build_outline, heading_end
from luoshi_tasks.planparse.responsibility import find_responsibility, heading_unit
from luoshi_tasks.planparse.schedule import find_deadline, phase_name, phase_window
from luoshi_tasks.planparse.tables import TaskTable, masked, table_tasks, task_tables
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

    def _task_parent(self, node: Node) -> int | None:
        parent = node.parent
        while parent is not None and parent not in self.task_of:
            parent = self.nodes[parent].parent
        return None if parent is None else self.task_of[parent]

    def read(self, index: int, node: Node) -> DraftTask:
        norm = self.norm
        match, display = norm.match[node.words : node.end], norm.display[node.words : node.end]
        responsibility = find_responsibility(match, display)
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
        found = find_deadline(body_match, body, self.year)
        parent = self._task_parent(node)
        return DraftTask(
            number=norm.display[node.start : node.words].rstrip("、.．"),
            parent=parent,
            level=0 if parent is None else self.levels[parent] + 1,
            section_kind=node.kind,
            title=title,
            measures=measures,
            lead_units=lead,
            cooperating_units=[u for u in cooperating if u not in lead],
            deadline=found.deadline if found else None,
            deadline_text=found.text if found else None,
            span=norm.original_span(node.start, node.end),
        )


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


def _indicators(norm: NormalizedText, nodes: list[Node]) -> list[Indicator]:
    """Quantities in each task's own words (lines joined, simplified), spans mapped back to the original text; a
    goals section's are targets (`indicators.find_indicators`), the draft's `indicators`, the rest `quantities`."""
    found: list[Indicator] = []
    for index, node in enumerate(nodes):
        start, end = node.start, node.end
        words = norm.display[start:end]
        for indicator in find_indicators(words, offset=0, task=index, goal=node.kind == "goal"):
            a, b = indicator.span
            a, b = max(0, min(a, len(words))), max(0, min(b, len(words)))
            found.append(indicator.model_copy(update={"span": norm.original_span(start + a, start + b)}))
    return found


def match_units(draft: PlanDraft, matcher: UnitMatcher[Any] | None) -> None:
    """Fill `units` and `unknown_units` from every unit name the draft mentions (again, if called again)."""
    draft.units, draft.unknown_units = [], []
    names: dict[str, str] = {}
    mentions = [(t.span[0], u) for t in draft.tasks for u in (*t.lead_units, *t.cooperating_units)]
    mentions += [(m.span[0] if m.span else 0, m.unit) for m in draft.group if m.unit]
    if draft.office and draft.office.unit:
        mentions.append((draft.office.span[0] if draft.office.span else 0, draft.office.unit))
    for _, name in sorted(mentions, key=lambda pair: pair[0]):
        names.setdefault(normalize_name(name), name)
    for name in names.values():
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
    division_tables = task_tables(list(tables))
    norm = normalize(masked(text, division_tables) if division_tables else text)
    if not norm.paragraphs:
        raise PlanParseError("plan_empty", "The text is empty", "文本为空")
    outline = build_outline(norm)
    work = [(i, n) for i, n in enumerate(outline.nodes) if n.kind in ("goal", "task", "requirement")]
    if not work and not division_tables:
        raise _not_a_plan()
    count = len(work) + sum(t.rows + (1 if work else 0) for t in division_tables)
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
    tasks = []
    for i, node in work:
        reader.task_of[i] = len(tasks)
        tasks.append(reader.read(i, node))
        reader.levels.append(tasks[-1].level)
    for division in division_tables:
        tasks += _division_tasks(division, branch=bool(work), first_index=len(tasks), year=year)
    everything = list(norm.paragraphs)
    draft = PlanDraft(
        plan=meta,
        phases=_phases(norm, outline.nodes, year),
        group=find_group(norm, everything),
        office=find_office(norm, everything),
        tasks=tasks,
    )
    found = _indicators(norm, [node for _, node in work])
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
