"""A plan's task list, written straight from rows: each listed task is the task as its own read shows it to the
same caller (its assignments as that caller may see them, its light, a deadline stored before a field had its
default read as the model gives it); the filters keep the tasks they name; a unit with no work in the plan does
not find it."""

from __future__ import annotations

from typing import Any

from tests.tasks.conftest import every_page, store_old_quarterly_deadline


async def test_each_listed_task_is_its_own_read_for_the_same_caller(tasks, tasks_app, office, plan_setup, fixed_clock):
    plan, units, users = plan_setup["plan"], plan_setup["units"], plan_setup["users"]
    listing = f"/v1/plans/{plan['id']}/tasks"
    first = plan_setup["task"]  # lead A, cooperating B, window to 2026-12-31
    made = [first]
    for body in (
        {
            "number": "1.1",
            "title": "质量提升子任务",
            "parent_id": first["id"],
            "lead_unit": units["b"]["id"],
            "deadline": {"kind": "date", "due_on": "2026-10-09"},
        },
        {
            "number": "2",
            "title": "培育名牌产品",
            "measures": "每年培育名牌产品",
            "lead_unit": units["b"]["id"],
            "cooperating_units": [units["a"]["id"]],
            "deadline": "2026年10月20日前",
        },
        {"number": "3", "title": "统计分析", "lead_unit": units["b"]["id"]},
    ):
        r = await tasks.post(f"/v1/plans/{plan['id']}/tasks", json=body, headers=office["headers"])
        assert r.status_code == 201, r.text
        made.append(r.json())
    await store_old_quarterly_deadline(tasks_app, "task.deadline", made[3]["id"])
    fixed_clock("2026-10-12")  # the child task is overdue (red), task 2 due within the plan's yellow days or not

    for who in (office, users["a"], users["b"]):
        items = await every_page(tasks, listing, who["headers"])
        assert [t["id"] for t in items] == [t["id"] for t in made]  # document order
        for item in items:
            read = await tasks.get(f"/v1/tasks/{item['id']}", headers=who["headers"])
            assert read.status_code == 200, read.text
            assert item == read.json()
    by_id = {t["id"]: t for t in await every_page(tasks, listing, office["headers"])}
    assert by_id[made[1]["id"]]["light"] == "red"
    assert by_id[made[1]["id"]]["light_reason"]["code"] == "overdue"
    assert by_id[made[3]["id"]]["deadline"]["month"] == 3
    # unit A cooperates on task 2 only: it sees its own assignment there, both on task 1 which it leads
    as_a = {t["id"]: t for t in await every_page(tasks, listing, users["a"]["headers"])}
    assert [b["unit_id"] for b in as_a[made[2]["id"]]["assignments"]] == [units["a"]["id"]]
    assert len(as_a[first["id"]]["assignments"]) == 2

    def ids(items: list[dict[str, Any]]) -> list[int]:
        return [t["id"] for t in items]

    h = office["headers"]
    assert ids(await every_page(tasks, listing, h, roots_only="true")) == [made[0]["id"], made[2]["id"], made[3]["id"]]
    assert ids(await every_page(tasks, listing, h, parent_id=first["id"])) == [made[1]["id"]]
    assert ids(await every_page(tasks, listing, h, light="red")) == [made[1]["id"]]
    assert ids(await every_page(tasks, listing, h, q="名牌")) == [made[2]["id"]]
    assert ids(await every_page(tasks, listing, h, unit_id=units["a"]["id"])) == [made[0]["id"], made[2]["id"]]
    assert ids(await every_page(tasks, listing, h, due_to="2026-10-31")) == [made[1]["id"], made[2]["id"]]


async def test_a_unit_without_work_in_the_plan_does_not_find_its_tasks(tasks, plan_setup):
    c = plan_setup["users"]["c"]
    r = await tasks.get(f"/v1/plans/{plan_setup['plan']['id']}/tasks", headers=c["headers"])
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    missing = await tasks.get("/v1/plans/999999999/tasks", headers=c["headers"])
    assert missing.status_code == 404
