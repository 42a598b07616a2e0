"""The demo plan, loaded the way an office would: through tasks-api's HTTP API, breakdown table and all.

The Xiayi plan is from 2015; its deadlines are moved to this year and the next so a new user sees live work
(some due soon, some later) rather than a plan that ended long ago. Two of 质监局's tasks are dated from the day
the demo is loaded, in working days, so that day's sweep has something to say whatever the day: one is due in
`SOON_WORKDAYS` (its "3 working days before" reminder is due today), one fell due `OVERDUE_WORKDAYS` ago (urged
yesterday, escalated the day before; both within the default rules' catch-up of 2 working days, so a service
whose day is one ahead of the loader's, or a sweep a day late, still plans them).
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from importlib import resources
from typing import Any

import httpx

from luoshi.clock import Clock
from luoshi.workdays import WorkdayCalendar, add_workdays, install, installed
from luoshi_tasks.settings import TasksSettings

DOC_NUMBER = "夏政〔2015〕29号"
TITLE = "夏邑县创建河南省知名品牌创建示范产业集聚区实施方案"
GROUP = [
    ("组长", "孙文涛", "县委常委、统战部长、县政府党组成员", None),
    ("副组长", "孙若梅", "县政府党组成员、群工部部长", None),
    ("副组长", "陈斌", "县政府党组成员、集聚区管委会常务副主任", "产业集聚区管委会"),
    ("成员", "王文涛", "县政府办公室副主任", "县政府办"),
    ("成员", "孙战峰", "县产业集聚区管委会副主任", "产业集聚区管委会"),
    ("成员", "张新民", "县质监局局长", "质监局"),
    ("成员", "何宏娅", "县发改委副主任", "发改委"),
    ("成员", "马啸峰", "县工商局副主任科员", "工商局"),
]


SOON_WORKDAYS = 3  # the default rules remind 7, 3 and 1 working days before
OVERDUE_WORKDAYS = 7  # urged every 3 working days after (the second, 6 after, is yesterday); escalated after 5


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日前"


def demo_dates(today: date) -> dict[str, date]:
    """The two deadlines counted from `today` on the installed working-day calendar: {SOON} and {OVERDUE}."""
    return {"SOON": add_workdays(today, SOON_WORKDAYS), "OVERDUE": add_workdays(today, -OVERDUE_WORKDAYS)}


def _install_calendar(http: httpx.Client, today: date) -> None:
    """Count the demo's working days on tasks-api's calendar (holidays, 调休), as notify's sweep will."""
    params = {"start": (today - timedelta(days=60)).isoformat(), "end": (today + timedelta(days=60)).isoformat()}
    rows, cursor = [], None
    while True:
        page = http.get("/v1/calendar/days", params={**params, "limit": 500, **({"cursor": cursor} if cursor else {})})
        body = page.raise_for_status().json()
        rows += [(date.fromisoformat(d["date"]), d["is_workday"]) for d in body["items"]]
        cursor = body.get("next_cursor")
        if not cursor:
            break
    known = installed()
    install(WorkdayCalendar({**known.days, **WorkdayCalendar.from_rows(rows, ()).days}, known.official_years))


def breakdown_csv(today: date) -> bytes:
    """The demo table with its placeholders filled: {Y} this year, {Y1} next, {Y}年{M}月 about six weeks on,
    {SOON} and {OVERDUE} counted in working days from today (`demo_dates`), {S} the month the plan was issued in
    (one task runs from then, so its unit already owes the plan's past reports and the demo bulletin names it)."""
    text = resources.files("luoshi_tasks.demo").joinpath("xiayi_breakdown.csv").read_text("utf-8")
    issued = date.fromisoformat(plan_body(today)["issued_on"])
    text = text.replace("{S}", f"{issued.year}年{issued.month}月")
    soon = today + timedelta(days=45)
    text = text.replace("{Y}年{M}月", f"{soon.year}年{soon.month}月")
    for name, day in demo_dates(today).items():
        text = text.replace("{" + name + "}", _day(day))
    return text.replace("{Y1}", str(today.year + 1)).replace("{Y}", str(today.year)).encode("utf-8-sig")


def plan_body(today: date) -> dict[str, Any]:
    start = today - timedelta(days=60)
    return {
        "title": TITLE,
        "doc_number": DOC_NUMBER,
        "issuer": "夏邑县人民政府",
        "issued_on": start.isoformat(),
        "office_unit": "产业集聚区管委会",
        "status": "active",
        "summary": "以产业集聚区为载体，创建河南省知名品牌创建示范产业集聚区。",
        "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30, "text": "每月30日"},
        "phases": [
            {"name": "宣传发动", "start_on": start.isoformat(), "end_on": (start + timedelta(days=80)).isoformat()},
            {
                "name": "组织实施",
                "start_on": (start + timedelta(days=81)).isoformat(),
                "end_on": date(today.year + 1, 9, 30).isoformat(),
            },
            {
                "name": "考核验收",
                "start_on": date(today.year + 1, 10, 1).isoformat(),
                "end_on": date(today.year + 1, 12, 31).isoformat(),
            },
        ],
        "group": [{"role": r, "name": n, "title": t, "unit": u} for r, n, t, u in GROUP],
    }


def load_demo_plan(
    base_url: str, username: str, password: str, today: date | None = None, timeout: float = 120
) -> dict[str, Any]:
    """Create the demo plan and import its breakdown table, unless a plan with its 文号 is there already.

    Returns {"plan_id", "tasks", "created"}; raises RuntimeError when the import job fails.
    """
    today = today or Clock(TasksSettings().timezone).today()  # the day the services count in, not the host's
    with httpx.Client(base_url=base_url, timeout=30) as http:
        token = http.post("/v1/auth/token", data={"username": username, "password": password})
        token.raise_for_status()
        http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        found = http.get("/v1/plans", params={"q": DOC_NUMBER}).raise_for_status().json()["items"]
        if found:
            plan_id = found[0]["id"]
            tasks = http.get(f"/v1/plans/{plan_id}/tasks", params={"limit": 1}).raise_for_status().json()
            if tasks["items"]:
                return {"plan_id": plan_id, "tasks": None, "created": False}
        else:
            plan_id = http.post("/v1/plans", json=plan_body(today)).raise_for_status().json()["id"]
        _install_calendar(http, today)
        files = {"file": ("夏邑县任务分解表.csv", breakdown_csv(today), "text/csv")}
        started = http.post(f"/v1/plans/{plan_id}/breakdown", files=files).raise_for_status()
        deadline = time.monotonic() + timeout
        while True:
            job = http.get(started.headers["Location"]).raise_for_status().json()
            if job["status"] == "succeeded":
                return {"plan_id": plan_id, "tasks": job["result"]["tasks_created"], "created": True}
            if job["status"] == "failed":
                raise RuntimeError(f"demo breakdown import failed: {job['errors']}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"demo breakdown import did not finish in {timeout} s")
            time.sleep(0.2)
