"""Task performance per unit (GET /v1/plans/{id}/performance): a plan walked through a spring with a fixed
clock — closes on time and late (either side of midnight in Asia/Shanghai), an open overdue assignment,
extensions that make the original and the extended deadline differ, reports on time, late, early, returned
and missing — then every number checked for both deadlines; and the same through TasksClient."""

from datetime import date

import httpx

from luoshi.auth import ServiceTokenSource
from luoshi.clients.tasks import TasksClient
from luoshi.contracts.performance import PlanPerformance
from tests.platform.test_errors import assert_problem
from tests.tasks.test_workflow import transition

WINDOW = "from=2026-03-01&to=2026-05-31"


async def _task(tasks, office, plan_id, unit_id, due_on):
    task = await tasks.post(
        f"/v1/plans/{plan_id}/tasks",
        json={"title": f"任务 {due_on}", "lead_unit": unit_id, "deadline": {"kind": "date", "due_on": due_on}},
        headers=office["headers"],
    )
    assert task.status_code == 201, task.text
    return task.json()["assignments"][0]["assignment_id"]


async def _report(tasks, user, aid, period):
    report = await tasks.post(
        f"/v1/assignments/{aid}/reports",
        json={"text": f"{period} 进展", "percent": 10, "period_due_on": period},
        headers=user["headers"],
    )
    assert report.status_code == 201, report.text
    return report.json()


async def _return(tasks, office, report):
    review = await tasks.post(
        f"/v1/reports/{report['id']}/review",
        json={"decision": "return", "comment": "材料不全"},
        headers={**office["headers"], "If-Match": f'"report-{report["id"]}-v{report["version"]}"'},
    )
    assert review.status_code == 200, review.text


async def _close(tasks, office, user, aid):
    state = (await tasks.get(f"/v1/assignments/{aid}", headers=user["headers"])).json()["state"]
    if state == "assigned":
        assert (await transition(tasks, aid, "acknowledge", user["headers"])).status_code == 200
    assert (await transition(tasks, aid, "request_completion", user["headers"])).status_code == 200
    closed = await transition(tasks, aid, "close", office["headers"])
    assert closed.status_code == 200 and closed.json()["state"] == "closed", closed.text


async def _extend(tasks, office, user, aid, to):
    ext = await tasks.post(
        f"/v1/assignments/{aid}/extensions",
        json={"requested_due_on": to, "reason": "设备到货延迟"},
        headers=user["headers"],
    )
    assert ext.status_code == 201, ext.text
    ext = ext.json()
    decided = await tasks.post(
        f"/v1/extensions/{ext['id']}/decision",
        json={"decision": "grant"},
        headers={**office["headers"], "If-Match": f'"extension-{ext["id"]}-v{ext["version"]}"'},
    )
    assert decided.status_code == 200, decided.text


