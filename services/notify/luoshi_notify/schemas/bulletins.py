"""Bulletins (通报)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class BulletinCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"plan_id": 1, "period_due_on": "2026-11-30"}]}
    )

    plan_id: int
    period_due_on: date


class BulletinRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    period_due_on: date
    title: str
    data: dict[str, Any]
    created_at: datetime
