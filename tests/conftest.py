"""The test harness: a real PostgreSQL (embedded, or DATABASE_URL's server), migrated once; the
services' apps driven in-process over ASGI, or as real processes on loopback for end-to-end tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from luoshi import workdays
from luoshi_ops.migrate import upgrade
from tests.support import (
    LOOPBACK,
    SESSION_ADDRESS_LIMIT,
    SESSION_CHECK_SECONDS,
    LiveServices,
    fresh_database,
    running_origin,
    seed_calendar,
)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from luoshi_ops import devdb
    from tests import support

    if support.started_embedded:
        devdb.stop()


TEST_DB = os.environ.get("LUOSHI_TEST_DB") or (
    f"luoshi_test_{os.getpid()}" if os.environ.get("PYTEST_XDIST_WORKER") else "luoshi_test"
)


@pytest.fixture(scope="session", autouse=True)
def official_calendar() -> None:
    """Pure tests count working days on the official 2004–2026 calendar, as the services do once they have
    read it from tasks-api's database."""
    workdays.install(seed_calendar())


@pytest.fixture(scope="session")
def database_url() -> str:
    url = fresh_database(TEST_DB)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


def _common(database_url: str, key_dir: Path) -> dict[str, Any]:
    # SESSION_CHECK_SECONDS 1: an ended session's tokens are refused within a second (tests/platform/test_sessions.py)
    return {
        "database_url": database_url,
        "environment": "test",
        "log_json": True,
        "job_poll_seconds": 0.5,
        "session_check_seconds": SESSION_CHECK_SECONDS,
    }


@pytest.fixture(scope="session")
async def tasks_app(database_url: str, key_dir: Path) -> AsyncIterator[Any]:
    from luoshi_tasks.main import build_app
    from luoshi_tasks.settings import TasksSettings

    # Every in-process request comes from one address (ASGITransport's 127.0.0.1) all session long: the address
    # throttle would soon refuse them all. tests/platform/test_signin_throttle.py sets its own limit.
    app = build_app(
        TasksSettings(
            **_common(database_url, key_dir),
            jwt_private_key_file=key_dir / "jwt.pem",
            signin_address_max_failures=SESSION_ADDRESS_LIMIT,
        )
    )
    async with app.router.lifespan_context(app):
        yield app


async def _downstream(module: str, settings_cls: str, database_url: str, key_dir: Path, tasks_app: Any, **extra: Any):
    import importlib

    main = importlib.import_module(f"{module}.main")
    settings_mod = importlib.import_module(f"{module}.settings")
    settings = getattr(settings_mod, settings_cls)(
        **_common(database_url, key_dir), tasks_api_url="http://tasks", **extra
    )
    app = main.build_app(settings)
    app.state.transports = {"tasks": httpx.ASGITransport(tasks_app), **extra_transports.get(module, {})}
    return app


# Transports other in-process services use (notify reads scoring's events): filled once both exist.
extra_transports: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="session")
async def scoring_app(database_url: str, key_dir: Path, tasks_app: Any) -> AsyncIterator[Any]:
    app = await _downstream("luoshi_scoring", "ScoringSettings", database_url, key_dir, tasks_app)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="session")
async def notify_app(database_url: str, key_dir: Path, tasks_app: Any, scoring_app: Any) -> AsyncIterator[Any]:
    # Tests drive notify's sweep and delivery themselves, at the moments they choose.
    extra_transports["luoshi_notify"] = {"scoring": httpx.ASGITransport(scoring_app)}
    app = await _downstream(
        "luoshi_notify", "NotifySettings", database_url, key_dir, tasks_app, notify_loops=False, outbound_allow=LOOPBACK
    )
    async with app.router.lifespan_context(app):
        yield app


def _client(app: Any, name: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=f"http://{name}")


@pytest.fixture
async def tasks(tasks_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(tasks_app, "tasks") as client:
        yield client


@pytest.fixture
async def scoring(scoring_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(scoring_app, "scoring") as client:
        yield client


@pytest.fixture
async def notify(notify_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(notify_app, "notify") as client:
        yield client


def unique(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


PASSWORD = "Correct horse battery 9"  # every make_user account's
MakeUser = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture(scope="session")
async def make_user(tasks_app: Any) -> MakeUser:
    """Create a user directly, sign in through the API, return {"id", "username", "token", "headers"}."""
    from luoshi_tasks.identity.schemas import UserCreate
    from luoshi_tasks.identity.service import IdentityService

    async def make(role: str = "office", unit_id: int | None = None, **kw: Any) -> dict[str, Any]:
        username = kw.pop("username", None) or unique(f"{role}-")
        password = PASSWORD
        async with tasks_app.state.db.sessionmaker() as session:
            service = IdentityService(session, tasks_app.state.settings, tasks_app.state.keys)
            user = await service.create_user(
                UserCreate(username=username, password=password, roles=[role], unit_id=unit_id, **kw), None
            )
            await session.commit()
        async with _client(tasks_app, "tasks") as client:
            response = await client.post("/v1/auth/token", data={"username": username, "password": password})
            assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        return {
            "id": user.id,
            "username": username,
            "token": token,
            "unit_id": unit_id,
            "headers": {"Authorization": f"Bearer {token}"},
        }

    return make


@pytest.fixture(scope="session")
async def admin(make_user: MakeUser) -> dict[str, Any]:
    return await make_user("admin")


@pytest.fixture(scope="session")
async def office(make_user: MakeUser) -> dict[str, Any]:
    return await make_user("office")


@pytest.fixture
async def make_unit(tasks: httpx.AsyncClient, office: dict[str, Any]) -> Callable[..., Awaitable[dict[str, Any]]]:
    async def make(**kw: Any) -> dict[str, Any]:
        body = {"name": unique("测试局-"), "kind": "department", **kw}
        response = await tasks.post("/v1/units", json=body, headers=office["headers"])
        assert response.status_code == 201, response.text
        return response.json()

    return make


@pytest.fixture(scope="session")
def live(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The three services as real processes (end-to-end tests)."""
    services = LiveServices(database_url, tmp_path_factory.mktemp("live")).start()
    yield services
    services.stop()


@pytest.fixture
async def services(
    tasks: httpx.AsyncClient, scoring: httpx.AsyncClient, notify: httpx.AsyncClient
) -> dict[str, httpx.AsyncClient]:
    return {"tasks": tasks, "scoring": scoring, "notify": notify}


@pytest.fixture(scope="session")
def console_dist() -> Path:
    """The web console built from the checkout (`luoshi console`, as `make run` does); skipped only without Node.js."""
    from luoshi_ops import console

    try:
        return console.build()
    except console.ConsoleUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def origin(database_url: str, tmp_path_factory: pytest.TempPathFactory, console_dist: Path) -> Any:
    """The services as `make run` starts them, PUBLIC_BASE_URL the origin, and the origin in front serving the
    console; `origin-admin` / `Lantern-maple-2026!` is an administrator. Per module: their loops (sweeps,
    deliveries) work on the tests' database, so they must not outlive the tests that need them."""
    with running_origin(database_url, tmp_path_factory.mktemp("origin"), ("origin-admin", "Lantern-maple-2026!")) as (
        url,
        _services,
    ):
        yield url
