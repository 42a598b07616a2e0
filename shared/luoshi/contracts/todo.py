"""Work queues (待办, `GET /v1/me/todo` on each service): what waits for the caller, one shape everywhere, so
tasks-api's merged view (`GET /v1/me/todo/all`) and a single-page app read the three alike.

Every queue is ordered by (`sort_on`, `kind`, `id`) and its cursor is that key, so one cursor pages every
service's queue at once and the merged view is a merge of their pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["tasks", "scoring", "notify"]


class TodoItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: str = Field(
        description="What to do: tasks-api `report.review`, `extension.decide`, `completion.decide`, `draft.finish` "
        "(an office), `assignment.acknowledge`, `report.due`, `report.returned`, `completion.returned` (a unit); "
        "scoring-api `value.verify`; notify `notice.urging`, `notice.escalation`",
        examples=["report.review"],
    )
    id: int = Field(description="The id of the resource the item is about (a report, an assignment, a value …)")
    source: Source = Field(description="The service the item and its `path` belong to")
    title: str = Field(description="A short Chinese title", examples=["审核反馈：质监局 2026年11月"])
    path: str = Field(description="The resource to open or act on", examples=["/v1/reports/12"])
    etag: str | None = Field(default=None, description="The resource's current ETag (the `If-Match` of acting on it)")
    plan_id: int | None = None
    unit_id: int | None = Field(default=None, description="The unit the item concerns")
    unit_name: str | None = None
    arrived_at: datetime | None = Field(
        default=None,
        description="When it reached this queue: submitted, requested, returned, assigned, entered, read",
    )
    due_on: date | None = Field(default=None, description="The deadline it concerns, where there is one")
    reason: str | None = Field(default=None, description="Returned items: the office's reason (退回意见)")
    sort_on: date = Field(description="The queue's order: `due_on` where set, else the day it arrived")


class TodoPage(BaseModel):
    items: list[TodoItem]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last page."
    )


class SourceStatus(BaseModel):
    source: Source
    ok: bool
    detail: str | None = Field(default=None, description="Why the service's queue is missing (down, refused …)")
    detail_zh: str | None = None


class MergedTodoPage(TodoPage):
    """The three queues in one, by `sort_on`; `sources` says which answered (a service down leaves its items out
    and says so, the rest still come)."""

    sources: list[SourceStatus]


TodoAfter = tuple[date, str, int]


def todo_after(cursor: list[Any] | None) -> TodoAfter | None:
    """The place a page starts after, from a decoded cursor; one of another shape raises ValueError or TypeError,
    which luoshi.pagination answers as the caller's 400 `invalid_cursor`."""
    if cursor is None:
        return None
    sort_on, kind, item_id = cursor
    if not isinstance(sort_on, str) or not isinstance(kind, str) or type(item_id) is not int:
        raise ValueError("not a work queue's cursor")
    return date.fromisoformat(sort_on), kind, item_id


def todo_key(item: TodoItem) -> list[object]:
    """The cursor of every queue: the item's place in the order."""
    return [item.sort_on.isoformat(), item.kind, item.id]
