"""The event outbox other services read (notify: task.assigned, report.returned, completion.returned,
extension.decided for the unit; report.submitted, extension.requested, completion.requested for the plan's office;
calendar.changed, user.deactivated, api_key.revoked)."""

from __future__ import annotations

from luoshi.routers import events_router
from luoshi_tasks.models import Event

router = events_router(
    Event,
    "tasks",
    description="Oldest first. Pass the last `id` you handled as `after_id` (or follow `next_cursor`); events stay.",
)