async def _walk_spring(tasks, office, plan_setup, fixed_clock):
    """Unit A leads T2..T5 and task 1; unit B cooperates on task 1 and leads T6. Monthly reports on the 30th
    (Feb 28); in the window 2026-03-01..05-31 the reporting deadlines are Mar 30, Apr 30 and May 30."""
    plan_id = plan_setup["plan"]["id"]
    units, users = plan_setup["units"], plan_setup["users"]
    ua, ub = users["a"], users["b"]
    by_role = {a["role"]: a["assignment_id"] for a in plan_setup["task"]["assignments"]}
    one_a, one_b = by_role["lead"], by_role["cooperating"]  # due 2026-12-31: outside the window

    fixed_clock("2026-02-01")
    t2 = await _task(tasks, office, plan_id, units["a"]["id"], "2026-04-15")  # closed on time, 23:00 on the day
    t3 = await _task(tasks, office, plan_id, units["a"]["id"], "2026-04-30")  # extended to 05-20, closed 05-10
    t4 = await _task(tasks, office, plan_id, units["a"]["id"], "2026-05-15")  # never closed: overdue
    t5 = await _task(tasks, office, plan_id, units["a"]["id"], "2026-05-25")  # extended to 06-20, still open
    t6 = await _task(tasks, office, plan_id, units["b"]["id"], "2026-03-20")  # closed 01:00 the next day: late

    fixed_clock("2026-03-20", hour=17)  # 17:00 UTC is 01:00 on March 21 in Shanghai
    await _close(tasks, office, ub, t6)
    fixed_clock("2026-03-25")
    await _report(tasks, ua, one_a, "2026-03-30")  # on time
    fixed_clock("2026-03-28")
    await _return(tasks, office, await _report(tasks, ua, t2, "2026-03-30"))  # on time, then returned
    fixed_clock("2026-03-31")
    assert (await _report(tasks, ub, one_b, "2026-03-30"))["late"] is True
    fixed_clock("2026-04-02")
    assert (await _report(tasks, ua, t2, "2026-03-30"))["late"] is True  # the resubmission is late
    fixed_clock("2026-04-08")
    await _report(tasks, ua, t2, "2026-04-30")  # early, for a period T2 will not owe (closed before it)
    fixed_clock("2026-04-15", hour=15)  # 23:00 in Shanghai, on the deadline day
    await _close(tasks, office, ua, t2)
    fixed_clock("2026-04-20")
    await _extend(tasks, office, ua, t3, "2026-05-20")
    await _extend(tasks, office, ua, t5, "2026-06-20")
    fixed_clock("2026-04-29")
    await _report(tasks, ua, t3, "2026-04-30")
    fixed_clock("2026-05-03")
    assert (await _report(tasks, ua, one_a, "2026-04-30"))["late"] is True
    fixed_clock("2026-05-10")
    await _close(tasks, office, ua, t3)  # after the original 04-30, before the extended 05-20
    fixed_clock("2026-06-01")
    assert (await _report(tasks, ua, t5, "2026-05-30"))["late"] is True
    fixed_clock("2026-06-05")
    await _return(tasks, office, await _report(tasks, ua, t5, "2026-06-30"))  # early; outside the first window
    fixed_clock("2026-06-10")
    return t4


def _unit(unit, **numbers):
    # a rate with nothing to measure is null and named in not_applicable
    na = [rate for rate in ("on_time_completion_rate", "on_time_report_rate") if numbers.get(rate, 0) is None]
    return {"unit_id": unit["id"], "unit_name": unit["name"], **numbers, "not_applicable": na}


