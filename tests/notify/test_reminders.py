"""Reminders, urging and escalation for a task due right after National Day, walked day by day with a fixed
clock: each arrives once, on a working day, to the right people, in Chinese; the inbox shows them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from luoshi.clock import FixedClock
from luoshi.workdays import is_workday
from luoshi_notify.service.deliver import Deliverer
from luoshi_notify.service.loops import sweep_once
from tests.conftest import unique

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def county(tasks, make_unit, make_user) -> dict[str, Any]:
    gov = await make_unit(kind="government", level="county", name=unique("提醒县人民政府-"))
    office_unit = await make_unit(parent_id=gov["id"], name=unique("提醒县督查室-"))
    unit = await make_unit(
        parent_id=gov["id"],
        name=unique("提醒县质监局-"),
        short_name=unique("质监"),
        contacts=[{"name": "张局长", "title": "局长", "email": "head@zhijian.example", "is_head": True}],
    )
    clerk = await make_user("unit", unit_id=unit["id"], email="clerk@zhijian.example")
    other_unit = await make_unit(parent_id=gov["id"], name=unique("提醒县统计局-"))
    outsider = await make_user("unit", unit_id=other_unit["id"])
    office = await make_user("office", unit_id=office_unit["id"], email="office@duchashi.example")
    # 分管领导: the deputy county head in charge of 质监局 hears of its escalations; the other deputy does not
    leader = await make_user("leader", unit_id=gov["id"], email="li@xian.example")
    other_leader = await make_user("leader", unit_id=gov["id"], email="wang@xian.example")
    plan = await tasks.post(
        "/v1/plans",
        json={
            "title": unique("提醒方案-"),
            "issuer": gov["name"],
            "issued_on": "2026-01-05",
            "status": "active",
            "office_unit": office_unit["id"],
            "group": [
                {"role": "副组长", "name": "李副县长", "user_id": leader["id"], "in_charge_units": [unit["id"]]},
                {
                    "role": "副组长",
                    "name": "王副县长",
                    "user_id": other_leader["id"],
                    "in_charge_units": [office_unit["id"]],
                },
            ],
        },
        headers=office["headers"],
    )
    assert plan.status_code == 201, plan.text
    task = await tasks.post(
        f"/v1/plans/{plan.json()['id']}/tasks",
        json={
            "number": "1",
            "title": "完成质量档案建设",
            "lead_unit": unit["id"],
            "deadline": "2026年10月9日前",
        },
        headers=office["headers"],
    )
    assert task.status_code == 201, task.text
    assert plan.json()["group"][0]["in_charge_unit_ids"] == [unit["id"]]
    return {
        "unit": unit,
        "clerk": clerk,
        "outsider": outsider,
        "office": office,
        "leader": leader,
        "plan": plan.json(),
        "task": task.json(),
    }


async def walk(notify_app, first: date, last: date) -> None:
    deliverer = Deliverer(notify_app.state.db, backoff_base=0.01, kit=notify_app.state.channel_kit)
    try:
        day = first
        while day <= last:
            clock = FixedClock(datetime(day.year, day.month, day.day, 1, tzinfo=UTC))  # 09:00 in Shanghai
            await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True)
            await deliverer.drain()
            day += timedelta(days=1)
    finally:
        await deliverer.aclose()


DELIVERY = {"status", "attempts", "last_error", "sent_at", "send_after"}


async def all_notifications(notify, headers, **filters) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        params = {"limit": 500, **filters, **({"cursor": cursor} if cursor else {})}
        page = (await notify.get("/v1/notifications", params=params, headers=headers)).json()
        if page["items"]:  # the list is written from rows: its first item is the notification as its own read shows it
            first = page["items"][0]
            detail = (await notify.get(f"/v1/notifications/{first['id']}", headers=headers)).json()
            # but for its delivery, which a sender (the suite's live notify process) may move on in between
            assert {k: v for k, v in first.items() if k not in DELIVERY} == {
                k: v for k, v in detail.items() if k not in DELIVERY and k != "attempts_log"
            }
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def test_each_reminder_urging_and_escalation_once_across_national_day(notify, notify_app, county, smtp_channel):
    await walk(notify_app, date(2026, 9, 24), date(2026, 11, 6))
    office_h = county["office"]["headers"]
    found = await all_notifications(notify, office_h, task_id=county["task"]["id"])
    assert found, "nothing was planned"
    clerk = [n for n in found if n["recipient_user_id"] == county["clerk"]["id"]]
    occurrences = Counter((n["rule"], n["key"].split(":")[-4] if n["rule"] != "x" else "", n["channel"]) for n in clerk)
    assert all(count == 1 for count in occurrences.values()), occurrences
    rules = Counter(n["rule"] for n in clerk if n["channel"] == "inbox")
    assert rules["remind"] == 3 and rules["due_today"] == 1 and rules["escalate"] == 1, rules
    assert rules["urge"] >= 3
    # every reminder went out on a working day, at 09:00 Shanghai time, and was delivered (a notice of an event,
    # 交办, goes out when the event happens by the host's clock, or after its quiet hours: not this test's walk)
    for n in clerk:
        if n["rule"] == "event":
            continue
        local = datetime.fromisoformat(n["send_after"]).astimezone(SHANGHAI)
        assert is_workday(local.date()), (n["rule"], local)
        assert n["status"] == "sent", (n["status"], n.get("last_error"), n["key"])
    # in Chinese, by e-mail too: the SMTP server got each one once
    subjects = {n["rule"]: n["subject"] for n in clerk if n["channel"] == "email"}
    # (this test's own: another test's county may have left mail for a clerk of the same address pending)
    mine = {n["key"] for n in clerk if n["channel"] == "email"}
    to_clerk = [
        m
        for rcpt, m in smtp_channel.messages
        if rcpt == ["clerk@zhijian.example"] and "完成质量档案建设" in m["Subject"] and m["X-Luoshi-Event-Id"] in mine
    ]
    assert len(to_clerk) == len(mine)
    assert len({m["Message-ID"] for m in to_clerk}) == len(to_clerk)
    assert subjects["remind"].startswith("【提醒】") and subjects["urge"].startswith("【催办】")
    assert subjects["escalate"].startswith("【督办】") and "完成质量档案建设" in subjects["escalate"]
    # the escalation also reached the office, the unit's head and the leader in charge of the unit (once), and
    # nobody else heard of the unit's task; the leader hears of nothing but the escalation
    escalations = [n for n in found if n["rule"] == "escalate"]
    assert {n["address"] for n in escalations if n["channel"] == "email"} == {
        "clerk@zhijian.example",
        "office@duchashi.example",
        "head@zhijian.example",
        "li@xian.example",
    }
    people = {county["clerk"]["id"], county["office"]["id"], county["leader"]["id"], None}
    assert {n["recipient_user_id"] for n in found} <= people
    to_leader = [n for n in found if n["recipient_user_id"] == county["leader"]["id"]]
    assert sorted(n["channel"] for n in to_leader) == ["email", "inbox"]
    assert {n["rule"] for n in to_leader} == {"escalate"}

    # the clerk's inbox holds them, newest first, with an unread count; reading one lowers it
    inbox = (await notify.get("/v1/inbox?limit=100", headers=county["clerk"]["headers"])).json()
    mine = [i for i in inbox["items"] if i["link"].get("task_id") == county["task"]["id"]]
    assert len(mine) == sum(rules.values()) and inbox["unread"] >= len(mine)
    r = await notify.post(f"/v1/inbox/{mine[0]['id']}/read", headers=county["clerk"]["headers"])
    assert r.json() == {"marked": 1}
    assert (await notify.get("/v1/inbox", headers=county["clerk"]["headers"])).json()["unread"] == inbox["unread"] - 1
    # the clerk opens its own notification with its delivery log; another unit's user sees none of it
    detail = await notify.get(f"/v1/notifications/{clerk[0]['id']}", headers=county["clerk"]["headers"])
    assert detail.status_code == 200 and detail.json()["attempts_log"][0]["ok"] is True
    outsider = county["outsider"]["headers"]
    assert (await notify.get(f"/v1/notifications/{clerk[0]['id']}", headers=outsider)).status_code in (403, 404)
    assert await all_notifications(notify, outsider, task_id=county["task"]["id"]) == []
    inbox = (await notify.get("/v1/inbox?limit=100", headers=outsider)).json()["items"]
    assert not [i for i in inbox if i["link"].get("task_id") == county["task"]["id"]]


async def test_sweeping_twice_plans_nothing_new(notify, notify_app, county):
    clock = FixedClock(datetime(2026, 10, 8, 1, tzinfo=UTC))
    first = await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True)
    again = await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True)
    # 8 October, the day before the task is due: the first sweep plans its reminders (and catches up);
    # the second looks at today's moments only and plans nothing new.
    assert first["new"] > 0 and first["planned"] > 0, first
    assert again["new"] == 0 and again["notifications"] <= first["notifications"]


async def test_an_office_in_another_zone_is_reminded_at_nine_its_own_time(notify, notify_app, county):
    # TIMEZONE=Asia/Urumqi (UTC+6): the due-day notice goes out at 09:00 there, 03:00 UTC, not at 09:00 Beijing
    # time; at 02:00 UTC it is 08:00 in Urumqi and already the 9th, so the day is the same either way.
    clock = FixedClock(datetime(2026, 10, 9, 2, tzinfo=UTC), timezone="Asia/Urumqi")
    await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True)
    found = await all_notifications(notify, county["office"]["headers"], task_id=county["task"]["id"])
    due_today = [n for n in found if n["rule"] == "due_today"]
    assert due_today, [n["rule"] for n in found]
    assert {datetime.fromisoformat(n["send_after"]).astimezone(UTC).hour for n in due_today} == {3}
