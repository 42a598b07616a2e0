"""The in-app inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class InboxItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    subject: str
    body: str
    link: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    items: list[InboxItemRead]
    next_cursor: str | None
    unread: int = Field(description="Unread items in the whole inbox")
