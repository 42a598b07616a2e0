"""Delivery to a webhook on loopback that checks the signature and fails three times first; dead letters;
quiet hours, the digest and the per-unit cap; the calendar feed; the monthly bulletin; a claim taken over."""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import icalendar
import openpyxl
import pytest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from luoshi.clock import FixedClock
from luoshi_notify.channels.webhook import verify_signature
from luoshi_notify.models import Channel
from luoshi_notify.repository.notifications import NotificationRepository, notification_row
from luoshi_notify.service.deliver import Deliverer
from luoshi_notify.service.loops import sweep_once
from tests.conftest import unique
from tests.notify.test_reminders import all_notifications
from tests.unit.notify_channels import serve

SECRET = "webhook-secret-夏邑"
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


class Receiver:
    """Fails the first `failures` deliveries of each event, then accepts; counts what it accepted."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.tries: dict[str, int] = {}
        self.accepted: dict[str, int] = {}
        self.bad_signatures = 0

    async def handle(self, request: Request) -> JSONResponse:
        body = await request.body()
        h = request.headers
        if not verify_signature(SECRET, h["x-luoshi-timestamp"], body, h["x-luoshi-signature"]):
            self.bad_signatures += 1
            return JSONResponse({"error": "signature"}, status_code=401)
        event = h["x-luoshi-event-id"]
        self.tries[event] = self.tries.get(event, 0) + 1
        if self.tries[event] <= self.failures:
            return JSONResponse({"error": "busy"}, status_code=503)
        self.accepted[event] = self.accepted.get(event, 0) + 1
        return JSONResponse({"ok": True})


@pytest.fixture
async def plan_with_task(tasks, make_unit, make_user) -> dict[str, Any]:
    gov = await make_unit(kind="government", level="county", name=unique("投递县人民政府-"))
    unit = await make_unit(parent_id=gov["id"], name=unique("投递县商务局-"))
    clerk = await make_user("unit", unit_id=unit["id"], email="clerk@shangwu.example")
    office = await make_user("office", unit_id=gov["id"])
    plan = (
        await tasks.post(
            "/v1/plans",
            json={
                "title": unique("投递方案-"),
                "issuer": gov["name"],
                "issued_on": "2026-01-05",
                "status": "active",
                "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30},
            },
            headers=office["headers"],
        )
    ).json()
    task = (
        await tasks.post(
            f"/v1/plans/{plan['id']}/tasks",
            json={"number": "1", "title": "开展质量月活动", "lead_unit": unit["id"], "deadline": "2026-09-15"},
            headers=office["headers"],
        )
    ).json()
    return {"gov": gov, "unit": unit, "clerk": clerk, "office": office, "plan": plan, "task": task}


async def test_webhook_gets_each_event_once_after_three_failures(notify, notify_app, admin, plan_with_task):
    receiver = Receiver(failures=3)
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    with serve(app) as url:
        name = unique("督查平台-")
        r = await notify.post(
            "/v1/channels",
            json={
                "name": name,
                "kind": "webhook",
                "config": {"url": f"{url}/hook", "secret": SECRET},
                "scope": {"plan_ids": [plan_with_task["plan"]["id"]]},
            },
            headers=admin["headers"],
        )
        assert r.status_code == 201, r.text
        assert r.json()["config"]["secret"] == "********"
        test = await notify.post(f"/v1/channels/{r.json()['id']}/test", json={}, headers=admin["headers"])
        assert test.json()["ok"] is False and test.json()["retryable"] is True  # the receiver's first refusal

        clock = FixedClock(datetime(2026, 9, 15, 1, tzinfo=UTC))  # due today
        await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True)
        deliverer = Deliverer(notify_app.state.db, backoff_base=0.01, kit=notify_app.state.channel_kit)
        try:
            for _ in range(20):
                await deliverer.drain()
                rows = await all_notifications(notify, admin["headers"], channel=name)
                if rows and all(n["status"] == "sent" for n in rows):
                    break
                await asyncio.sleep(0.05)
        finally:
            await deliverer.aclose()
        rows = await all_notifications(notify, admin["headers"], channel=name)
        assert rows and {n["status"] for n in rows} == {"sent"}
        assert receiver.bad_signatures == 0
        keys = {n["key"] for n in rows}
        assert set(receiver.accepted) >= keys and all(receiver.accepted[k] == 1 for k in keys)
        detail = (await notify.get(f"/v1/notifications/{rows[0]['id']}", headers=admin["headers"])).json()
        assert [a["ok"] for a in detail["attempts_log"]] == [False, False, False, True]
        assert "503" in detail["attempts_log"][0]["detail"]


async def test_a_permanent_failure_is_dead_lettered_and_can_be_resent(notify, notify_app, admin, plan_with_task):
    app = Starlette(routes=[Route("/hook", lambda request: JSONResponse({}, status_code=410), methods=["POST"])])
    with serve(app) as url:
        name = unique("已停用平台-")
        await notify.post(
            "/v1/channels",
            json={
                "name": name,
                "kind": "webhook",
                "config": {"url": f"{url}/hook", "secret": SECRET},
                "scope": {"plan_ids": [plan_with_task["plan"]["id"]]},
            },
            headers=admin["headers"],
        )
        await sweep_once(
            notify_app.state.db,
            notify_app.state.tasks_client,
            FixedClock(datetime(2026, 9, 15, 1, tzinfo=UTC)),
            wait=True,
        )
        deliverer = Deliverer(notify_app.state.db, backoff_base=0.01, kit=notify_app.state.channel_kit)
        try:
            await deliverer.drain()
        finally:
            await deliverer.aclose()
        dead = await all_notifications(notify, admin["headers"], channel=name, status="failed")
        assert dead and "410" in dead[0]["last_error"]
        again = await notify.post(f"/v1/notifications/{dead[0]['id']}/resend", headers=admin["headers"])
        assert again.status_code == 200 and again.json()["status"] == "pending"


async def test_quiet_hours_digest_and_cap_shape_when_and_how(notify, notify_app, plan_with_task):
    clerk = plan_with_task["clerk"]
    r = await notify.put(
        "/v1/preferences",
        json={"channels": ["inbox", "email"], "quiet_start": "08:00", "quiet_end": "12:00", "digest": True},
        headers=clerk["headers"],
    )
    assert r.status_code == 200, r.text
    await sweep_once(
        notify_app.state.db, notify_app.state.tasks_client, FixedClock(datetime(2026, 9, 15, 1, tzinfo=UTC)), wait=True
    )
    mine = await all_notifications(notify, clerk["headers"], task_id=plan_with_task["task"]["id"])
    email = [n for n in mine if n["channel"] == "email"]
    inbox = [n for n in mine if n["channel"] == "inbox"]
    assert email and all(n["status"] == "digested" for n in email)  # e-mail is gathered into the daily digest
    digest = [n for n in await all_notifications(notify, clerk["headers"], rule="digest") if n["channel"] == "email"]
    assert len(digest) == 1 and digest[0]["subject"].startswith("【汇总】")
    assert all(n["subject"] in digest[0]["body"] for n in email)
    # sent at the digest hour (08:00), moved out of the quiet hours to 12:00 Shanghai
    assert datetime.fromisoformat(digest[0]["send_after"]).astimezone(UTC).hour == 4
    assert inbox and all(n["status"] == "pending" for n in inbox)  # the inbox is not a message that disturbs
    # 09:00 falls in the 08:00–12:00 quiet hours: held until noon
    assert {datetime.fromisoformat(n["send_after"]).astimezone(UTC).hour for n in inbox} == {4}  # 12:00 +08:00


async def test_unit_calendar_feed_holds_its_deadlines(tasks, notify, plan_with_task):
    clerk = plan_with_task["clerk"]
    soon = await tasks.post(
        f"/v1/plans/{plan_with_task['plan']['id']}/tasks",
        json={"title": "年终质量工作总结", "lead_unit": plan_with_task["unit"]["id"], "deadline": "2026-12-20"},
        headers=plan_with_task["office"]["headers"],
    )
    assert soon.status_code == 201, soon.text
    made = await notify.post(
        "/v1/feeds/tokens", json={"unit_id": plan_with_task["unit"]["id"]}, headers=clerk["headers"]
    )
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    feed = await notify.get(f"/v1/feeds/units/{plan_with_task['unit']['id']}.ics?token={token}")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.content)
    events = [e for e in calendar.walk("VEVENT")]
    summaries = {str(e["SUMMARY"]) for e in events}
    assert any("年终质量工作总结" in s for s in summaries), summaries
    assert any(str(e["UID"]).startswith("assignment:") for e in events)
    wrong = await notify.get(f"/v1/feeds/units/{plan_with_task['unit']['id']}.ics?token=nope")
    assert wrong.status_code == 401
    # a leaked link is revoked: it stops working, and a new one works
    revoked = await notify.post(
        "/v1/feeds/tokens/revoke", json={"unit_id": plan_with_task["unit"]["id"]}, headers=clerk["headers"]
    )
    assert revoked.status_code == 200 and revoked.json()["revoked"] >= 1, revoked.text
    gone = await notify.get(f"/v1/feeds/units/{plan_with_task['unit']['id']}.ics?token={token}")
    assert gone.status_code == 401
    fresh = await notify.post(
        "/v1/feeds/tokens", json={"unit_id": plan_with_task["unit"]["id"]}, headers=clerk["headers"]
    )
    again = await notify.get(f"/v1/feeds/units/{plan_with_task['unit']['id']}.ics?token={fresh.json()['token']}")
    assert again.status_code == 200


async def test_monthly_bulletin_lists_exactly_the_late_and_missing_units(
    tasks, notify, tasks_app, make_unit, make_user, fixed_clock
):
    gov = await make_unit(kind="government", level="county", name=unique("通报县人民政府-"))
    units = {k: await make_unit(parent_id=gov["id"], name=unique(f"通报县{k}局-")) for k in ("准时", "迟报", "未报")}
    users = {k: await make_user("unit", unit_id=u["id"]) for k, u in units.items()}
    office = await make_user("office", unit_id=gov["id"])
    plan = (
        await tasks.post(
            "/v1/plans",
            json={
                "title": unique("通报方案-"),
                "issuer": gov["name"],
                "issued_on": "2026-01-05",
                "status": "active",
                "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30},
            },
            headers=office["headers"],
        )
    ).json()
    fixed_clock("2026-09-01")  # assigned in time to owe the October report
    assignment = {}
    for k, u in units.items():
        task = (
            await tasks.post(
                f"/v1/plans/{plan['id']}/tasks",
                json={"title": f"{k}的任务", "lead_unit": u["id"], "deadline": "2026-12-31"},
                headers=office["headers"],
            )
        ).json()
        assignment[k] = task["assignments"][0]["assignment_id"]
    fixed_clock("2026-10-28")
    r = await tasks.post(
        f"/v1/assignments/{assignment['准时']}/reports",
        json={"text": "按时报送", "percent": 50},
        headers=users["准时"]["headers"],
    )
    assert r.status_code == 201, r.text
    fixed_clock("2026-11-02")
    r = await tasks.post(
        f"/v1/assignments/{assignment['迟报']}/reports",
        json={"text": "迟报", "percent": 30, "period_due_on": "2026-10-30"},
        headers=users["迟报"]["headers"],
    )
    assert r.status_code == 201, r.text
    made = await notify.post(
        "/v1/bulletins", json={"plan_id": plan["id"], "period_due_on": "2026-10-30"}, headers=office["headers"]
    )
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    status = {row["unit_name"]: row["status"] for row in data["rows"]}
    assert status == {units["准时"]["name"]: "on_time", units["迟报"]["name"]: "late", units["未报"]["name"]: "missing"}
    assert made.json()["title"] == "关于2026年10月任务落实情况的通报"
    sheet = await notify.get(f"/v1/bulletins/{made.json()['id']}.xlsx", headers=office["headers"])
    assert sheet.status_code == 200
    text = " ".join(
        str(c)
        for row in openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
        for c in row
        if c
    )
    assert units["迟报"]["name"] in text and units["未报"]["name"] in text
    doc = await notify.get(f"/v1/bulletins/{made.json()['id']}.docx", headers=office["headers"])
    assert doc.status_code == 200 and doc.content[:2] == b"PK"


async def test_the_unit_daily_cap_sends_the_rest_as_digests(notify, notify_app, admin, plan_with_task, make_user):
    second = await make_user("unit", unit_id=plan_with_task["unit"]["id"], email="second@shangwu.example")
    r = await notify.put(
        f"/v1/rules/{plan_with_task['plan']['id']}", json={"unit_daily_cap": 1}, headers=admin["headers"]
    )
    assert r.status_code == 200, r.text
    await sweep_once(
        notify_app.state.db, notify_app.state.tasks_client, FixedClock(datetime(2026, 9, 15, 1, tzinfo=UTC)), wait=True
    )
    rows = await all_notifications(notify, admin["headers"], task_id=plan_with_task["task"]["id"], channel="email")
    by_user = [n for n in rows if n["recipient_user_id"] in (second["id"], plan_with_task["clerk"]["id"])]
    assert len(by_user) >= 2
    # one message went out for the unit today; the rest wait in each person's digest
    assert sum(n["status"] == "pending" for n in by_user) == 1
    assert {n["status"] for n in by_user} == {"pending", "digested"}


async def test_a_webhook_secret_is_rotated_in_place(notify, notify_app, admin):
    """PUT with If-Match replaces the secret; a masked secret sent back unchanged keeps the stored one."""
    name = unique("轮换-")
    made = await notify.post(
        "/v1/channels",
        json={
            "name": name,
            "kind": "webhook",
            "config": {"url": "http://127.0.0.1:9/hook", "secret": "old-secret-1"},
            "enabled": False,  # off: the session's other sweeps must not send to it
        },
        headers=admin["headers"],
    )
    assert made.status_code == 201, made.text
    channel = made.json()
    assert channel["config"]["secret"] != "old-secret-1"  # never shown
    url = f"/v1/channels/{channel['id']}"
    new_url = {"url": "http://127.0.0.1:9/new"}
    body = {"name": name, "kind": "webhook", "enabled": False, "config": channel["config"] | new_url}
    assert (await notify.put(url, json=body, headers=admin["headers"])).status_code == 428
    stale = await notify.put(url, json=body, headers=admin["headers"] | {"If-Match": '"channel-0-v0"'})
    assert stale.status_code == 412
    etag = f'"channel-{channel["id"]}-v{channel["version"]}"'
    kept = await notify.put(url, json=body, headers=admin["headers"] | {"If-Match": etag})
    assert kept.status_code == 200, kept.text
    box = notify_app.state.channel_kit.box
    async with notify_app.state.db.sessionmaker() as session:  # the stored secret: unchanged by the masked echo
        stored = (await session.get(Channel, channel["id"])).config["secret"]
        assert "old-secret-1" not in stored and box.open(stored) == "old-secret-1"  # sealed at rest
    rotated = await notify.put(
        url,
        json={"name": name, "kind": "webhook", "enabled": False, "config": new_url | {"secret": "new-secret-2"}},
        headers=admin["headers"] | {"If-Match": kept.headers["ETag"]},
    )
    assert rotated.status_code == 200 and rotated.json()["version"] == kept.json()["version"] + 1
    async with notify_app.state.db.sessionmaker() as session:
        assert box.open((await session.get(Channel, channel["id"])).config["secret"]) == "new-secret-2"


class GatedReceiver:
    """Answers its n-th send with `statuses[n]`, only once the test opens `gates[n]`."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.gates = [threading.Event() for _ in statuses]
        self.arrived = 0

    async def handle(self, request: Request) -> JSONResponse:
        n, self.arrived = self.arrived, self.arrived + 1
        while not self.gates[n].is_set():  # noqa: ASYNC110 (opened from the test's thread)
            await asyncio.sleep(0.01)
        return JSONResponse({}, status_code=self.statuses[n])