async def test_performance_per_unit_for_both_deadlines(tasks, office, make_user, plan_setup, fixed_clock):
    await _walk_spring(tasks, office, plan_setup, fixed_clock)
    plan_id, units = plan_setup["plan"]["id"], plan_setup["units"]

    # Reports, the same for both deadlines. A owes Mar/Apr/May on task 1, T4 and T5 (open), Mar on T2 (closed
    # Apr 15), Mar/Apr on T3 (closed May 10): 12 periods, plus T2's early April report: 13. On time: task 1 Mar,
    # T2 Mar (first report on time, returned, resubmitted late), T2 Apr, T3 Apr; late: task 1 Apr, T5 May.
    a_reports = {
        "reports_due": 13,
        "reports_on_time": 4,
        "reports_late": 2,
        "on_time_report_rate": 0.3077,
        "reports_returned": 1,  # T5's returned June report is outside the window
    }
    # B owes Mar/Apr/May on task 1 (T6 was closed before Mar 30) and reported March late.
    b_reports = {
        "reports_due": 3,
        "reports_on_time": 0,
        "reports_late": 1,
        "on_time_report_rate": 0.0,
        "reports_returned": 0,
    }
    b_work = {"assignments": 2, "due": 1, "completed": 1, "completed_on_time": 0}
    b_work |= {"on_time_completion_rate": 0.0, "overdue": 0, "overdue_carried_over": 0}

    extended = await tasks.get(f"/v1/plans/{plan_id}/performance?{WINDOW}", headers=office["headers"])
    assert extended.status_code == 200, extended.text
    body = extended.json()
    assert {k: body[k] for k in ("plan_id", "from", "to", "deadline", "as_of")} == {
        "plan_id": plan_id,
        "from": "2026-03-01",
        "to": "2026-05-31",
        "deadline": "extended",
        "as_of": "2026-06-10",
    }
    # Extended: T2 (04-15), T3 (05-20) and T4 (05-15) are due; T5 moved to 06-20, out of the window.
    a_work = {"assignments": 5, "due": 3, "completed": 2, "completed_on_time": 2}
    a_work |= {"on_time_completion_rate": 0.6667, "overdue": 1, "overdue_carried_over": 0}
    assert body["units"] == [
        _unit(units["a"], **a_work, **a_reports),
        _unit(units["b"], **b_work, **b_reports),
    ]

    original = await tasks.get(f"/v1/plans/{plan_id}/performance?{WINDOW}&deadline=original", headers=office["headers"])
    assert original.status_code == 200, original.text
    assert original.json()["deadline"] == "original"
    # Original: T2 (04-15), T3 (04-30, closed late), T4 (05-15) and T5 (05-25, open: overdue) are due.
    a_work = {"assignments": 5, "due": 4, "completed": 2, "completed_on_time": 1}
    a_work |= {"on_time_completion_rate": 0.25, "overdue": 2, "overdue_carried_over": 0}
    assert original.json()["units"] == [
        _unit(units["a"], **a_work, **a_reports),
        _unit(units["b"], **b_work, **b_reports),
    ]

    # A window reaching past today: T5 (extended to 06-20) is due but not yet overdue; May 30 is owed, June 30
    # is not yet, but counts because it was reported (on time, then returned).
    later = await tasks.get(f"/v1/plans/{plan_id}/performance?from=2026-05-01&to=2026-06-30", headers=office["headers"])
    assert later.json()["units"] == [
        _unit(
            units["a"],
            assignments=5,
            due=3,
            completed=1,
            completed_on_time=1,
            on_time_completion_rate=0.3333,
            overdue=1,
            overdue_carried_over=0,
            reports_due=4,
            reports_on_time=1,
            reports_late=1,
            on_time_report_rate=0.25,
            reports_returned=1,
        ),
        _unit(
            units["b"],
            assignments=2,
            due=0,
            completed=0,
            completed_on_time=0,
            on_time_completion_rate=None,
            overdue=0,
            overdue_carried_over=0,
            reports_due=1,
            reports_on_time=0,
            reports_late=0,
            on_time_report_rate=0.0,
            reports_returned=0,
        ),
    ]

    # A window after T4's deadline: T4 (05-15, never closed) is overdue work carried into it, counted apart
    # from `overdue`; T3 (closed 05-10, before the window) is not carried over, nor is B's T6 (closed in March).
    # By the original deadline T5 (05-25, still open) is carried over too.
    june = "from=2026-06-01&to=2026-06-30"
    for basis, carried in (("extended", 1), ("original", 2)):
        got = await tasks.get(f"/v1/plans/{plan_id}/performance?{june}&deadline={basis}", headers=office["headers"])
        rows = {u["unit_id"]: u for u in got.json()["units"]}
        assert rows[units["a"]["id"]]["overdue_carried_over"] == carried, basis
        assert rows[units["b"]["id"]]["overdue_carried_over"] == 0

    # a unit user sees only its own row; a unit taking no part, and an unknown plan, are not found
    mine = await tasks.get(f"/v1/plans/{plan_id}/performance?{WINDOW}", headers=plan_setup["users"]["b"]["headers"])
    assert mine.status_code == 200 and mine.json()["units"] == [_unit(units["b"], **b_work, **b_reports)]
    outsider = await tasks.get(f"/v1/plans/{plan_id}/performance?{WINDOW}", headers=plan_setup["users"]["c"]["headers"])
    assert_problem(outsider, 404, "plan_not_found")
    assert_problem(
        await tasks.get(f"/v1/plans/999999999/performance?{WINDOW}", headers=office["headers"]), 404, "plan_not_found"
    )
    # leaders and admins read every unit
    for role in ("leader", "admin"):
        user = await make_user(role)
        got = await tasks.get(f"/v1/plans/{plan_id}/performance?{WINDOW}", headers=user["headers"])
        assert [u["unit_id"] for u in got.json()["units"]] == [units["a"]["id"], units["b"]["id"]]


