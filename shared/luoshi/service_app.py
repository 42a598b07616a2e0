"""The lifespan pieces scoring-api and notify share: a TasksClient, remote authentication, and
the in-process job worker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Table

from luoshi.auth import ServiceTokenSource
from luoshi.calendar_keeper import CalendarKeeper
from luoshi.clients.tasks import TasksClient
from luoshi.clock import Clock
from luoshi.jobs import Handler, JobWorker
from luoshi.remote_auth import remote_authenticator
from luoshi.settings import BaseServiceSettings
from luoshi.web import background_task, background_worker


def downstream_hook(
    settings: BaseServiceSettings,
    job_table: Table,
    handlers: dict[str, Handler],
    extra: Callable[[FastAPI, AsyncExitStack], AbstractAsyncContextManager[Any]] | None = None,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def hook(app: FastAPI) -> AsyncIterator[None]:
        token = ServiceTokenSource(
            settings.service_secret.get_secret_value(), settings.service_name, settings.service_token_seconds
        )
        # Tests may route calls to an in-process tasks-api by setting app.state.transports.
        transport = getattr(app.state, "transports", {}).get("tasks")
        tasks = TasksClient(
            settings.tasks_api_url,
            token=token,
            timeout=settings.http_timeout,
            retries=settings.http_retries,
            transport=transport,
        )
        app.state.tasks_client = tasks
        app.state.authenticator = remote_authenticator(settings, tasks)
        # Working days are counted on tasks-api's calendar: read at start-up (retried until tasks-api answers),
        # again on a calendar.changed event and every CALENDAR_REFRESH_SECONDS.
        keeper = CalendarKeeper(
            settings.service_name, tasks.calendar, Clock(settings.timezone), settings.calendar_refresh_seconds
        )
        app.state.calendar = keeper
        async with AsyncExitStack() as stack:
            stack.push_async_callback(tasks.aclose)
            await stack.enter_async_context(background_task(keeper.run()))
            if settings.jobs_in_process:
                worker = JobWorker(
                    app.state.db,
                    job_table,
                    handlers,
                    settings.asyncpg_dsn,
                    lease_seconds=settings.job_lease_seconds,
                    poll_seconds=settings.job_poll_seconds,
                )
                await stack.enter_async_context(background_worker(worker))
            yield

    return hook
