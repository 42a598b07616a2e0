"""A deadline entered after today's sweep, with its moments already passed (a table imported with past dates,
as the demo's is): an ordinary sweep the same day looks only at today's moments and misses yesterday's
escalation; `POST /v1/sweeps?full=true` looks at every moment within catch-up and adds only what is missing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from luoshi.clock import FixedClock
from luoshi.workdays import add_workdays
from luoshi_notify.service.loops import sweep_once
from tests.notify.test_reminders import all_notifications, county  # noqa: F401  (the fixture)

DAY = date(2030, 3, 6)  # a Wednesday after every other test's sweep day


async def test_a_full_sweep_plans_what_a_late_deadline_missed(tasks, notify, notify_app, county):  # noqa: F811
    clock = FixedClock(datetime(DAY.year, DAY.month, DAY.day, 1, tzinfo=UTC))
    await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True)  # today's, done
    due = add_workdays(DAY, -6)  # urged today (the second time), escalated yesterday
    task = await tasks.post(
        f"/v1/plans/{county['plan']['id']}/tasks",
        json={"title": "补录的逾期任务", "lead_unit": county["unit"]["id"], "deadline": due.isoformat()},
        headers=county["office"]["headers"],
    )
    assert task.status_code == 201, task.text
    office = county["office"]["headers"]

    await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True)
    rules = {n["rule"] for n in await all_notifications(notify, office, task_id=task.json()["id"])}
    assert rules == {"urge"}, rules  # yesterday's escalation is before the day the sweep starts from

    full = await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True, full=True)
    found = await all_notifications(notify, office, task_id=task.json()["id"])
    assert {n["rule"] for n in found} == {"urge", "escalate"}
    escalations = len([n for n in found if n["rule"] == "escalate"])
    # the sweep covers every task in the database (other tests' too), so its count includes theirs
    assert full["new"] >= escalations > 0
    # nothing planned twice: each notice once, and a second full sweep finds nothing left to add
    assert len({n["key"] for n in found}) == len(found)
    again = await sweep_once(notify_app.state.db, notify_app.state.tasks_client, clock, wait=True, full=True)
    assert again["new"] == 0
    assert len(await all_notifications(notify, office, task_id=task.json()["id"])) == len(found)
