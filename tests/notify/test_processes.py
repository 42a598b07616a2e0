"""Three notify processes (and the live one) over one database and 1,000 tasks due today; one is killed with
SIGKILL mid-batch and started again. The webhook receiver on loopback gets every notification, and counts each.

What the test makes sure of rather than hopes for: once a quarter have arrived the receiver answers no one,
so every sender stays mid-batch under its lease, and the first process is killed only when one of its sends is
held (psutil names its connections; none within 60 s fails the test). While the others are still held, only
the restarted process is answered, so the killed process's claim can only be taken over by it, after its
lease runs out. Then everyone is answered and the run completes.

The others are held for longer than their lease, so they only keep their rows by renewing it: a process
whose batch outlasted its lease once lost rows to another process, and both sent them (51 repeats where one
batch is 50)."""

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
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import asyncpg
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
from tests.support import REPO, LiveServices, due_day_notices_go_out_today, free_port, zone_at_noon
from tests.unit.notify_channels import serve

SECRET = "three-processes"
TASKS = 1000
HOLD_AFTER = TASKS // 4
BATCH = 50  # DELIVERY_BATCH: what one process claims at a time, so all a killed one can leave half-sent
# renewed every third of it: 6 s leaves 4 s for a process starved of CPU on a busy two-core machine (at 3 s, two
# living processes once lost rows to each other while the machine ran OCR beside the suite)
LEASE_SECONDS = 6


def ports_towards(pid: int, port: int) -> set[int]:
    """The local ports of a process's TCP connections to `port` on loopback."""
    return {
        c.laddr.port
        for c in psutil.Process(pid).net_connections(kind="tcp")
        if c.raddr and c.raddr.port == port and c.raddr.ip == "127.0.0.1"
    }


class Receiver:
    """Counts each event id on arrival. After `hold_after` ids it leaves every send unanswered until `release`
    is set, except those of the process `passes`; it remembers from which port each held send came."""

    def __init__(self, hold_after: int) -> None:
        self.lock = threading.Lock()
        self.received: dict[str, int] = {}
        self.held: dict[str, int] = {}  # event id -> the sender's port
        self.bad = 0
        self.hold_after = hold_after
        self.release = threading.Event()
        self.passes: int | None = None  # a pid

    async def handle(self, request: Request) -> JSONResponse:
        body = await request.body()
        h = request.headers
        if not verify_signature(SECRET, h["x-luoshi-timestamp"], body, h["x-luoshi-signature"]):
            self.bad += 1
            return JSONResponse({}, status_code=401)
        key, port = h["x-luoshi-event-id"], request.client.port if request.client else 0
        with self.lock:
            self.received[key] = self.received.get(key, 0) + 1
            hold = len(self.received) > self.hold_after and not self.release.is_set()
        if hold and self.passes is not None and port in ports_towards(self.passes, request.scope["server"][1]):
            hold = False
        if hold:
            with self.lock:
                self.held[key] = port
        # released from the test's thread: a threading.Event, polled
        while hold and not self.release.is_set():  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        return JSONResponse({"ok": True})

    def snapshot(self) -> tuple[dict[str, int], dict[str, int]]:
        with self.lock:
            return dict(self.received), dict(self.held)


def start_notify(live: LiveServices, port: int, log_name: str) -> subprocess.Popen:
    env = {
        **live.env,
        "NOTIFY_PORT": str(port),
        "SWEEP_SECONDS": "1",
        "DELIVERY_POLL_SECONDS": "0.1",
        "DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
        "DELIVERY_BATCH": str(BATCH),
        "EVENTS_SECONDS": "3600",
        "TIMEZONE": zone_at_noon(),  # sends now, not held for the night in Shanghai
    }
    log = (live.logs["notify"].parent / log_name).open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "luoshi_ops.cli", "serve", "notify"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: Callable[[], Any], seconds: float, failure: str) -> Any:
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            pytest.fail(failure)
        time.sleep(0.05)
    return found


NOTIFICATIONS_SQL = """
SELECT n.key, n.rule, n.status, n.attempts, n.lease_until, now() AS now,
       coalesce(array_agg(a.attempt ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}') AS recorded,
       coalesce(array_agg(a.ok ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}') AS oks,
       coalesce(array_agg(a.worker ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}') AS workers,
       coalesce(array_agg(a.at ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}') AS ats,
       max(a.at) AS last_at
FROM notify.notification n LEFT JOIN notify.delivery_attempt a ON a.notification_id = n.id
WHERE n.channel = $1 GROUP BY n.id
"""


async def notifications(database_url: str, channel: str) -> dict[str, Any]:
    """The channel's notifications by key, with their lease and every attempt recorded."""
    conn = await asyncpg.connect(database_url)
    try:
        return {row["key"]: row for row in await conn.fetch(NOTIFICATIONS_SQL, channel)}
    finally:
        await conn.close()


