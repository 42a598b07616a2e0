"""The draft breakdown table read from a plan: what `parse_plan` returns and the office reviews and edits.

Dumped with `model_dump(mode="json")` and read back with `PlanDraft.model_validate`, so a stored draft
round-trips. Text is in simplified characters with the document's own punctuation; `span`s are [start, end)
ranges of the original input.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from luoshi.deadlines import Deadline
from luoshi_tasks.planparse.indicators import Indicator

__all__ = [
    "DraftTask",
    "GroupMember",
    "Indicator",
    "Office",
    "Phase",
    "PlanDraft",
    "PlanMeta",
    "ScannedPage",
    "SectionKind",
    "Span",
    "UnitRef",
]

Span = tuple[int, int]
SectionKind = Literal["goal", "task", "requirement"]
"""goal: 工作目标/主要目标; task: 重点工作/主要任务/工作措施 (and numbered sections of no known kind);
requirement: 保障措施/工作要求/推进措施."""


class PlanMeta(BaseModel):
    title: str | None = None
    doc_number: str | None = Field(default=None, description="文号 with 〔〕 around the year: 夏政〔2015〕29号")
    issuer: str | None = None
    issued_on: date | None = None


class Phase(BaseModel):
    """A step of the plan (实施步骤): 宣传发动阶段 2011-02-01..2011-11-30, or 考核评价 each September."""

    name: str
    start: date | None = None
    end: date | None = None
    repeat: Literal["monthly", "quarterly", "yearly"] | None = None
    """Set when the step comes round again (每年9月): start/end are then its first occurrence."""
    schedule: Deadline | None = None
    """The dates as parsed, for a recurring step the recurrence itself."""
    text: str = ""
    """The step's words as written."""
    span: Span | None = None


class GroupMember(BaseModel):
    """One person (or unit) of the leading group (领导小组)."""

    role: str = Field(description="组长, 副组长, 成员 …")
    name: str | None = None
    unit: str | None = Field(default=None, description="Unit named by the title (县质监局局长 -> 县质监局), as written")
    title: str | None = Field(default=None, description="The posts in brackets after the name, as written")
    span: Span | None = None


class Office(BaseModel):
    """The leading group's office (办公室设在…), which runs the plan day to day."""

    unit: str | None = None
    director: str | None = None
    deputy_directors: list[str] = Field(default_factory=list)
    span: Span | None = None


class DraftTask(BaseModel):
    """One row of the breakdown table."""

    number: str | None = Field(default=None, description="The document's numbering as written: 一, （一）, 1, （1）")
    parent: int | None = Field(default=None, description="Index in `tasks` of the enclosing task")
    level: int = Field(default=0, description="0 for a section, 1 below it …")
    section_kind: SectionKind = "task"
    title: str = ""
    measures: str = ""
    lead_units: list[str] = Field(default_factory=list)
    cooperating_units: list[str] = Field(default_factory=list)
    deadline: Deadline | None = None
    deadline_text: str | None = Field(default=None, description="The deadline's words as the document wrote them")
    person: str | None = Field(default=None, description="责任人 / 责任领导: a person, never a unit")
    remarks: str | None = Field(default=None, description="备注")
    span: Span = (0, 0)


class ScannedPage(BaseModel):
    """A page read with OCR: where its recognised text is in the source, and how sure the recognition was."""

    page: int = Field(description="1-based page of the document")
    confidence: float = Field(description="The recognition's mean confidence, 0–1: below 0.9, read it twice")
    span: Span


class UnitRef(BaseModel):
    name: str = Field(description="The unit's name as written in the document")
    unit_id: Any = Field(default=None, description="The matched unit, or null when none was found")
    collective: bool = Field(
        default=False,
        description="A collective recipient (各县市区人民政府, 市直有关单位, 领导小组各成员单位): kept as written, "
        "matched to no one unit, and not reported as unknown",
    )


class PlanDraft(BaseModel):
    plan: PlanMeta = Field(default_factory=PlanMeta)
    phases: list[Phase] = Field(default_factory=list)
    group: list[GroupMember] = Field(default_factory=list)
    office: Office | None = None
    tasks: list[DraftTask] = Field(default_factory=list)
    indicators: list[Indicator] = Field(
        default_factory=list,
        description="The plan's targets (kind target): what its goals sections or target phrases (到2025年…达到) state",
    )
    quantities: list[Indicator] = Field(
        default_factory=list,
        description="Other figures in the tasks' measures (kind measure: 选拔100名…), each with its task",
    )
    unknown_units: list[str] = Field(default_factory=list)
    units: list[UnitRef] = Field(default_factory=list)
    scanned_pages: list[ScannedPage] = Field(
        default_factory=list, description="Pages whose text was recognised (OCR) rather than read: check them"
    )
