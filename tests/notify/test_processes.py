"""Three notify processes over one database and 1,000 tasks due today; one is killed with SIGKILL mid-run and
started again. The webhook receiver on loopback gets every notification, and counts each once."""

# The services are other processes: blocking calls in this async test hold up nothing of theirs.
# ruff: noqa: ASYNC210, ASYNC212, ASYNC251

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from luoshi_notify.channels.webhook import verify_signature
from luoshi_tasks.breakdown import write_breakdown_csv
from tests.conftest import unique
from tests.support import REPO, LiveServices, free_port
from tests.unit.notify_channels import serve

SECRET = "three-processes"
TASKS = 1000


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: dict[str, int] = {}
        self.bad = 0

    async def handle(self, request: Request) -> JSONResponse:
        body = await request.body()
        h = request.headers
        if not verify_signature(SECRET, h["x-luoshi-timestamp"], body, h["x-luoshi-signature"]):
            self.bad += 1
            return JSONResponse({}, status_code=401)
        with self.lock:
            self.received[h["x-luoshi-event-id"]] = self.received.get(h["x-luoshi-event-id"], 0) + 1
        return JSONResponse({"ok": True})


def start_notify(live: LiveServices, port: int, log_name: str) -> subprocess.Popen:
    env = {
        **live.env,
        "NOTIFY_PORT": str(port),
        "SWEEP_SECONDS": "1",
        "DELIVERY_POLL_SECONDS": "0.1",
        "DELIVERY_LEASE_SECONDS": "3",
        "DELIVERY_BATCH": "50",
        "EVENTS_SECONDS": "3600",
    }
    log = (live.logs["notify"].parent / log_name).open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "luoshi_ops.cli", "serve", "notify"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.slow
async def test_three_processes_one_killed_each_notification_once(live, make_unit, make_user):
    gov = await make_unit(kind="government", level="county", name=unique("并发县人民政府-"))
    unit = await make_unit(parent_id=gov["id"], name=unique("并发县工信局-"), short_name=unique("工信"))
    office = await make_user("office", unit_id=gov["id"])
    token = httpx.post(
        f"{live.urls['tasks']}/v1/auth/token",
        data={"username": office["username"], "password": "Correct horse battery 9"},
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    tasks = httpx.Client(base_url=live.urls["tasks"], headers=headers, timeout=60)
    plan = tasks.post(
        "/v1/plans",
        json={"title": unique("并发方案-"), "issuer": gov["name"], "issued_on": "2026-01-05", "status": "active"},
    ).json()
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    rows = [
        {"number": str(i + 1), "title": f"第{i + 1}项任务", "lead_units": [unit["name"]], "deadline_text": today}
        for i in range(TASKS)
    ]
    started = tasks.post(
        f"/v1/plans/{plan['id']}/breakdown", files={"file": ("t.csv", write_breakdown_csv(rows), "text/csv")}
    )
    assert started.status_code == 202, started.text
    for _ in range(600):
        job = tasks.get(started.headers["location"]).json()
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "succeeded", job

    counter = Counter()
    with serve(Starlette(routes=[Route("/hook", counter.handle, methods=["POST"])])) as url:
        notify = httpx.Client(base_url=live.urls["notify"], headers=headers, timeout=30)
        r = notify.post(
            "/v1/channels",
            json={
                "name": unique("并发接收-"),
                "kind": "webhook",
                "config": {"url": f"{url}/hook", "secret": SECRET},
                "scope": {"plan_ids": [plan["id"]]},
            },
        )
        assert r.status_code == 201, r.text
        channel = r.json()["name"]
        # send as soon as planned, whatever the hour of this test run
        rules = notify.put(f"/v1/rules/{plan['id']}", json={"rules": {"send_hour": 0}})
        assert rules.status_code == 200, rules.text
        procs = [start_notify(live, free_port(), f"notify-{i}.log") for i in range(3)]
        try:
            deadline = time.monotonic() + 60
            while len(counter.received) < TASKS // 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(procs[0].pid, signal.SIGKILL)  # mid-run, leases held
            procs[0].wait(10)
            procs[0] = start_notify(live, free_port(), "notify-0-again.log")
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                unsent = [
                    notify.get("/v1/notifications", params={"channel": channel, "status": s, "limit": 1}).json()
                    for s in ("pending", "sending")
                ]
                if len(counter.received) >= TASKS and not any(u["items"] for u in unsent):
                    break
                time.sleep(0.3)
            time.sleep(4)  # anything still leased by the dead process is sent again after its lease: counted once
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(20)
    assert counter.bad == 0
    planned, cursor = [], None
    while True:
        page = notify.get(
            "/v1/notifications", params={"channel": channel, "limit": 500, **({"cursor": cursor} if cursor else {})}
        ).json()
        planned += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    # one due-today notice per task (and any reminder still fresh), planned once by four sweeping processes
    assert sum(n["rule"] == "due_today" for n in planned) == TASKS
    assert len({n["key"] for n in planned}) == len(planned)
    assert {n["key"] for n in planned} == set(counter.received)  # every one arrived; nothing else did
    assert {n["status"] for n in planned} == {"sent"}
    # a repeat can only be a send the killed process had in flight; the receiver drops it by its event id
    repeats = sum(count - 1 for count in counter.received.values())
    assert repeats < TASKS // 4, repeats