@pytest.mark.slow
async def test_a_process_killed_mid_batch_is_taken_over_and_repeats_at_most_its_batch(
    live, database_url, make_unit, make_user
):
    if not due_day_notices_go_out_today(zone_at_noon()):
        pytest.skip("today is not a working day: no task due today gets its due-day notice today")
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

    receiver = Receiver(hold_after=HOLD_AFTER)
    with serve(Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])) as url:
        notify = httpx.Client(base_url=live.urls["notify"], headers=headers, timeout=30)
        r = notify.post(
            "/v1/channels",
            json={
                "name": unique("并发接收-"),
                "kind": "webhook",
                # a held send must not time out: its retry would be a repeat the kill did not cause
                "config": {"url": f"{url}/hook", "secret": SECRET, "timeout_seconds": 120},
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
            victim, hook_port = procs[0].pid, urlsplit(url).port

            def victim_in_flight() -> set[str]:
                _, held = receiver.snapshot()
                ports = ports_towards(victim, hook_port) if held else set()
                return {key for key, port in held.items() if port in ports}

            in_flight = wait_for(victim_in_flight, 60, "no send of the first process was held within 60 s")
            os.kill(victim, signal.SIGKILL)
            procs[0].wait(10)
            received_at_kill, held_at_kill = receiver.snapshot()
            at_kill = await notifications(database_url, channel)
            procs[0] = start_notify(live, free_port(), "notify-0-again.log")
            restarted = receiver.passes = procs[0].pid
            # who each worker is, should a repeat need explaining
            names = {victim: "killed", restarted: "restarted", procs[1].pid: "second", procs[2].pid: "third"}
            names[live.procs["notify"].pid] = "live"
            wait_for(
                lambda: all(receiver.snapshot()[0][key] >= 2 for key in in_flight),
                60,
                "what the killed process was sending was not sent again within 60 s: its leases were not taken over",
            )
            receiver.release.set()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                unsent = [
                    notify.get("/v1/notifications", params={"channel": channel, "status": s, "limit": 1}).json()
                    for s in ("pending", "sending")
                ]
                if len(receiver.received) >= TASKS and not any(u["items"] for u in unsent):
                    break
                time.sleep(0.3)
            time.sleep(1)  # a repeat still on its way is counted too
        finally:
            receiver.release.set()
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(20)
    received = receiver.snapshot()[0]
    planned = await notifications(database_url, channel)
    assert receiver.bad == 0
    # one due-today notice per task (and any reminder still fresh), planned once by four sweeping processes
    assert sum(n["rule"] == "due_today" for n in planned.values()) == TASKS
    assert set(planned) == set(received)  # every one arrived; nothing else did
    assert {n["status"] for n in planned.values()} == {"sent"}

    # The kill landed mid-delivery: some had been answered, not all, and the killed process's held sends were
    # rows it had claimed and not finished, under a lease still running.
    answered = len(received_at_kill) - len(held_at_kill)
    assert 0 < answered < TASKS, answered
    for key in in_flight:
        row = at_kill[key]
        assert row["status"] == "sending" and row["lease_until"] > row["now"], dict(row)

    # A claim that left no attempt behind is the killed process's: a living one records every outcome. Each
    # such row was claimed again (the next attempt) by the restarted process once the lease had run out.
    again = f"{socket.gethostname()}:{restarted}"
    orphaned = {key for key, n in planned.items() if n["attempts"] > len(n["recorded"])}
    assert in_flight <= orphaned
    for key in orphaned:
        n, left = planned[key], at_kill[key]
        assert left["status"] == "sending", dict(left)
        assert n["recorded"] == [left["attempts"] + 1] and n["oks"] == [True] and n["workers"] == [again], dict(n)
        assert n["last_at"] > left["lease_until"], dict(n)

    # No living process lost its lease: each notification succeeded once.
    host = socket.gethostname()
    doubled = {
        key: [
            (attempt, ok, names.get(int(worker.rpartition(":")[2]), worker) if worker.startswith(host) else worker, at)
            for attempt, ok, worker, at in zip(n["recorded"], n["oks"], n["workers"], n["ats"], strict=True)
        ]
        for key, n in planned.items()
        if n["oks"].count(True) != 1
    }
    assert not doubled, (len(doubled), dict(list(doubled.items())[:3]), at_kill.get(next(iter(doubled))))
    # So a repeat is a send the killed process made before it died, sent once more by its successor; the receiver
    # drops it by its event id. The killed process held one claim, DELIVERY_BATCH rows at most: that bounds them.
    repeated = {key for key, count in received.items() if count > 1}
    assert in_flight <= repeated <= orphaned
    assert max(received.values()) == 2
    repeats = sum(count - 1 for count in received.values())
    assert repeats <= len(orphaned) <= BATCH, (repeats, len(orphaned))
