"""What every service's FastAPI app shares: lifespan, errors, middleware, health, metrics, sessions."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from luoshi import metrics, requestrecord
from luoshi.auth import Principal
from luoshi.bodylimit import BodyLimits
from luoshi.db import Database
from luoshi.errors import PROBLEM_MEDIA_TYPE, Problem, ServiceUnavailable, app_error_response, install_error_handlers
from luoshi.headers import SecurityHeaders
from luoshi.inputguard import GuardedRoute
from luoshi.jsonutil import ORJSONResponse
from luoshi.logging import configure_logging, get_logger
from luoshi.middleware import RequestContextMiddleware
from luoshi.migrate import head_revision, is_ahead
from luoshi.openapi import finish_openapi
from luoshi.settings import BaseServiceSettings, DatabaseUrlMissing
from luoshi.webdocs import install_docs

ServiceHook = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    *,
    settings: BaseServiceSettings,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    hook: ServiceHook | None = None,
    openapi_tags: list[dict[str, Any]] | None = None,
    token_url: str = "/v1/auth/token",
    upload_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    """The app of one service; `hook` opens and closes what the service adds (clients, workers).
    `upload_limits`: the routes (path templates) that take a body larger than BODY_MAX_BYTES, and how large."""
    configure_logging(settings.service_name, settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log = get_logger("luoshi.app")
        if not settings.database_url:  # one plain line for the operator before uvicorn's traceback
            log.error(str(DatabaseUrlMissing()), service=settings.service_name)
            raise DatabaseUrlMissing
        db = Database.from_settings(settings)
        await db.open()
        app.state.db = db
        app.state.settings = settings
        log.info("starting", service=settings.service_name, port=settings.port)
        try:
            if hook is None:
                yield
            else:
                async with hook(app):
                    yield
        finally:
            requestrecord.flush_all()  # the last requests' lines and counts
            await db.dispose()
            log.info("stopped", service=settings.service_name)

    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        default_response_class=ORJSONResponse,
        docs_url=None,  # served by install_docs, from the service itself
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        openapi_tags=openapi_tags,
        # FastAPI's native OpenTelemetry: off unless OTEL=true (then its defaults)
        telemetry=None
        if settings.otel
        else {"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
        responses={
            400: _problem("Malformed request (body, cursor, window) / 请求有误"),
            401: _problem("Not signed in / 未登录"),
            403: _problem("Not allowed for your role or unit / 无权执行此操作"),
            422: _problem("Invalid input / 输入不合法"),
        },
    )
    app.router.route_class = GuardedRoute  # the docs' own routes too
    app.state.settings = settings
    finish_openapi(app, token_url)
    install_error_handlers(app)
    if settings.cors_origins:  # none by default: the console is served from the same origin as the APIs
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "X-API-Key", "X-Request-ID"],
            expose_headers=["ETag", "Location", "Retry-After", "X-Request-ID"],
            max_age=600,
        )
    # outermost: a body too large is refused before routing, authentication or parsing, with the request id
    app.add_middleware(
        RequestContextMiddleware,
        service=settings.service_name,
        body_limits=BodyLimits(settings.body_max_bytes, upload_limits),
        security_headers=SecurityHeaders(hsts=settings.public_base_url.startswith("https://")),
    )
    install_docs(app, title)
    for router in (health_router(), *routers):
        unguarded = [r.path for r in router.routes if isinstance(r, APIRoute) and not isinstance(r, GuardedRoute)]
        if unguarded:  # a router that forgot route_class=GuardedRoute would take input the guard never saw
            raise TypeError(f"routes without the input guard (APIRouter(route_class=GuardedRoute)): {unguarded}")
        app.include_router(router)
    return app


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_MEDIA_TYPE: {}}}


def _operation_id(route: APIRoute) -> str:
    """Stable operationIds: the endpoint function's name (`get_unit`), unique within a service."""
    return route.name


def health_router() -> APIRouter:
    router = APIRouter(route_class=GuardedRoute, tags=["operations"])

    @router.get("/healthz", summary="The process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        summary="Ready: the database answers and the schema is current",
        responses={503: {"model": Problem, "content": {"application/problem+json": {}}}},
    )
    async def readyz(request: Request) -> Response:
        db: Database = request.app.state.db
        expected = head_revision()
        try:
            async with asyncio.timeout(2):
                async with db.engine.connect() as conn:
                    current = await _schema_revision(conn)
        except Exception as exc:
            return app_error_response(
                ServiceUnavailable(f"Database not reachable: {type(exc).__name__}", "数据库无法连接"), "/readyz"
            )
        if current != expected and not is_ahead(current):
            return app_error_response(
                ServiceUnavailable(
                    f"Database schema is at {current or 'nothing (never migrated)'}, this release needs {expected}: "
                    "run `luoshi migrate`",
                    f"数据库结构版本为 {current or '空（从未迁移）'}，本版本需要 {expected}，请先执行 luoshi migrate",
                ),
                "/readyz",
            )
        if current != expected:  # ahead: a newer release has migrated; this one keeps serving until replaced
            return ORJSONResponse({"status": "ready", "schema": current, "release_schema": expected})
        return ORJSONResponse({"status": "ready", "schema": current})

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def prometheus_metrics(request: Request) -> Response:
        request.app.state.db.observe_pool()
        requestrecord.flush_all()  # requests answered in the last moments counted too
        await metrics.refresh()
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    return router


async def _schema_revision(conn: AsyncConnection) -> str | None:
    """The database's Alembic revision; None when it was never migrated."""
    from sqlalchemy.exc import ProgrammingError

    try:
        return (await conn.execute(text("SELECT version_num FROM public.alembic_version"))).scalar()
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42P01":  # undefined table
            return None
        raise


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async for session in request.app.state.db.session():
        yield session


async def get_read_connection(request: Request) -> AsyncIterator[AsyncConnection]:
    async for conn in request.app.state.db.read_connection():
        yield conn


# Committed before the response is sent, so a client never sees 2xx for a write that failed.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadConnDep = Annotated[AsyncConnection, Depends(get_read_connection, scope="function")]


async def current_principal(request: Request) -> Principal:
    return await request.app.state.authenticator.authenticate(request)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


@asynccontextmanager
async def background_task(work: Any) -> AsyncIterator[None]:
    """Run the coroutine `work` (a loop) for the app's lifetime; cancelled at shutdown."""
    task = asyncio.create_task(work)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


@asynccontextmanager
async def background_worker(worker: Any) -> AsyncIterator[None]:
    """Run a JobWorker inside the web process (JOBS_IN_PROCESS) for the app's lifetime."""
    task = asyncio.create_task(worker.run())
    try:
        yield
    finally:
        worker.stop()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, 10)
