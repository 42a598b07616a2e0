"""What other services read of a tasks-api plan."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


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


class PlanBriefPage(BaseModel):
    items: list[PlanBrief]
    next_cursor: str | None = None
