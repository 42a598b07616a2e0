"""tasks-api: plans, the task breakdown table, and the supervision workflow. Also issues identity."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from luoshi.bodylimit import MULTIPART_SLACK
from luoshi.calendar_keeper import CalendarKeeper
from luoshi.clients.notify import NotifyClient
from luoshi.clients.scoring import ScoringClient
from luoshi.clock import Clock
from luoshi.logging import get_logger
from luoshi.routers import audit_router, jobs_router
from luoshi.service_app import job_worker, service_client
from luoshi.web import background_task, create_app
from luoshi_tasks import calendar
from luoshi_tasks.identity import routes as identity_routes
from luoshi_tasks.identity.authenticator import build_authenticator
from luoshi_tasks.identity.keys import SigningKeys
from luoshi_tasks.models import AuditLog, Job
from luoshi_tasks.routes import (
    assignments,
    drafts,
    events,
    extensions,
    performance,
    plans,
    todo,
    units,
)
from luoshi_tasks.routes import (
    calendar as calendar_routes,
)
from luoshi_tasks.service import breakdown
from luoshi_tasks.service import drafts as drafts_service
from luoshi_tasks.settings import TasksSettings, get_settings

DESCRIPTION = """
落实 Luoshi **tasks-api**: units, plans, the task breakdown table (任务分解表), assignments, reports,
extensions and traffic lights. It also signs users in: `POST /v1/auth/token` returns a JWT that
scoring-api and notify accept too.

Errors are `application/problem+json` (RFC 9457) with a machine `code`, `title` (English) and
`title_zh` (中文). Lists are cursor-paginated: pass `next_cursor` back as `cursor`.
Changes to a resource need the `ETag` you read in `If-Match`.
"""

JOB_HANDLERS: dict = {}


log = get_logger("luoshi.calendar")


def build_app(settings: TasksSettings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def hook(app: FastAPI) -> AsyncIterator[None]:
        keys = SigningKeys.load(settings)
        app.state.keys = keys
        if not hasattr(app.state, "clock"):
            app.state.clock = Clock(settings.timezone)
        # Uploaded documents are parsed only here, in the job worker, within the limits in settings.
        JOB_HANDLERS[breakdown.IMPORT_JOB] = lambda ctx: breakdown.run_import_job(
            ctx, app.state.clock, app.state.settings.sheet_limits()
        )
        JOB_HANDLERS[drafts_service.DRAFT_JOB] = lambda ctx: drafts_service.run_draft_job(
            ctx, app.state.clock, app.state.settings.document_limits(), app.state.settings.draft_max_tasks
        )
        db = app.state.db
        app.state.authenticator = build_authenticator(settings, db, keys)
        # Working days are counted on the database's calendar from the first request on.
        keeper = CalendarKeeper(
            "tasks-api", lambda: calendar.load(db), app.state.clock, settings.calendar_refresh_seconds
        )
        try:
            await keeper.refresh()
        except Exception as exc:  # not migrated yet (/readyz says so): the keeper's run retries
            log.warning("calendar_unavailable", service="tasks-api", error=repr(exc)[:300])
        app.state.calendar = keeper
        # The merged work queue asks scoring-api and notify with the caller's own credential: no service token.
        app.state.todo_peers = {
            "scoring": ScoringClient(settings.scoring_api_url, timeout=settings.http_timeout, retries=0),
            "notify": NotifyClient(settings.notify_url, timeout=settings.http_timeout, retries=0),
        }
        # an accepted plan draft hands its indicators to scoring-api (with the office's own credential)
        app.state.scoring_client = service_client(app, settings, ScoringClient, settings.scoring_api_url, "scoring")
        async with AsyncExitStack() as stack:
            for peer in (*app.state.todo_peers.values(), app.state.scoring_client):
                stack.push_async_callback(peer.aclose)
            await stack.enter_async_context(background_task(keeper.run()))
            await stack.enter_async_context(job_worker(app, settings, Job, JOB_HANDLERS))
            yield

    return create_app(
        settings=settings,
        title="Luoshi tasks-api",
        description=DESCRIPTION,
        routers=[
            units.router,
            assignments.router,
            todo.router,
            extensions.router,
            calendar_routes.router,
            plans.router,
            performance.router,
            drafts.router,
            events.router,
            identity_routes.router,
            jobs_router(Job, "tasks"),
            audit_router(AuditLog, "tasks"),
        ],
        hook=hook,
        # the routes that take files (a multipart envelope's worth more than the file's own limit)
        upload_limits={
            "/v1/reports/{report_id}/attachments": settings.attachment_max_bytes + MULTIPART_SLACK,
            "/v1/plans/{plan_id}/breakdown": settings.import_max_bytes + MULTIPART_SLACK,
            "/v1/plan-drafts": settings.import_max_bytes + MULTIPART_SLACK,
        },
    )


app = build_app()
