"""The event outbox other services read (notify: task.assigned, report.returned, extension.decided)."""

from __future__ import annotations

from fastapi import APIRouter

from luoshi.auth import require_roles
from luoshi.outbox import EventRead, read_events
from luoshi.pagination import Page, make_page
from luoshi_tasks.deps import CurrentPrincipal, PageDep, SessionDep
from luoshi_tasks.models import Event

router = APIRouter(tags=["events"])


@router.get("/v1/events", response_model=Page[EventRead])
async def list_events(
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageDep,
    kind: str | None = None,
    after_id: int | None = None,
) -> Page[EventRead]:
    """Oldest first. Pass the last `id` you handled as `after_id` (or follow `next_cursor`); events stay."""
    require_roles(principal, ("office",))
    after = int(page.cursor[0]) if page.cursor else after_id
    rows = await read_events(session, Event, after_id=after, kind=kind, limit=page.limit)
    result = make_page(rows, page.limit, lambda r: [r.id])
    return Page[EventRead](items=[EventRead.model_validate(r) for r in result.items], next_cursor=result.next_cursor)
