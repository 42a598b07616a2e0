"""待办: the caller's work queue in scoring-api."""

from __future__ import annotations

from fastapi import APIRouter

from luoshi.contracts.todo import TodoPage
from luoshi.inputguard import GuardedRoute
from luoshi_scoring.deps import ClockDep, CurrentPrincipal, PageDep, SessionDep, TasksDep
from luoshi_scoring.service.todo import TodoService

router = APIRouter(route_class=GuardedRoute, tags=["views"])


@router.get("/v1/me/todo", response_model=TodoPage)
async def list_my_todo(
    principal: CurrentPrincipal, session: SessionDep, clock: ClockDep, tasks: TasksDep, page: PageDep
) -> TodoPage:
    """待办: the values I am to verify (核实), of the plans I manage, by the day they were entered or changed."""
    return await TodoService(session, principal, clock, tasks).page(limit=page.limit, cursor=page.cursor)
