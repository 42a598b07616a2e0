"""What notify reads from tasks-api: deadlines in a window and the people of a unit."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class DeadlineWire(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: str
    due_on: date
    original_due_on: date | None = None
    plan_id: int
    task_id: int | None = None
    assignment_id: int | None = None
    unit_id: int
    state: str | None = None
    key: str
    task_title: str | None = None
    plan_title: str | None = None
    role: str | None = None
    unit_name: str | None = None
    office_unit_id: int | None = None
    office_name: str | None = None
    unit_head_emails: list[str] = []
    leader_user_ids: list[int] = []


class DeadlinePage(BaseModel):
    items: list[DeadlineWire]
    next_cursor: str | None = None


class UserWire(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    username: str
    display_name: str | None = None
    email: str | None = None
    phone: str | None = None
    unit_id: int | None = None
    roles: list[str] = []
    is_active: bool = True


class UserPage(BaseModel):
    items: list[UserWire]
    next_cursor: str | None = None
