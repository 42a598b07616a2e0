"""scoring-api: indicators, reported values, scoring rules, assessments and rankings."""

from __future__ import annotations

from fastapi import FastAPI

from luoshi.bodylimit import MULTIPART_SLACK
from luoshi.me import me_router
from luoshi.routers import audit_router, events_router, jobs_router
from luoshi.service_app import downstream_hook
from luoshi.web import create_app
from luoshi_scoring.models import AuditLog, Event, Job
from luoshi_scoring.routes import assessments, indicators, todo
from luoshi_scoring.service.assessments import ASSESSMENT_JOB, run_assessment_job
from luoshi_scoring.settings import ScoringSettings, get_settings

DESCRIPTION = """
落实 Luoshi **scoring-api**: the yearly assessment (考核评价): indicators, reported values, scoring
rules, assessment runs, scorecards and rankings. Sign in at tasks-api (`POST /v1/auth/token`) and send
the token here as `Authorization: Bearer …`.
"""

JOB_HANDLERS: dict = {}


def build_app(settings: ScoringSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    holder: dict[str, FastAPI] = {}

    async def assessment_job(ctx):  # type: ignore[no-untyped-def]
        # The app's TasksClient exists only once its lifespan has started, hence the late lookup.
        return await run_assessment_job(ctx, holder["app"].state.tasks_client)

    handlers = JOB_HANDLERS | {ASSESSMENT_JOB: assessment_job}
    app = create_app(
        settings=settings,
        title="Luoshi scoring-api",
        description=DESCRIPTION,
        routers=[
            indicators.router,
            assessments.router,
            todo.router,
            me_router(),
            jobs_router(Job, "scoring"),
            audit_router(AuditLog, "scoring"),
            events_router(
                Event,
                "scoring",
                description="The outbox other services read (notify: `assessment.published`), oldest first; keep "
                "`next_cursor` and ask again later, or pass the last `id` you handled as `after_id` — events stay "
                "until read.",
            ),
        ],
        hook=downstream_hook(settings, Job, handlers),
        # sign-in where users reach Luoshi (the one origin routes it to tasks-api), else tasks-api itself
        token_url=f"{(settings.public_base_url or settings.tasks_api_url).rstrip('/')}/v1/auth/token",
        upload_limits={"/v1/values/{value_id}/attachments": settings.attachment_max_bytes + MULTIPART_SLACK},
    )
    holder["app"] = app
    return app


app = build_app()
