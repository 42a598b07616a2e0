"""What other services read of a tasks-api plan."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PlanBrief(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    title: str
    doc_number: str | None = None
    issuer_unit_id: int
    office_unit_id: int | None = None
    created_by: int | None = None
    status: str
    report_schedule: dict[str, Any] | None = None


class PlanUnit(BaseModel):
    unit_id: int
    unit_name: str
    lead: int = Field(description="Assignments of the plan the unit leads (牵头)")
    cooperating: int = Field(description="Assignments of the plan the unit cooperates on (配合)")


class PlanUnits(BaseModel):
    """The units responsible for a plan's tasks: who reports on it, who is scored in it."""

    plan_id: int
    units: list[PlanUnit]


class TaskBrief(BaseModel):
    """A task as another service needs it: which plan it belongs to."""

    model_config = ConfigDict(extra="ignore")

    id: int
    plan_id: int


class PlanBriefPage(BaseModel):
    items: list[PlanBrief]
    next_cursor: str | None = None
