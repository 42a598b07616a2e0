"""The lifespan pieces the services share: for scoring-api and notify a TasksClient, remote authentication,
tasks-api's working-day calendar and a service's own extras after them; for all three the in-process job worker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any, TypeVar

from fastapi import FastAPI
from sqlalchemy import Table

from luoshi.auth import ServiceTokenSource
from luoshi.calendar_keeper import CalendarKeeper
from luoshi.clients.tasks import TasksClient
from luoshi.clock import Clock
from luoshi.http import ServiceClient
from luoshi.jobs import Handler, JobWorker
from luoshi.remote_auth import remote_authenticator
from luoshi.settings import BaseServiceSettings
from luoshi.web import background_task, background_worker

C = TypeVar("C", bound=ServiceClient)


def service_client(app: FastAPI, settings: BaseServiceSettings, client: type[C], base_url: str, name: str) -> C:
    """A client of another service, calling with this service's token. Tests may route the calls to an
    in-process app by setting app.state.transports[name]."""
    token = ServiceTokenSource(
        settings.service_secret.get_secret_value(), settings.service_name, settings.service_token_seconds
    )
    return client(
        base_url,
        token=token,
        timeout=settings.http_timeout,
        retries=settings.http_retries,
        transport=getattr(app.state, "transports", {}).get(name),
    )


def downstream_hook(
    settings: BaseServiceSettings,
    job_table: Table,
    handlers: dict[str, Handler],
    extra: Callable[[FastAPI, AsyncExitStack], AbstractAsyncContextManager[Any]] | None = None,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def hook(app: FastAPI) -> AsyncIterator[None]:
        tasks = service_client(app, settings, TasksClient, settings.tasks_api_url, "tasks")
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
            await stack.enter_async_context(job_worker(app, settings, job_table, handlers))
            if extra is not None:  # the service's own: started last, stopped first
                await stack.enter_async_context(extra(app, stack))
            yield

    return hook


@asynccontextmanager
async def job_worker(
    app: FastAPI, settings: BaseServiceSettings, job_table: Table, handlers: dict[str, Handler]
) -> AsyncIterator[None]:
    """Run the service's jobs inside the web process for the app's lifetime when JOBS_IN_PROCESS is set;
    otherwise they run in their own worker process and this does nothing."""
    if not settings.jobs_in_process:
        yield
        return
    worker = JobWorker(
        app.state.db,
        job_table,
        handlers,
        settings.asyncpg_dsn,
        lease_seconds=settings.job_lease_seconds,
        poll_seconds=settings.job_poll_seconds,
    )
    async with background_worker(worker):
        yield
