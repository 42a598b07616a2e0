"""notify: reminders, urging and escalation, bulletins, and their delivery."""

from __future__ import annotations

from fastapi import FastAPI

from luoshi.me import me_router
from luoshi.routers import audit_router, jobs_router
from luoshi.service_app import downstream_hook
from luoshi.web import create_app
from luoshi_notify.models import AuditLog, Job
from luoshi_notify.settings import NotifySettings, get_settings

DESCRIPTION = """
落实 Luoshi **notify**: reminders before deadlines (提醒), urging after them (催办), escalation (督办),
bulletins (通报) and their delivery by inbox, email, webhooks and group robots. Sign in at tasks-api
(`POST /v1/auth/token`) and send the token here as `Authorization: Bearer …`.
"""

JOB_HANDLERS: dict = {}


def build_app(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_app(
        settings=settings,
        title="Luoshi notify",
        description=DESCRIPTION,
        routers=[me_router(), jobs_router(Job, "notify"), audit_router(AuditLog, "notify")],
        hook=downstream_hook(settings, Job, JOB_HANDLERS),
        token_url=f"{settings.tasks_api_url}/v1/auth/token",
    )


app = build_app()
