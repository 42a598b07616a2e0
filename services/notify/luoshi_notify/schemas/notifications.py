"""Notifications and their delivery attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

NotificationStatus = Literal["pending", "sending", "sent", "failed", "digest", "digested"]


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    key: str = Field(description="Deterministic: rule, occurrence, recipient, channel. Receivers dedupe on it")
    rule: str
    kind: str
    plan_id: int | None
    task_id: int | None
    assignment_id: int | None
    unit_id: int | None
    recipient_user_id: int | None
    address: str | None
    channel: str
    lang: str
    subject: str
    body: str
    status: NotificationStatus
    send_after: datetime
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    ok: bool
    retryable: bool
    detail: str
    worker: str | None
    at: datetime


class NotificationDetail(NotificationRead):
    attempts_log: list[AttemptRead]
