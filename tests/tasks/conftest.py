"""Helpers for tasks-api tests: a plan with units, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from luoshi.clock import Clock, FixedClock
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
