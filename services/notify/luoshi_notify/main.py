"""notify: reminders, urging and escalation, bulletins, and their delivery."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from luoshi.clients.scoring import ScoringClient
from luoshi.clock import Clock
from luoshi.me import me_router
from luoshi.routers import audit_router, jobs_router
from luoshi.service_app import downstream_hook, service_client
from luoshi.web import create_app
from luoshi_notify.channels.kit import ChannelKit
from luoshi_notify.models import AuditLog, Job
from luoshi_notify.routes import bulletins, channels, feeds, inbox, notifications, rules, templates, urgings
from luoshi_notify.service.channel_secrets import reseal_channel_secrets
from luoshi_notify.service.loops import SWEEP_JOB, notify_loops, sweep_once
from luoshi_notify.settings import NotifySettings, get_settings

DESCRIPTION = """
落实 Luoshi **notify**: reminders before deadlines (提醒), urging after them (催办), escalation (督办),
bulletins (通报) and their delivery by inbox, email, webhooks and group robots. Sign in at tasks-api
(`POST /v1/auth/token`) and send the token here as `Authorization: Bearer …`.
"""

JOB_HANDLERS: dict = {}


def build_app(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    holder: dict[str, FastAPI] = {}

    async def sweep_job(ctx: Any) -> dict[str, Any]:
        # The app's clients exist only once its lifespan has started, hence the late lookup.
        app = holder["app"]
        return await sweep_once(
            app.state.db,
            app.state.tasks_client,
            app.state.clock,
            calendar=app.state.calendar,
            full=bool(ctx.payload.get("full")),
        )

    @asynccontextmanager
    async def loops(app: FastAPI, stack: AsyncExitStack) -> AsyncIterator[None]:
        """After the shared wiring: a ScoringClient (its events), the clock, channel secrets resealed under
        the first key, and the sweep, delivery and event loops."""
        app.state.scoring_client = service_client(app, settings, ScoringClient, settings.scoring_api_url, "scoring")
        stack.push_async_callback(app.state.scoring_client.aclose)
        if getattr(app.state, "clock", None) is None:
            app.state.clock = Clock(settings.timezone)
        await reseal_channel_secrets(app.state.db, app.state.channel_kit.box)
        async with notify_loops(app, settings):
            yield

    handlers = JOB_HANDLERS | {SWEEP_JOB: sweep_job}
    app = create_app(
        settings=settings,
        title="Luoshi notify",
        description=DESCRIPTION,
        routers=[
            notifications.router,
            inbox.router,
            rules.router,
            channels.router,
            templates.router,
            feeds.router,
            bulletins.router,
            urgings.router,
            me_router(),
            jobs_router(Job, "notify"),
            audit_router(AuditLog, "notify"),
        ],
        hook=downstream_hook(settings, Job, handlers, extra=loops),
        # sign-in where users reach Luoshi (the one origin routes it to tasks-api), else tasks-api itself
        token_url=f"{(settings.public_base_url or settings.tasks_api_url).rstrip('/')}/v1/auth/token",
    )
    app.state.channel_kit = ChannelKit.from_settings(settings)
    holder["app"] = app
    return app


app = build_app()
