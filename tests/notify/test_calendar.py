"""notify counts reminder moments on tasks-api's calendar: it reads it again on `calendar.changed`, a changed day
moves the reminders still ahead, and a reminder already sent is not sent again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi import workdays
from luoshi.clock import FixedClock
from luoshi_notify.service.loops import consume_tasks_events, sweep_once
from tests.conftest import unique
from tests.notify.test_reminders import all_notifications, walk
from tests.tasks.test_calendar import year_loaded

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def county(tasks, make_unit, make_user) -> dict:
    """A plan with one unit whose clerk hears of its reminders by inbox only (no address: nothing else is sent)."""
    gov = await make_unit(kind="government", level="county", name=unique("日历县人民政府-"))
    office_unit = await make_unit(parent_id=gov["id"], name=unique("日历县督查室-"))
    unit = await make_unit(parent_id=gov["id"], name=unique("日历县统计局-"))
    clerk = await make_user("unit", unit_id=unit["id"])
    office = await make_user("office", unit_id=office_unit["id"])
    plan = await tasks.post(
        "/v1/plans",
        json={
            "title": unique("日历方案-"),
            "issuer": gov["name"],
            "status": "active",
            "office_unit": office_unit["id"],
        },
        headers=office["headers"],
    )
    assert plan.status_code == 201, plan.text
    return {"unit": unit, "clerk": clerk, "office": office, "plan": plan.json()}


async def _task(tasks, county, title: str, due_on: str) -> dict:
    r = await tasks.post(
        f"/v1/plans/{county['plan']['id']}/tasks",
        json={"title": title, "lead_unit": county["unit"]["id"], "deadline": {"kind": "date", "due_on": due_on}},
        headers=county["office"]["headers"],
    )
    assert r.status_code == 201, r.text
    return r.json()


async def _reminders(notify, county, task_id) -> dict[str, list[date]]:
    """The clerk's inbox reminders of the task, by occurrence (before-7, before-3, before-1, due), as send days."""
    found = await all_notifications(notify, county["office"]["headers"], task_id=task_id)
    days: dict[str, list[date]] = {}
    for n in found:
        if n["recipient_user_id"] == county["clerk"]["id"] and n["channel"] == "inbox" and n["rule"] != "event":
            occurrence = n["key"].split(":")[-4]  # …:{occurrence}:user:{id}:{channel}
            days.setdefault(occurrence, []).append(datetime.fromisoformat(n["send_after"]).astimezone(SHANGHAI).date())
    return days


async def _catch_up_events(notify_app) -> None:
    while await consume_tasks_events(notify_app.state.db, notify_app.state.tasks_client, notify_app.state.calendar):
        pass


async def test_a_changed_day_moves_the_next_reminder_and_resends_nothing(tasks, notify, notify_app, admin, county):
    task = await _task(tasks, county, "编制质量提升年度报告", "2027-03-19")  # a Friday
    # On Monday–Friday (2027 not loaded): 7 working days before is Wednesday 10 March, 3 before Tuesday 16 March.
    await walk(notify_app, date(2027, 3, 8), date(2027, 3, 10))
    assert await _reminders(notify, county, task["id"]) == {"before-7": [date(2027, 3, 10)]}

    # The office learns Wednesday 17 March is a day off; notify hears of it through tasks-api's events alone:
    # its process forgets the day first, as a separate notify process would not know it.
    before = workdays.installed()
    await _catch_up_events(notify_app)
    day_off = [{"date": "2027-03-17", "is_workday": False, "name": "测试调休"}]
    async with year_loaded(tasks, admin, 2027, day_off):
        workdays.install(before)
        assert workdays.is_workday(date(2027, 3, 17))
        await _catch_up_events(notify_app)
        assert not workdays.is_workday(date(2027, 3, 17)) and workdays.is_official(2027)

        await walk(notify_app, date(2027, 3, 11), date(2027, 3, 19))
        # Three working days before the 19th are now the 18th, 16th and 15th: the reminder moves to Monday 15th.
        # The one of the 10th is not sent again though its moment is now the 9th.
        assert await _reminders(notify, county, task["id"]) == {
            "before-7": [date(2027, 3, 10)],
            "before-3": [date(2027, 3, 15)],
            "before-1": [date(2027, 3, 18)],
            "due": [date(2027, 3, 19)],
        }
    await _catch_up_events(notify_app)
    assert not workdays.is_official(2027)


async def test_sweep_waits_for_the_calendar(notify_app):
    """Before notify has ever read tasks-api's calendar, and while it cannot, a sweep does not run on a guess."""
    keeper = notify_app.state.calendar
    loaded_at, load = keeper.loaded_at, keeper.load

    async def unreachable():
        raise ConnectionError("tasks-api is down")

    keeper.loaded_at, keeper.load = None, unreachable
    clock = FixedClock(datetime(2027, 3, 1, 1, tzinfo=UTC))
    try:
        with pytest.raises(ConnectionError):
            await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, calendar=keeper)
    finally:
        keeper.loaded_at, keeper.load = loaded_at, load
