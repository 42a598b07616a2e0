"""The plans list, written straight from rows: each item is the plan as its own read shows it, cut to
`PlanSummary`; a report schedule stored before a field had its default reads as the model gives it; a unit sees
only the plans it has work in."""

from __future__ import annotations

from luoshi_tasks.schemas.plans import PlanSummary
from tests.conftest import unique
from tests.tasks.conftest import every_page, store_old_quarterly_deadline

SCHEDULES = [
    {"kind": "recurring", "frequency": "monthly", "day": 30, "text": "每月30日"},
    {"kind": "recurring", "frequency": "yearly", "day": 10, "month": 12, "workdays": True},
    {"kind": "window", "start_on": "2026-03-01", "due_on": "2026-11-30"},
    None,
]


async def test_each_listed_plan_is_its_own_read_cut_to_the_summary(tasks, tasks_app, office):
    prefix = unique("列表方案-")
    made = []
    for i, schedule in enumerate(SCHEDULES):
        r = await tasks.post(
            "/v1/plans",
            json={
                "title": f"{prefix}{i}",
                "doc_number": f"列政〔2026〕{i}号",
                "issuer": unique("列表县人民政府-"),
                "issued_on": "2026-01-05",
                "status": "active" if i % 2 else "draft",
                "report_schedule": schedule,
            },
            headers=office["headers"],
        )
        assert r.status_code == 201, r.text
        made.append(r.json())
    await store_old_quarterly_deadline(tasks_app, "plan.report_schedule", made[3]["id"])

    items = await every_page(tasks, "/v1/plans", office["headers"], q=prefix)
    assert [p["id"] for p in items] == [p["id"] for p in reversed(made)]  # newest first
    for item in items:
        read = (await tasks.get(f"/v1/plans/{item['id']}", headers=office["headers"])).json()
        assert item == {name: read[name] for name in PlanSummary.model_fields}
    quarterly = next(p for p in items if p["id"] == made[3]["id"])["report_schedule"]
    assert (quarterly["frequency"], quarterly["day"], quarterly["month"]) == ("quarterly", 15, 3)
    assert [p["status"] for p in items] == ["active", "draft", "active", "draft"]
    drafts = await every_page(tasks, "/v1/plans", office["headers"], q=prefix, status="draft")
    assert [p["id"] for p in drafts] == [made[2]["id"], made[0]["id"]]


async def test_a_unit_lists_only_the_plans_it_has_work_in(tasks, plan_setup):
    a, c = plan_setup["users"]["a"], plan_setup["users"]["c"]
    title = plan_setup["plan"]["title"]
    assert [p["id"] for p in await every_page(tasks, "/v1/plans", a["headers"], q=title)] == [plan_setup["plan"]["id"]]
    assert await every_page(tasks, "/v1/plans", c["headers"], q=title) == []  # no task of its own there
