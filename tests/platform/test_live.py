"""End to end, over loopback: three real service processes on one database."""

import json
import time
import uuid

import httpx
from openapi_spec_validator import validate

from tests.platform.test_errors import PROBLEM


def test_health_ready_metrics_and_valid_openapi(live):
    for key, url in live.urls.items():
        assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}
        assert httpx.get(f"{url}/readyz").status_code == 200
        spec = httpx.get(f"{url}/openapi.json").json()
        assert spec["openapi"].startswith("3.1")
        validate(spec)
        ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
        assert len(ids) == len(set(ids)), f"{key}: duplicate operationIds"
        assert httpx.get(f"{url}/docs").status_code == 200
        metrics = httpx.get(f"{url}/metrics").text
        assert "luoshi_http_requests_total" in metrics and "luoshi_db_pool_connections" in metrics


def test_request_id_crosses_from_scoring_to_tasks(live):
    login = httpx.post(
        f"{live.urls['tasks']}/v1/auth/token", data={"username": "live-office", "password": "Xx-live-2026"}
    )
    if login.status_code != 200:
        import subprocess
        import sys

        subprocess.run(
            [
                sys.executable,
                "-m",
                "luoshi_ops.cli",
                "users",
                "create",
                "live-office",
                "--role",
                "office",
                "--unit",
                str(_any_unit(live)),
            ],
            input="Xx-live-2026" + "\n" + "Xx-live-2026" + "\n",
            text=True,
            env=live.env,
            check=True,
        )
        login = httpx.post(
            f"{live.urls['tasks']}/v1/auth/token", data={"username": "live-office", "password": "Xx-live-2026"}
        )
    token = login.json()["access_token"]
    rid = f"trace-{uuid.uuid4().hex}"
    response = httpx.get(
        f"{live.urls['scoring']}/v1/me", headers={"Authorization": f"Bearer {token}", "X-Request-ID": rid}
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"] == rid

    def lines_with(key):
        out = []
        for line in live.logs[key].read_text().splitlines():
            if rid in line:
                out.append(json.loads(line))  # every line is JSON
        return out

    # The access line is written as the response ends, and a busy machine may take a moment to flush it.
    for _ in range(50):
        scoring_lines = lines_with("scoring")
        tasks_lines = lines_with("tasks")
        if any(e.get("route") == "/v1/me" for e in scoring_lines) and any(
            e.get("route") == "/v1/units/{unit_id}" for e in tasks_lines
        ):
            break
        time.sleep(0.1)
    assert any(e["service"] == "scoring-api" and e.get("route") == "/v1/me" for e in scoring_lines)
    assert any(e["service"] == "tasks-api" and e.get("route") == "/v1/units/{unit_id}" for e in tasks_lines)
    assert all(e["request_id"] == rid for e in scoring_lines + tasks_lines)


def test_problem_json_over_the_wire(live):
    response = httpx.get(f"{live.urls['notify']}/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)


def _any_unit(live) -> int:
    import asyncio

    import asyncpg

    async def create():
        conn = await asyncpg.connect(live.env["DATABASE_URL"])
        try:
            return await conn.fetchval(
                "INSERT INTO tasks.unit (name, kind) VALUES ($1, 'department') RETURNING id",
                f"直连单位-{uuid.uuid4().hex[:6]}",
            )
        finally:
            await conn.close()

    return asyncio.run(create())
