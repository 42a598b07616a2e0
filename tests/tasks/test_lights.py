"""Traffic lights (红黄绿灯) and monthly deadlines at the edges, with a fixed clock: February, year end,
and days the official calendar moves (National Day 2026, the make-up working Saturday of 2026-02-28)."""

import pytest

from tests.conftest import unique


async def _plan_with_task(tasks, office, unit_id, *, deadline, yellow_workdays=3, margin=100, schedule=None):
    plan = (
        await tasks.post(
            "/v1/plans",
            json={
                "title": unique("灯测试-"),
                "issuer": unique("灯测试县人民政府-"),
                "issued_on": "2026-01-01",
                "status": "active",
                "yellow_workdays": yellow_workdays,
                "yellow_progress_margin": margin,
                "report_schedule": schedule or {"kind": "recurring", "frequency": "monthly", "day": 30},
            },
            headers=office["headers"],
        )
    ).json()
    task = await tasks.post(
        f"/v1/plans/{plan['id']}/tasks",
        json={"title": "任务", "lead_unit": unit_id, "deadline": deadline},
        headers=office["headers"],
    )
    assert task.status_code == 201, task.text
    return plan, task.json()["assignments"][0]["assignment_id"]


async def _light(tasks, aid, office):
    return (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).json()["light"]


@pytest.mark.parametrize(
    ("today", "light"),
    [
        ("2026-09-28", "green"),  # 4 working days to go: Sep 29, 30, Oct 8, 9
        ("2026-09-30", "yellow"),  # 9 calendar days but 2 working days (National Day Oct 1–7)
        ("2026-10-09", "yellow"),  # due today
        ("2026-10-10", "red"),  # a day late (a make-up working Saturday, but late is late)
    ],
)
async def test_yellow_counts_official_working_days(tasks, office, make_unit, fixed_clock, today, light):
    unit = await make_unit()
    _, aid = await _plan_with_task(tasks, office, unit["id"], deadline={"kind": "date", "due_on": "2026-10-09"})
    fixed_clock(today)
    assert await _light(tasks, aid, office) == light


async def test_year_end_deadline(tasks, office, make_unit, fixed_clock):
    unit = await make_unit()
    _, aid = await _plan_with_task(tasks, office, unit["id"], deadline="2026年底前")
    fixed_clock("2026-12-31")
    assert await _light(tasks, aid, office) == "yellow"
    fixed_clock("2027-01-01")
    assert await _light(tasks, aid, office) == "red"


async def test_progress_behind_time_turns_yellow_until_a_report_is_accepted(
    tasks, office, make_user, make_unit, fixed_clock
):
    unit = await make_unit()
    user = await make_user("unit", unit_id=unit["id"])
    _, aid = await _plan_with_task(
        tasks,
        office,
        unit["id"],
        margin=20,
        yellow_workdays=3,
        deadline={"kind": "window", "start_on": "2026-01-01", "due_on": "2026-12-31"},
    )
    fixed_clock("2026-07-02")  # half the year gone, nothing reported
    assert await _light(tasks, aid, office) == "yellow"
    report = (
        await tasks.post(
            f"/v1/assignments/{aid}/reports", json={"text": "过半", "percent": 40}, headers=user["headers"]
        )
    ).json()
    await tasks.post(
        f"/v1/reports/{report['id']}/review",
        json={"decision": "accept"},
        headers={**office["headers"], "If-Match": f'"report-{report["id"]}-v{report["version"]}"'},
    )
    assert await _light(tasks, aid, office) == "green"  # 40 + 20 ≥ 50 % elapsed
    red = await tasks.get("/v1/me/assignments?light=green", headers=user["headers"])
    assert [a["id"] for a in red.json()["items"]] == [aid]
    assert (await tasks.get("/v1/me/assignments?light=red", headers=user["headers"])).json()["items"] == []


async def test_board_counts_lights_and_lists_overdue(tasks, office, make_unit, fixed_clock):
    unit = await make_unit()
    plan, aid = await _plan_with_task(tasks, office, unit["id"], deadline={"kind": "date", "due_on": "2026-10-09"})
    await tasks.post(
        f"/v1/plans/{plan['id']}/tasks",
        json={"title": "二", "lead_unit": unit["id"], "deadline": "2027年6月底前"},
        headers=office["headers"],
    )
    fixed_clock("2026-10-12")
    board = (await tasks.get(f"/v1/plans/{plan['id']}/board", headers=office["headers"])).json()
    assert board["light"] == "red"
    assert board["totals"]["red"] == 1 and board["totals"]["green"] == 1
    assert [(o["assignment_id"], o["days_overdue"]) for o in board["overdue"]] == [(aid, 3)]
    # written straight from rows, it is what the Board model would write: every field, no other, same types
    from luoshi_tasks.schemas.workflow import Board

    assert Board.model_validate(board).model_dump(mode="json") == board
    (row,) = board["units"]
    assert (row["unit_id"], row["unit_name"], row["assignments"], row["reports"]) == (unit["id"], unit["name"], 2, 0)
    assert row["on_time_report_rate"] is None  # no report yet: no rate, not 0
    assert board["overdue"][0]["due_on"] == "2026-10-09" and board["as_of"] == "2026-10-12"


