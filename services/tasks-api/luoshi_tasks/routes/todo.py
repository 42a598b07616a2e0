"""待办: the caller's work queue, and the merged queue of the three services."""

from __future__ import annotations

from fastapi import APIRouter, Request

from luoshi.contracts.todo import MergedTodoPage, TodoPage
from luoshi.inputguard import GuardedRoute
from luoshi.jsonutil import PageResponse
from luoshi_tasks.deps import ClockDep, CurrentPrincipal, PageDep
from luoshi_tasks.service.todo import todo_page
from luoshi_tasks.service.todo_merged import caller_credentials, merged_todo

router = APIRouter(route_class=GuardedRoute, tags=["views"])


@router.get("/v1/me/todo", response_model=TodoPage)
async def list_my_todo(request: Request, principal: CurrentPrincipal, clock: ClockDep, page: PageDep) -> TodoPage:
    """待办: what waits for me here, by date (`sort_on`: the deadline, else the day it arrived). The plan's office:
    reports to review, extension and completion requests to decide, plan drafts to finish. A unit: assignments to
    sign for, the next reporting period owed, reports and completion requests returned (with `reason`)."""
    page_ = await todo_page(request.app.state.db.pool, principal, clock, limit=page.limit, cursor=page.cursor)
    return PageResponse(page_)  # type: ignore[return-value]  # shaped as TodoPage


@router.get("/v1/me/todo/all", response_model=MergedTodoPage)
async def list_all_my_todo(
    request: Request, principal: CurrentPrincipal, clock: ClockDep, page: PageDep
) -> MergedTodoPage:
    """待办, all in one: this queue and scoring-api's and notify's (asked with the caller's own credential),
    merged by date. A service that does not answer is named in `sources` (`ok: false`) and its items are left
    out; the rest still come. The cursor pages all three."""
    pool = request.app.state.db.pool

    async def own() -> TodoPage:
        return TodoPage.model_validate(await todo_page(pool, principal, clock, limit=page.limit, cursor=page.cursor))

    return await merged_todo(
        request.app.state.todo_peers,
        caller_credentials(request.headers),
        own,
        limit=page.limit,
        cursor=request.query_params.get("cursor"),
    )