async def test_window_and_deadline_are_checked(tasks, office, plan_setup):
    plan_id = plan_setup["plan"]["id"]
    backwards = await tasks.get(
        f"/v1/plans/{plan_id}/performance?from=2026-06-01&to=2026-05-31", headers=office["headers"]
    )
    assert assert_problem(backwards, 400, "bad_request")["errors"][0]["code"] == "window_invalid"
    too_long = await tasks.get(
        f"/v1/plans/{plan_id}/performance?from=2020-01-01&to=2026-12-31", headers=office["headers"]
    )
    assert_problem(too_long, 400, "bad_request")
    bad = await tasks.get(f"/v1/plans/{plan_id}/performance?{WINDOW}&deadline=later", headers=office["headers"])
    assert_problem(bad, 422, "validation_failed")
    assert_problem(
        await tasks.get(f"/v1/plans/{plan_id}/performance?to=2026-05-31", headers=office["headers"]),
        422,
        "validation_failed",
    )


async def test_plan_without_reports_owes_every_period(tasks, office, plan_setup, fixed_clock):
    """A unit that never reported has no report rows, yet owes each passed period from its start."""
    fixed_clock("2026-07-01")
    got = await tasks.get(
        f"/v1/plans/{plan_setup['plan']['id']}/performance?from=2026-01-01&to=2026-12-31", headers=office["headers"]
    )
    # Jan 30 .. Jun 30 have passed (the task starts on Jan 5); the deadline 12-31 is due but not overdue.
    rows = {u["unit_id"]: u for u in got.json()["units"]}
    for key in ("a", "b"):
        row = rows[plan_setup["units"][key]["id"]]
        assert (row["due"], row["overdue"], row["on_time_completion_rate"]) == (1, 0, 0.0)
        assert (row["reports_due"], row["reports_on_time"], row["reports_late"]) == (6, 0, 0)
        assert row["on_time_report_rate"] == 0.0


async def test_scoring_reads_it_with_a_service_credential(tasks, tasks_app, office, plan_setup, fixed_clock):
    fixed_clock("2026-04-02")
    aid = next(a["assignment_id"] for a in plan_setup["task"]["assignments"] if a["role"] == "lead")
    await _report(tasks, plan_setup["users"]["a"], aid, "2026-03-30")  # late
    plan_id = plan_setup["plan"]["id"]

    secret = tasks_app.state.settings.service_secret.get_secret_value()
    client = TasksClient(
        "http://tasks", token=ServiceTokenSource(secret, "scoring-api"), transport=httpx.ASGITransport(tasks_app)
    )
    try:
        got = await client.plan_performance(plan_id, date(2026, 1, 1), date(2026, 12, 31))
        original = await client.plan_performance(plan_id, date(2026, 1, 1), date(2026, 12, 31), deadline="original")
    finally:
        await client.aclose()
    assert isinstance(got, PlanPerformance)
    assert (got.plan_id, got.from_, got.to, got.deadline, got.as_of) == (
        plan_id,
        date(2026, 1, 1),
        date(2026, 12, 31),
        "extended",
        date(2026, 4, 2),
    )
    assert original.deadline == "original"
    a = next(u for u in got.units if u.unit_id == plan_setup["units"]["a"]["id"])
    # Jan 30, Feb 28 and Mar 30 have passed: Jan and Feb missing, March late
    assert (a.reports_due, a.reports_on_time, a.reports_late, a.on_time_report_rate) == (3, 0, 1, 0.0)
    assert (a.due, a.completed, a.overdue, a.on_time_completion_rate) == (1, 0, 0, 0.0)
    # the client reads exactly what the office sees over HTTP
    http = await tasks.get(f"/v1/plans/{plan_id}/performance?from=2026-01-01&to=2026-12-31", headers=office["headers"])
    assert got.model_dump(mode="json", by_alias=True) == http.json()