@pytest.mark.parametrize(
    ("today", "period"),
    [
        ("2026-02-10", "2026-02-28"),  # day 30 in February: the month's last day
        ("2028-02-10", "2028-02-29"),  # leap year
        ("2026-12-31", "2027-01-30"),  # past December's 30th: January's
        ("2026-04-30", "2026-04-30"),  # on the day itself
    ],
)
async def test_monthly_day_30_reporting_deadline(tasks, office, make_user, make_unit, fixed_clock, today, period):
    unit = await make_unit()
    user = await make_user("unit", unit_id=unit["id"])
    _, aid = await _plan_with_task(tasks, office, unit["id"], deadline="2028年12月31日")
    fixed_clock(today)
    report = await tasks.post(
        f"/v1/assignments/{aid}/reports", json={"text": "月报", "percent": 1}, headers=user["headers"]
    )
    assert report.status_code == 201, report.text
    assert report.json()["period_due_on"] == period
    assert report.json()["late"] is False


async def test_holiday_shift_follows_the_official_calendar(tasks, office, make_unit, fixed_clock):
    unit = await make_unit()
    # "遇节假日顺延": Oct 1 2026 is National Day, the next working day is Oct 8
    _, aid = await _plan_with_task(
        tasks, office, unit["id"], deadline={"kind": "date", "due_on": "2026-10-01", "workdays": True}
    )
    got = (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).json()
    assert got["due_on"] == "2026-10-08"
    # 2026-02-28 is a Saturday but an official make-up working day: a day-30 schedule that moves on holidays
    # keeps it, where a plain weekend rule would move it to March 2.
    plan, _ = await _plan_with_task(
        tasks,
        office,
        unit["id"],
        deadline="2026年12月31日",
        schedule={"kind": "recurring", "frequency": "monthly", "day": 30, "workdays": True},
    )
    fixed_clock("2026-02-01")
    deadlines = (
        await tasks.get(
            f"/v1/deadlines?from=2026-02-01&to=2026-05-31&kind=report&plan_id={plan['id']}", headers=office["headers"]
        )
    ).json()["items"]
    # May 30 is a Saturday: it moves to Monday June 1, outside the window.
    assert [d["due_on"] for d in deadlines] == ["2026-02-28", "2026-03-30", "2026-04-30"]


async def test_deadlines_on_given_dates_only(tasks, office, make_unit):
    """notify asks for the few due dates with a notice today: other dates stay out, reports included."""
    unit = await make_unit()
    plan, aid = await _plan_with_task(
        tasks,
        office,
        unit["id"],
        deadline="2026年3月31日",
        schedule={"kind": "recurring", "frequency": "monthly", "day": 30},
    )
    base = f"/v1/deadlines?from=2026-03-01&to=2026-04-30&plan_id={plan['id']}"
    everything = (await tasks.get(base, headers=office["headers"])).json()["items"]
    assert {(d["kind"], d["due_on"]) for d in everything} == {
        ("assignment", "2026-03-31"),
        ("report", "2026-03-30"),
        ("report", "2026-04-30"),
    }
    picked = (await tasks.get(f"{base}&on=2026-03-31&on=2026-04-30", headers=office["headers"])).json()["items"]
    assert [(d["kind"], d["due_on"]) for d in picked] == [("assignment", "2026-03-31"), ("report", "2026-04-30")]
    assert picked[0]["assignment_id"] == aid and picked[0]["unit_name"] and "office_unit_id" in picked[0]


async def test_deadline_pages_of_one_walk_every_report_once(tasks, office, make_unit):
    first, second = await make_unit(), await make_unit()
    plan, _ = await _plan_with_task(tasks, office, first["id"], deadline="2026年3月31日")
    more = await tasks.post(
        f"/v1/plans/{plan['id']}/tasks",
        json={"title": "任务二", "lead_unit": second["id"], "deadline": "2026年3月31日"},
        headers=office["headers"],
    )
    assert more.status_code == 201, more.text
    base = f"/v1/deadlines?from=2026-03-01&to=2026-04-30&plan_id={plan['id']}&kind=report"
    whole = (await tasks.get(base, headers=office["headers"])).json()["items"]
    walked, cursor = [], None
    while True:
        url = f"{base}&limit=1" + (f"&cursor={cursor}" if cursor else "")
        page = (await tasks.get(url, headers=office["headers"])).json()
        walked += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [d["key"] for d in walked] == [d["key"] for d in whole]
    assert len(whole) == 4  # two units × March 30 and April 30


async def _move(tasks, aid, action, headers, comment=None):
    current = await tasks.get(f"/v1/assignments/{aid}", headers=headers)
    body = {"action": action} | ({"comment": comment} if comment else {})
    return await tasks.post(
        f"/v1/assignments/{aid}/transitions", json=body, headers={**headers, "If-Match": current.headers["etag"]}
    )


