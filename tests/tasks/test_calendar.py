"""The working-day calendar tasks-api owns (/v1/calendar): official and provisional years, editing a year with
If-Match, who may, bad input, and what follows a change — lights and holiday-shifted due dates still ahead."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx

from luoshi import workdays
from luoshi.auth import ServiceTokenSource
from luoshi.clients.tasks import TasksClient
from tests.platform.test_errors import assert_problem
from tests.tasks.test_performance import _close

# A 2027 Spring Festival written for these tests (not the State Council's): 5–11 February off, the Saturday
# after (20 February) a make-up working day.
SPRING_2027 = [
    *({"date": f"2027-02-{d:02d}", "is_workday": False, "name": "春节"} for d in range(5, 12)),
    {"date": "2027-02-20", "is_workday": True, "name": "春节"},
]


async def _year(tasks, headers, year):
    r = await tasks.get(f"/v1/calendar/{year}", headers=headers)
    assert r.status_code == 200, r.text
    return r


@asynccontextmanager
async def year_loaded(tasks, admin, year: int, days: list[dict[str, Any]], source: str = "测试"):
    """`year` official with `days` for the block, then provisional again (the database and the process's
    calendar are shared by every test)."""
    current = await _year(tasks, admin["headers"], year)
    r = await tasks.put(
        f"/v1/calendar/{year}",
        json={"status": "official", "source": source, "days": days},
        headers={**admin["headers"], "If-Match": current.headers["etag"]},
    )
    assert r.status_code == 200, r.text
    try:
        yield r
    finally:
        current = await _year(tasks, admin["headers"], year)
        r = await tasks.put(
            f"/v1/calendar/{year}",
            json={"status": "provisional", "days": []},
            headers={**admin["headers"], "If-Match": current.headers["etag"]},
        )
        assert r.status_code == 200, r.text


async def test_years_official_and_provisional(tasks, office):
    r = await tasks.get("/v1/calendar", headers=office["headers"])
    assert r.status_code == 200, r.text
    body = r.json()
    status = {y["year"]: y["status"] for y in body["items"]}
    assert status[2004] == status[2026] == "official"
    assert status[2027] == "provisional"
    assert body["last_official_year"] == 2026

    year = (await _year(tasks, office["headers"], 2027)).json()
    assert year["status"] == "provisional" and year["days"] == []

    spring = {d["date"]: d for d in (await _year(tasks, office["headers"], 2026)).json()["days"]}
    # 国办发明电〔2025〕7号: 春节 15–23 February 2026, Saturdays 14 and 28 February working
    assert spring["2026-02-17"] == {"date": "2026-02-17", "is_workday": False, "name": "春节"}
    assert spring["2026-02-14"]["is_workday"] is True and spring["2026-02-28"]["is_workday"] is True
    assert "2026-02-24" not in spring  # an ordinary Tuesday


async def test_days_feed_pages(tasks, office):
    first = await tasks.get(
        "/v1/calendar/days", params={"start": "2026-01-01", "end": "2026-12-31", "limit": 10}, headers=office["headers"]
    )
    assert first.status_code == 200, first.text
    second = await tasks.get(
        "/v1/calendar/days",
        params={"start": "2026-01-01", "end": "2026-12-31", "limit": 100, "cursor": first.json()["next_cursor"]},
        headers=office["headers"],
    )
    days = [d["date"] for d in first.json()["items"] + second.json()["items"]]
    assert days == sorted(set(days)) and days[0] == "2026-01-01" and days[-1] == "2026-10-10"
    assert len(first.json()["items"]) == 10 and second.json()["next_cursor"] is None


async def test_only_an_admin_edits_with_if_match(tasks, admin, office):
    etag = (await _year(tasks, admin["headers"], 2027)).headers["etag"]
    body = {"days": SPRING_2027}
    r = await tasks.put("/v1/calendar/2027", json=body, headers={**office["headers"], "If-Match": etag})
    assert_problem(r, 403, "forbidden")
    assert_problem(await tasks.put("/v1/calendar/2027", json=body, headers=admin["headers"]), 428, "if_match_required")
    r = await tasks.put("/v1/calendar/2027", json=body, headers={**admin["headers"], "If-Match": '"calendar-2027-v99"'})
    assert_problem(r, 412, "stale_etag")
    assert (await _year(tasks, admin["headers"], 2027)).json()["status"] == "provisional"


async def test_bad_days_name_the_day_and_write_nothing(tasks, admin):
    etag = (await _year(tasks, admin["headers"], 2027)).headers["etag"]
    days = [*SPRING_2027, {"date": "2026-12-31", "is_workday": False, "name": "元旦"}, SPRING_2027[0]]
    r = await tasks.put("/v1/calendar/2027", json={"days": days}, headers={**admin["headers"], "If-Match": etag})
    problem = assert_problem(r, 422, "calendar_days_invalid")
    assert [(e["loc"], e["code"]) for e in problem["errors"]] == [
        (["body", "days", 8, "date"], "not_in_year"),
        (["body", "days", 9, "date"], "duplicate_day"),
    ]
    assert_problem(
        await tasks.put(
            "/v1/calendar/2061", json={"days": []}, headers={**admin["headers"], "If-Match": '"calendar-2061-v0"'}
        ),
        404,
        "calendar_year_out_of_range",
    )
    year = (await _year(tasks, admin["headers"], 2027)).json()
    assert year["status"] == "provisional" and year["days"] == []


async def test_loading_a_year_moves_lights_and_shifted_due_dates_ahead(
    tasks, tasks_app, admin, office, plan_setup, fixed_clock
):
    plan_id, unit = plan_setup["plan"]["id"], plan_setup["units"]["a"]
    fixed_clock("2027-02-01")

    async def task(deadline):
        r = await tasks.post(
            f"/v1/plans/{plan_id}/tasks",
            json={"title": f"任务 {deadline}", "lead_unit": unit["id"], "deadline": deadline},
            headers=office["headers"],
        )
        assert r.status_code == 201, r.text
        return r.json()

    # Due Monday 15 February: ten working days ahead on Monday–Friday (green), five once the holiday is in
    # (yellow: the plan's yellow_workdays is 5). A window starting today, so progress does not colour it.
    plain = await task({"kind": "window", "start_on": "2027-02-01", "due_on": "2027-02-15"})
    # 遇节假日顺延 on Monday 8 February: a working day until the holiday is loaded, then Friday 12 February.
    shifted = await task({"kind": "date", "due_on": "2027-02-08", "workdays": True})
    assert plain["assignments"][0]["light"] == "green"
    assert shifted["due_on"] == "2027-02-08"

    async with year_loaded(tasks, admin, 2027, SPRING_2027) as loaded:
        assert (
            loaded.json()["status"] == "official"
            and loaded.headers["etag"] == f'"calendar-2027-v{loaded.json()["version"]}"'
        )
        assert workdays.is_official(2027) and not workdays.is_workday(date(2027, 2, 8))
        assert workdays.is_workday(date(2027, 2, 20))  # the make-up Saturday
        r = await tasks.get(f"/v1/tasks/{plain['id']}", headers=office["headers"])
        assert r.json()["assignments"][0]["light"] == "yellow"
        r = await tasks.get(f"/v1/tasks/{shifted['id']}", headers=office["headers"])
        assert r.json()["due_on"] == "2027-02-12"
        assert r.json()["assignments"][0]["due_on"] == "2027-02-12"

        # Closed on Thursday 11 February: on time by the shifted deadline, which scoring-api reads.
        aid = shifted["assignments"][0]["assignment_id"]
        fixed_clock("2027-02-11")
        await _close(tasks, office, plan_setup["users"]["a"], aid)
        secret = tasks_app.state.settings.service_secret.get_secret_value()
        client = TasksClient(
            "http://tasks", token=ServiceTokenSource(secret, "scoring-api"), transport=httpx.ASGITransport(tasks_app)
        )
        try:
            performance = await client.plan_performance(plan_id, date(2027, 2, 1), date(2027, 2, 28))
            calendar = await client.calendar()
        finally:
            await client.aclose()
        mine = next(u for u in performance.units if u.unit_id == unit["id"])
        assert mine.completed_on_time == 1
        # what notify and scoring-api install: the same days, 2027 official
        assert 2027 in calendar.official_years and calendar.days[date(2027, 2, 8)] is False
        assert calendar.days[date(2027, 2, 20)] is True

    assert not workdays.is_official(2027) and workdays.is_workday(date(2027, 2, 8))
