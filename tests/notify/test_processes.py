"""Three notify processes over one database and 1,000 tasks due today; one is killed with SIGKILL mid-run and
started again. The webhook receiver on loopback gets every notification, and counts each once.

The kill must land mid-delivery, with a lease held: once a quarter of the notifications have arrived the
receiver holds every further send unanswered, and the first process is killed only when one of the held
sends came over its own connection (psutil names its sockets). What it was sending is then sent again by
another process after the lease runs out — the notification shows that attempt, made by another worker —
and the repeats the receiver sees come from that one claimed batch at most."""

# The services are other processes: blocking calls in this async test hold up nothing of theirs.
# ruff: noqa: ASYNC210, ASYNC212, ASYNC251

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import psutil
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
BATCH = 50  # DELIVERY_BATCH: what one process claims, and so what one killed process can leave half-sent
LEASE_SECONDS = 5


class Counter:
    """Counts each event id on arrival. After `hold_after` ids it answers nothing until `release` is set,
    remembering from which client port each held send came."""

    def __init__(self, hold_after: int) -> None:
        self.lock = threading.Lock()
        self.received: dict[str, int] = {}
        self.bad = 0
        self.hold_after = hold_after
        self.release = threading.Event()
        self.held: dict[str, int] = {}  # event id -> the sender's port

    async def handle(self, request: Request) -> JSONResponse:
        body = await request.body()
        h = request.headers
        if not verify_signature(SECRET, h["x-luoshi-timestamp"], body, h["x-luoshi-signature"]):
            self.bad += 1
            return JSONResponse({}, status_code=401)
        key = h["x-luoshi-event-id"]
        with self.lock:
            self.received[key] = self.received.get(key, 0) + 1
            hold = len(self.received) > self.hold_after and not self.release.is_set()
            if hold and request.client is not None:
                self.held[key] = request.client.port
        # released from the test's thread: a threading.Event, polled
        while hold and not self.release.is_set():  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        return JSONResponse({"ok": True})


def start_notify(live: LiveServices, port: int, log_name: str) -> subprocess.Popen:
    env = {
        **live.env,
        "NOTIFY_PORT": str(port),
        "SWEEP_SECONDS": "1",
        "DELIVERY_POLL_SECONDS": "0.1",
        "DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
        "DELIVERY_BATCH": str(BATCH),
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


def ports_towards(pid: int, port: int) -> set[int]:
    """The local ports of a process's TCP connections to `port` on loopback."""
    return {
        c.laddr.port
        for c in psutil.Process(pid).net_connections(kind="tcp")
        if c.raddr and c.raddr.port == port and c.raddr.ip == "127.0.0.1"
    }


@pytest.mark.slow
async def test_three_processes_one_killed_each_notification_once(live, make_unit, make_user):
    gov = await make_unit(kind="government", level="county", name=unique("并发县人民政府-"))
    unit = await make_unit(parent_id=gov["id"], name=unique("并发县工信局-"), short_name=unique("工信"))
    office = await make_user("office", unit_id=gov["id"])
    token = httpx.post(
        f"{live.urls['tasks']}/v1/auth/token",
        data={"username": office["username"], "password": "correct horse battery"},
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

    counter = Counter(hold_after=TASKS // 4)
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
            # Kill only while a send of the first process is held unanswered: it holds a lease then.
            victim, receiver_port = procs[0].pid, urlsplit(url).port
            deadline, in_flight = time.monotonic() + 90, set()
            while not in_flight:
                if time.monotonic() > deadline:
                    pytest.fail(f"no send of the first process in flight after 90 s ({len(counter.received)} arrived)")
                time.sleep(0.05)
                with counter.lock:
                    held = dict(counter.held)
                in_flight = {key for key, port in held.items() if port in ports_towards(victim, receiver_port)}
            os.kill(victim, signal.SIGKILL)
            procs[0].wait(10)
            arrived_at_kill = len(counter.received)
            counter.release.set()
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
            time.sleep(1)  # a repeat still on its way is counted too
        finally:
            counter.release.set()
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
    # the kill landed mid-delivery: some had arrived, not all
    assert TASKS // 4 < arrived_at_kill < TASKS, arrived_at_kill
    # what the killed process was sending, under its lease, was sent again by another process after the lease
    by_key = {n["key"]: n for n in planned}
    killed_worker = f"{socket.gethostname()}:{victim}"
    for key in in_flight:
        detail = notify.get(f"/v1/notifications/{by_key[key]['id']}").json()
        log = detail["attempts_log"]
        assert detail["status"] == "sent" and detail["attempts"] >= 2, detail
        assert log and log[-1]["ok"] and log[-1]["worker"] not in (None, killed_worker), log
        assert all(a["worker"] != killed_worker for a in log), log  # the killed send left no record of its own
    # a repeat can only be a send of the killed process's one batch; the receiver drops it by its event id
    repeated = {key for key, count in counter.received.items() if count > 1}
    assert in_flight <= repeated
    assert repeated <= {n["key"] for n in planned if n["attempts"] >= 2}
    repeats = sum(count - 1 for count in counter.received.values())
    assert repeats <= BATCH, repeats
