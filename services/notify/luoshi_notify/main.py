"""notify: reminders, urging and escalation, bulletins, and their delivery."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from luoshi.auth import ServiceTokenSource
from luoshi.clock import Clock
from luoshi.http import ServiceClient
from luoshi.me import me_router
from luoshi.routers import audit_router, jobs_router
from luoshi.service_app import downstream_hook
from luoshi.web import create_app
from luoshi_notify.channels.kit import ChannelKit
from luoshi_notify.models import AuditLog, Job
from luoshi_notify.routes import feeds, notify
from luoshi_notify.service.channel_secrets import reseal_channel_secrets
from luoshi_notify.service.loops import notify_loops, sweep_once
from luoshi_notify.settings import NotifySettings, get_settings

DESCRIPTION = """
落实 Luoshi **notify**: reminders before deadlines (提醒), urging after them (催办), escalation (督办),
bulletins (通报) and their delivery by inbox, email, webhooks and group robots. Sign in at tasks-api
(`POST /v1/auth/token`) and send the token here as `Authorization: Bearer …`.
"""

JOB_HANDLERS: dict = {}


class ScoringClient(ServiceClient):
    service_name = "scoring-api"


def build_app(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    holder: dict[str, FastAPI] = {}

    async def sweep_job(ctx: Any) -> dict[str, Any]:
        app = holder["app"]
        return await sweep_once(app.state.db, app.state.tasks_client, app.state.clock, calendar=app.state.calendar)

    @asynccontextmanager
    async def extra(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            token = ServiceTokenSource(
                settings.service_secret.get_secret_value(), settings.service_name, settings.service_token_seconds
            )
            transport = getattr(app.state, "transports", {}).get("scoring")
            app.state.scoring_client = ScoringClient(
                settings.scoring_api_url,
                token=token,
                timeout=settings.http_timeout,
                retries=settings.http_retries,
                transport=transport,
            )
            stack.push_async_callback(app.state.scoring_client.aclose)
            if getattr(app.state, "clock", None) is None:
                app.state.clock = Clock(settings.timezone)
            await reseal_channel_secrets(app.state.db, app.state.channel_kit.box)
            await stack.enter_async_context(notify_loops(app, settings))
            yield

    base_hook = downstream_hook(settings, Job, JOB_HANDLERS | {notify.SWEEP_JOB: sweep_job})

    @asynccontextmanager
    async def hook(app: FastAPI) -> AsyncIterator[None]:
        async with base_hook(app), extra(app):
            yield

    app = create_app(
        settings=settings,
        title="Luoshi notify",
        description=DESCRIPTION,
        routers=[
            notify.router,
            feeds.router,
            me_router(),
            jobs_router(Job, "notify"),
            audit_router(AuditLog, "notify"),
        ],
        hook=hook,
        token_url=f"{settings.tasks_api_url}/v1/auth/token",
    )
    app.state.channel_kit = ChannelKit.from_settings(settings)
    holder["app"] = app
    return app


app = build_app()
