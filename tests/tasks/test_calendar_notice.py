"""2027 loaded from the State Council's notice text, as an admin would: read it (POST /v1/calendar/notices),
review, PUT the year. The Spring Festival is then not a working day, and the 调休 Saturday is one, for all
three services alike: tasks-api's lights and shifted due dates, notify's reminder moments, scoring-api's on-time
figures. The notice is tests/fixtures/calendar_notices/2027.txt, written for the tests in the official format
(the fixtures' README says so); the dates expected here are read off that text."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from tests.notify.test_calendar import _catch_up_events, _reminders
from tests.notify.test_reminders import walk
from tests.platform.test_errors import assert_problem
from tests.tasks.test_calendar import year_loaded
from tests.tasks.test_performance import _close

NOTICE_2027 = (Path(__file__).resolve().parents[1] / "fixtures" / "calendar_notices" / "2027.txt").read_text("utf-8")


async def _task(tasks, office, plan_id: int, unit: dict, title: str, deadline: dict) -> dict[str, Any]:
    r = await tasks.post(
        f"/v1/plans/{plan_id}/tasks",
        json={"title": title, "lead_unit": unit["id"], "deadline": deadline},
        headers=office["headers"],
    )
    assert r.status_code == 201, r.text
    return r.json()


async def _light(tasks, office, task) -> str:
    return (await tasks.get(f"/v1/tasks/{task['id']}", headers=office["headers"])).json()["assignments"][0]["light"]


async def _on_time_rate(scoring, office, plan_id: int, unit_id: int) -> float:
    scheme = await scoring.post(
        "/v1/schemes",
        json={
            "plan_id": plan_id,
            "name": "2027年度考核",
            "performance": [{"metric": "on_time_completion_rate", "points": 10}],
        },
        headers=office["headers"],
    )
    assert scheme.status_code == 201, scheme.text
    started = await scoring.post(
        "/v1/assessments", json={"scheme_id": scheme.json()["id"], "period": "2027"}, headers=office["headers"]
    )
    assert started.status_code == 202, started.text
    for _ in range(300):
        job = (await scoring.get(started.headers["location"], headers=office["headers"])).json()
        if job["status"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.05)
    assert job["status"] == "succeeded", job
    card = await scoring.get(f"/v1/assessments/{started.json()['id']}/scorecards/{unit_id}", headers=office["headers"])
    assert card.status_code == 200, card.text
    return next(x for x in card.json()["lines"] if x["ref"] == "on_time_completion_rate")["value"]


async def test_2027_from_the_notice_counts_alike_in_every_service(
    tasks, notify, scoring, notify_app, admin, office, plan_setup, fixed_clock
):
    # Before: the API says 2027 is provisional.
    r = await tasks.get("/v1/calendar/2027", headers=office["headers"])
    assert r.status_code == 200 and r.json()["status"] == "provisional" and r.json()["days"] == []

    plan_id, units, users = plan_setup["plan"]["id"], plan_setup["units"], plan_setup["users"]
    fixed_clock("2027-02-01")  # a Monday
    # 遇节假日顺延 on Monday 8 February, closed on Monday 15 February: late on Monday–Friday.
    shifted = await _task(
        tasks,
        office,
        plan_id,
        units["c"],
        "春节后顺延的任务",
        {"kind": "date", "due_on": "2027-02-08", "workdays": True},
    )
    # Due Monday 22 February: its reminders fall around the holiday and on the 调休 Saturday.
    reminded = await _task(
        tasks, office, plan_id, units["b"], "节后提醒的任务", {"kind": "date", "due_on": "2027-02-22"}
    )
    # A window ending Monday 15 February: ten working days ahead (green) on Monday–Friday.
    window = await _task(
        tasks,
        office,
        plan_id,
        units["b"],
        "跨春节的任务",
        {"kind": "window", "start_on": "2027-02-01", "due_on": "2027-02-15"},
    )
    assert await _light(tasks, office, window) == "green"

    # Reading the notice is the admin's; it answers what it read, for review.
    r = await tasks.post("/v1/calendar/notices", json={"text": NOTICE_2027}, headers=office["headers"])
    assert_problem(r, 403, "forbidden")
    r = await tasks.post("/v1/calendar/notices", json={"text": NOTICE_2027}, headers=admin["headers"])
    assert r.status_code == 200, r.text
    read = r.json()
    spring = next(h for h in read["holidays"] if h["name"] == "春节")
    assert (spring["first_day_off"], spring["last_day_off"], spring["days_off"]) == ("2027-02-05", "2027-02-12", 8)
    assert spring["make_up_workdays"] == ["2027-01-31", "2027-02-20"]
    assert [h["name"] for h in read["holidays"]] == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    # A line it cannot read is named.
    r = await tasks.post(
        "/v1/calendar/notices",
        json={"text": NOTICE_2027.replace("2月20日（周六）", "2月20日（周日）")},
        headers=admin["headers"],
    )
    problem = assert_problem(r, 422, "notice_unreadable")
    assert problem["errors"][0]["loc"] == ["body", "text", 8]

    async with year_loaded(tasks, admin, 2027, read["days"], source=read["source"]):
        r = await tasks.get("/v1/calendar/2027", headers=office["headers"])
        assert r.json()["status"] == "official" and r.json()["source"] == read["source"]

        # tasks-api: four working days left (2–4 and 15 February) make the window yellow; the 8th is a
        # holiday, and so is every day to the 12th, so the shifted deadline moves to Monday the 15th.
        assert await _light(tasks, office, window) == "yellow"
        r = await tasks.get(f"/v1/tasks/{shifted['id']}", headers=office["headers"])
        assert r.json()["due_on"] == "2027-02-15"

        # notify, told by tasks-api's event: 1 working day before the 22nd is Saturday the 20th (调休), 3 before
        # is Thursday the 18th, 7 before is Thursday the 4th (5–12 February are off, 13–14 a weekend).
        await _catch_up_events(notify_app)
        await walk(notify_app, date(2027, 2, 1), date(2027, 2, 22))
        assert await _reminders(notify, {"office": office, "clerk": users["b"]}, reminded["id"]) == {
            "before-7": [date(2027, 2, 4)],
            "before-3": [date(2027, 2, 18)],
            "before-1": [date(2027, 2, 20)],
            "due": [date(2027, 2, 22)],
        }

        # scoring-api: closed on the 15th, the shifted task is on time.
        fixed_clock("2027-02-15")
        await _close(tasks, office, users["c"], shifted["assignments"][0]["assignment_id"])
        assert await _on_time_rate(scoring, office, plan_id, units["c"]["id"]) == 1

    r = await tasks.get("/v1/calendar/2027", headers=office["headers"])
    assert r.json()["status"] == "provisional"


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "calendar", "import", *args], text=True, capture_output=True, env=env
    )


async def test_luoshi_calendar_import_shows_then_applies(tasks, admin, office, database_url, tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    shown = await asyncio.to_thread(_cli, database_url, str(notice))
    assert shown.returncode == 0, shown.stderr
    assert "春节: 2027-02-05 至 2027-02-12 放假 8 天，2027-01-31、2027-02-20 上班" in shown.stdout
    assert "--apply" in shown.stdout
    assert (await tasks.get("/v1/calendar/2027", headers=office["headers"])).json()["status"] == "provisional"

    broken = tmp_path / "broken.txt"
    broken.write_text(NOTICE_2027.replace("2月20日（周六）", "2月30日（周六）"), encoding="utf-8")
    refused = await asyncio.to_thread(_cli, database_url, str(broken), "--apply")
    assert refused.returncode == 2 and "第 8 行" in refused.stderr and "notice_unreadable" in refused.stderr

    applied = await asyncio.to_thread(_cli, database_url, str(notice), "--apply")
    assert applied.returncode == 0, applied.stderr
    try:
        year = (await tasks.get("/v1/calendar/2027", headers=office["headers"])).json()
        assert year["status"] == "official" and year["source"] == "国务院办公厅关于2027年部分节假日安排的通知"
        assert {"date": "2027-02-20", "is_workday": True, "name": "春节"} in year["days"]
    finally:
        current = await tasks.get("/v1/calendar/2027", headers=admin["headers"])
        r = await tasks.put(
            "/v1/calendar/2027",
            json={"status": "provisional", "days": []},
            headers={**admin["headers"], "If-Match": current.headers["etag"]},
        )
        assert r.status_code == 200, r.text