async def until(condition: Any, seconds: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


@pytest.mark.parametrize(
    ("answers", "after_the_first"),
    [
        pytest.param([503, 200], "sending", id="stale-failure-leaves-the-new-claim"),
        pytest.param([200, 503], "sent", id="stale-success-closes-it"),
    ],
)
async def test_a_claim_taken_over_after_its_lease_lapsed_does_not_reopen_its_successors_send(
    notify, notify_app, admin, answers, after_the_first
):
    """A process starved past its lease loses its row to another, and both send it. What the first one then
    reports must not undo the second's claim: a failure put back as pending would be claimed a third time while
    the second is still sending; a success is kept (the message did arrive)."""
    receiver = GatedReceiver(answers)
    db, kit = notify_app.state.db, notify_app.state.channel_kit
    with serve(Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])) as url:
        name = unique("接管平台-")
        made = await notify.post(
            "/v1/channels",
            json={"name": name, "kind": "webhook", "config": {"url": f"{url}/hook", "secret": SECRET}},
            headers=admin["headers"],
        )
        assert made.status_code == 201, made.text
        key = unique("takeover-")
        message = SimpleNamespace(subject="提醒", text="请按时报送", markdown="请按时报送")
        async with db.sessionmaker() as session:
            # sent before anything else due: each claim of one row takes this one
            row = notification_row(
                key=key, rule="remind", kind="remind", message=message, channel=name, send_after=LONG_AGO
            )
            await NotificationRepository(session).insert_many([row])
            await session.commit()
        first, second = (Deliverer(db, batch=1, lease_seconds=30, kit=kit) for _ in range(2))
        try:
            sending = asyncio.create_task(first.run_once())
            await until(lambda: receiver.arrived == 1)
            async with db.engine.begin() as conn:  # the first process starved: its lease ran out
                await conn.execute(
                    text("UPDATE notify.notification SET lease_until = now() - interval '1 second' WHERE key = :k"),
                    {"k": key},
                )
            resending = asyncio.create_task(second.run_once())
            await until(lambda: receiver.arrived == 2)
            receiver.gates[0].set()
            assert await sending == 1
            state = await notification_state(db, key)
            assert state == (after_the_first, 2)
            receiver.gates[1].set()
            assert await resending == 1
        finally:
            for gate in receiver.gates:
                gate.set()
            await first.aclose()
            await second.aclose()
    [sent] = await all_notifications(notify, admin["headers"], channel=name)
    detail = (await notify.get(f"/v1/notifications/{sent['id']}", headers=admin["headers"])).json()
    assert detail["status"] == "sent"
    assert [(a["attempt"], a["ok"]) for a in detail["attempts_log"]] == [(1, answers[0] == 200), (2, answers[1] == 200)]


async def notification_state(db: Any, key: str) -> tuple[str, int]:
    async with db.engine.connect() as conn:
        found = await conn.execute(text("SELECT status, attempts FROM notify.notification WHERE key = :k"), {"k": key})
        return tuple(found.one())
