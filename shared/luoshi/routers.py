"""Routers every service mounts over its own tables: its jobs, its audit log and its event outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import Table, select

from luoshi.audit import AuditEntry
from luoshi.auth import Principal, require_roles, require_scope
from luoshi.errors import NotFound, responses
from luoshi.inputguard import GuardedRoute
from luoshi.jobs import JobRead, get_job, job_read
from luoshi.outbox import EventRead, read_events
from luoshi.pagination import Page, PageParams, make_page, page_params
from luoshi.web import CurrentPrincipal as PrincipalDep
from luoshi.web import ReadConnDep, SessionDep


class JobNotFound(NotFound):
    code, title_en, title_zh = "job_not_found", "Job not found", "任务不存在"


# Each service's jobs under a path of its own: job ids are per service and overlap, and behind the one origin a
# client follows `Location` as given, so the path must name the service that ran the job.
JOB_PATHS = {"tasks": "/v1/jobs", "scoring": "/v1/scoring-jobs", "notify": "/v1/notify-jobs"}


def job_location(scope_area: str, job_id: int) -> str:
    """The `Location` of a job of the service whose scope area is `scope_area`."""
    return f"{JOB_PATHS[scope_area]}/{job_id}"


def jobs_router(table: Table, scope_area: str) -> APIRouter:
    router = APIRouter(route_class=GuardedRoute, prefix=JOB_PATHS[scope_area], tags=["jobs"])

    @router.get("/{job_id}", response_model=JobRead, responses=responses(JobNotFound))
    async def get_job_status(job_id: int, conn: ReadConnDep, principal: PrincipalDep, response: Response) -> JobRead:
        """A job's status, progress, and its result or errors once it ends. Poll until `status` is
        `succeeded` or `failed`."""
        require_scope(principal, f"{scope_area}:read")
        row = await get_job(conn, table, job_id)  # type: ignore[arg-type]
        mine = row is not None and (
            principal.is_service
            or principal.has_role("admin", "office")
            or (principal.user_id is not None and row.owner_user_id == principal.user_id)
        )
        if not mine:
            raise JobNotFound(f"No job {job_id}", f"任务 {job_id} 不存在")
        if row.status in ("queued", "running"):
            response.headers["Retry-After"] = "1"
        return job_read(row)

    return router


def audit_router(table: Table, scope_area: str) -> APIRouter:
    router = APIRouter(route_class=GuardedRoute, prefix="/v1/audit", tags=["audit"])

    @router.get("", response_model=Page[AuditEntry])
    async def list_audit_entries(
        conn: ReadConnDep,
        principal: PrincipalDep,
        page: Annotated[PageParams, Depends(page_params)],
        entity: Annotated[str | None, Query(description="e.g. unit, assignment")] = None,
        entity_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
    ) -> Page[AuditEntry]:
        """Who changed what and when, newest first (office and admin)."""
        require_scope(principal, f"{scope_area}:read")
        require_roles(principal, ("office", "leader"))
        q = select(table).order_by(table.c.id.desc()).limit(page.limit + 1)
        if entity:
            q = q.where(table.c.entity == entity)
        if entity_id:
            q = q.where(table.c.entity_id == entity_id)
        if actor:
            q = q.where(table.c.actor == actor)
        if since:
            q = q.where(table.c.at >= since)
        if page.cursor:
            q = q.where(table.c.id < int(page.cursor[0]))
        rows = [AuditEntry.model_validate(r._mapping) for r in (await conn.execute(q)).all()]
        return make_page(rows, page.limit, lambda e: [e.id])

    return router


def require_event_reader(principal: Principal, scope_area: str) -> None:
    """Who may read a service's outbox, the same in every service: services, admins and office users (an API
    key also needs `{area}:read`). Anyone else signed in gets 403 (`forbidden`)."""
    require_scope(principal, f"{scope_area}:read")
    require_roles(principal, ("office",))


def events_router(table: Table, scope_area: str, *, description: str) -> APIRouter:
    """`GET /v1/events`: the service's outbox (luoshi.outbox), oldest first. `description` names its events."""
    router = APIRouter(route_class=GuardedRoute, tags=["events"])

    @router.get("/v1/events", response_model=Page[EventRead], description=description)
    async def list_events(
        principal: PrincipalDep,
        session: SessionDep,
        page: Annotated[PageParams, Depends(page_params)],
        kind: str | None = None,
        after_id: int | None = None,
    ) -> Page[EventRead]:
        require_event_reader(principal, scope_area)
        after = int(page.cursor[0]) if page.cursor else after_id
        rows = await read_events(session, table, after_id=after, kind=kind, limit=page.limit)
        result = make_page(rows, page.limit, lambda r: [r.id])
        return Page[EventRead](
            items=[EventRead.model_validate(r) for r in result.items], next_cursor=result.next_cursor
        )

    return router