async def test_elapsed_time_counts_from_the_assignment_not_the_plan(tasks, office, make_unit, fixed_clock):
    """A plan issued in January; a task due next year created in November is green the day it is made (it was
    yellow: 10 of its 22 months counted as gone)."""
    unit = await make_unit()
    fixed_clock("2026-11-02")
    _, aid = await _plan_with_task(tasks, office, unit["id"], margin=20, deadline="2027年12月底前")
    read = (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).json()
    assert read["start_on"] == "2026-11-02"
    assert (read["light"], read["light_reason"]["code"]) == ("green", "on_track")
    fixed_clock("2027-06-02")  # 7 of 14 months gone, nothing done: behind, counted from November
    read = (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).json()
    assert (read["light"], read["light_reason"]["code"]) == ("yellow", "behind_schedule")
    assert "2026-11-02" in read["light_reason"]["text"] and "落后于时间进度" in read["light_reason"]["text_zh"]


async def test_every_light_says_why(tasks, office, make_user, make_unit, fixed_clock):
    unit = await make_unit()
    user = await make_user("unit", unit_id=unit["id"])
    fixed_clock("2026-09-01")
    plan, late = await _plan_with_task(tasks, office, unit["id"], deadline={"kind": "date", "due_on": "2026-09-30"})
    soon = (
        await tasks.post(
            f"/v1/plans/{plan['id']}/tasks",
            json={"title": "临期", "lead_unit": unit["id"], "deadline": {"kind": "date", "due_on": "2026-10-09"}},
            headers=office["headers"],
        )
    ).json()["assignments"][0]["assignment_id"]
    fixed_clock("2026-10-08")
    one = (await tasks.get(f"/v1/assignments/{late}", headers=office["headers"])).json()
    assert one["light"] == "red"
    assert one["light_reason"] == {
        "code": "overdue",
        "text": "Overdue since 2026-10-01 (due 2026-09-30, 8 day(s) ago)",
        "text_zh": "已逾期：完成时限 2026-09-30，自 2026-10-01 起逾期 8 天",
    }
    other = (await tasks.get(f"/v1/assignments/{soon}", headers=office["headers"])).json()
    assert other["light"] == "yellow"
    assert other["light_reason"]["code"] == "due_soon"
    assert other["light_reason"]["text"] == "Due within 1 working day(s), on 2026-10-09"
    mine = (await tasks.get("/v1/me/assignments", headers=user["headers"])).json()["items"]
    assert [(a["id"], a["light_reason"]["code"]) for a in mine] == [(late, "overdue"), (soon, "due_soon")]
    listed = (await tasks.get(f"/v1/plans/{plan['id']}/tasks", headers=office["headers"])).json()["items"]
    assert [t["light_reason"]["code"] for t in listed] == ["overdue", "due_soon"]
    assert [b["light_reason"]["code"] for t in listed for b in t["assignments"]] == ["overdue", "due_soon"]
    board = (await tasks.get(f"/v1/plans/{plan['id']}/board", headers=office["headers"])).json()
    assert board["light"] == "red"
    assert board["light_reason"]["code"] == "overdue" and board["light_reason"]["text_zh"] == "1 项交办事项已逾期"


async def test_a_late_closing_stays_yellow(tasks, office, make_user, make_unit, fixed_clock):
    """办结 after the deadline is 逾期办结: yellow with its reason, not green; on time it is green."""
    unit = await make_unit()
    user = await make_user("unit", unit_id=unit["id"])
    fixed_clock("2026-09-01")
    plan, aid = await _plan_with_task(tasks, office, unit["id"], deadline={"kind": "date", "due_on": "2026-09-30"})
    fixed_clock("2026-10-12")
    assert (await _move(tasks, aid, "acknowledge", user["headers"])).status_code == 200
    assert (await _move(tasks, aid, "request_completion", user["headers"])).status_code == 200
    closed = await _move(tasks, aid, "close", office["headers"])
    assert closed.status_code == 200, closed.text
    read = closed.json()
    assert (read["state"], read["light"], read["closed_late"], read["closed_on"]) == (
        "closed",
        "yellow",
        True,
        "2026-10-12",
    )
    assert read["light_reason"]["code"] == "closed_late"
    assert read["light_reason"]["text_zh"] == "逾期办结：2026-10-12 办结，完成时限 2026-09-30"
    task = (await tasks.get(f"/v1/tasks/{read['task_id']}", headers=office["headers"])).json()
    assert (task["light"], task["light_reason"]["code"]) == ("yellow", "closed_late")
    board = (await tasks.get(f"/v1/plans/{plan['id']}/board", headers=office["headers"])).json()
    assert board["totals"]["closed"] == 1 and board["totals"]["closed_late"] == 1

    _, on_time = await _plan_with_task(tasks, office, unit["id"], deadline={"kind": "date", "due_on": "2026-12-31"})
    await _move(tasks, on_time, "acknowledge", user["headers"])
    await _move(tasks, on_time, "request_completion", user["headers"])
    read = (await _move(tasks, on_time, "close", office["headers"])).json()
    assert (read["light"], read["closed_late"], read["light_reason"]["code"]) == ("green", False, "closed_on_time")
