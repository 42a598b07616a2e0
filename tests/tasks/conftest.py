"""Helpers for tasks-api tests: a plan with units, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from luoshi.clock import Clock, FixedClock
from luoshi.contracts.todo import TodoItem
from tests.conftest import unique


@pytest.fixture
def fixed_clock(tasks_app: Any) -> Iterator[Any]:
    """Set tasks-api's clock to a moment (Asia/Shanghai noon of a given day by default)."""
    original = tasks_app.state.clock

    def set_day(day: str, hour: int = 4) -> FixedClock:
        y, m, d = (int(x) for x in day.split("-"))
        clock = FixedClock(datetime(y, m, d, hour, tzinfo=UTC))
        tasks_app.state.clock = clock
        return clock

    yield set_day
    tasks_app.state.clock = original if isinstance(original, Clock) else Clock()


@pytest.fixture
async def plan_setup(tasks, office, make_user, make_unit) -> dict[str, Any]:
    """A plan run by `office`, three units each with a contact user, and one task: lead A, cooperating B."""
    gov = await make_unit(kind="government", level="county", name=unique("测试县人民政府-"))
    a = await make_unit(parent_id=gov["id"], name=unique("测试县质量技术监督局-"), short_name=unique("质监"))
    b = await make_unit(parent_id=gov["id"], name=unique("测试县发展和改革委员会-"), short_name=unique("发改"))
    c = await make_unit(parent_id=gov["id"], name=unique("测试县统计局-"), short_name=unique("统计"))
    plan = await tasks.post(
        "/v1/plans",
        json={
            "title": unique("测试方案-"),
            "doc_number": "测政〔2026〕1号",
            "issuer": gov["name"],
            "issued_on": "2026-01-05",
            "office_unit": None,
            "status": "active",
            "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30},
        },
        headers=office["headers"],
    )
    assert plan.status_code == 201, plan.text
    plan = plan.json()
    task = await tasks.post(
        f"/v1/plans/{plan['id']}/tasks",
        json={
            "number": "1",
            "title": "提升产品质量",
            "lead_unit": a["id"],
            "cooperating_units": [b["id"]],
            "deadline": {"kind": "window", "start_on": "2026-01-05", "due_on": "2026-12-31"},
        },
        headers=office["headers"],
    )
    assert task.status_code == 201, task.text
    users = {k: await make_user("unit", unit_id=u["id"]) for k, u in (("a", a), ("b", b), ("c", c))}
    return {"plan": plan, "task": task.json(), "units": {"gov": gov, "a": a, "b": b, "c": c}, "users": users}


@pytest.fixture
async def office_plan(tasks, make_user, make_unit) -> dict[str, Any]:
    """A plan run by its own office (unit `office`, user `ox`), with a second office (`oy`) that runs none of it;
    one task led by unit A (user `ua`) with B (user `ub`) cooperating, due mid-2027, reported monthly on the 30th."""
    gov = await make_unit(kind="government", level="county", name=unique("待办县人民政府-"))
    units = {
        key: await make_unit(parent_id=gov["id"], name=unique(f"待办县{name}-"), short_name=unique(name))
        for key, name in (("office", "督查室"), ("other", "另一办公室"), ("a", "质监局"), ("b", "发改委"))
    }
    ox = await make_user("office", unit_id=units["office"]["id"])
    oy = await make_user("office", unit_id=units["other"]["id"])
    plan = await tasks.post(
        "/v1/plans",
        json={
            "title": unique("待办方案-"),
            "issuer": gov["name"],
            "office_unit": units["office"]["id"],
            "status": "active",
            "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30},
        },
        headers=ox["headers"],
    )
    assert plan.status_code == 201, plan.text
    task = await tasks.post(
        f"/v1/plans/{plan.json()['id']}/tasks",
        json={
            "number": "1",
            "title": "开展质量提升行动",
            "lead_unit": units["a"]["id"],
            "cooperating_units": [units["b"]["id"]],
            "deadline": {"kind": "window", "start_on": "2026-01-05", "due_on": "2027-06-30"},
        },
        headers=ox["headers"],
    )
    assert task.status_code == 201, task.text
    assignments = {a["role"]: a["assignment_id"] for a in task.json()["assignments"]}
    return {
        "plan": plan.json(),
        "task": task.json(),
        "units": units,
        "lead": assignments["lead"],
        "cooperating": assignments["cooperating"],
        "users": {
            "ox": ox,
            "oy": oy,
            "ua": await make_user("unit", unit_id=units["a"]["id"]),
            "ub": await make_user("unit", unit_id=units["b"]["id"]),
        },
    }


async def every_page(client: Any, path: str, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, two at a time (the cursor is followed)."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


async def all_todo(client: Any, user: dict[str, Any], path: str = "/v1/me/todo") -> list[dict[str, Any]]:
    """Every item of the caller's queue, each written as the contract's model writes it, whichever way it was
    built."""
    items = await every_page(client, path, user["headers"])
    for item in items:
        assert TodoItem.model_validate(item).model_dump(mode="json") == item
    return items


QUARTER_WITHOUT_MONTH = '{"kind": "recurring", "frequency": "quarterly", "day": 15}'


async def store_old_quarterly_deadline(tasks_app: Any, column: str, row_id: int) -> None:
    """Store a quarterly deadline as it was written before a quarter's month had its default (the model reads it
    as the quarter's last month): `column` is `plan.report_schedule` or `task.deadline`."""
    table, name = column.split(".")
    async with tasks_app.state.db.engine.begin() as conn:
        await conn.execute(
            text(f"UPDATE tasks.{table} SET {name} = CAST(:d AS jsonb) WHERE id = :id"),
            {"d": QUARTER_WITHOUT_MONTH, "id": row_id},
        )
