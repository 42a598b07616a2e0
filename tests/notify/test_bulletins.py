"""The monthly bulletin as the office reads it (issue 17): the tasks not reported are named beside the counts,
everything is in Chinese, it carries its 落款 (issuer and date), and it is compiled only for a reporting deadline."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import docx
import pytest

from luoshi.clock import FixedClock
from tests.conftest import unique
from tests.platform.test_errors import assert_problem


@pytest.fixture
def notify_day(notify_app):
    original = notify_app.state.clock
    notify_app.state.clock = FixedClock(datetime(2026, 11, 2, 2, tzinfo=UTC))
    yield
    notify_app.state.clock = original


async def test_a_bulletin_names_the_tasks_not_reported_in_chinese_with_its_sign_off(
    tasks,
    notify,
    make_unit,
    make_user,
    fixed_clock,
    notify_day,
):
    gov = await make_unit(kind="government", level="county", name=unique("落款县人民政府-"))
    office_unit = await make_unit(parent_id=gov["id"], name=unique("落款县创建工作领导小组办公室-"))
    done = await make_unit(parent_id=gov["id"], name=unique("落款县报送局-"))
    silent = await make_unit(parent_id=gov["id"], name=unique("落款县未报局-"))
    office = await make_user("office", unit_id=office_unit["id"])
    reporter = await make_user("unit", unit_id=done["id"])
    plan = await tasks.post(
        "/v1/plans",
        json={
            "title": unique("落款方案-"),
            "issuer": gov["name"],
            "issued_on": "2026-01-05",
            "status": "active",
            "office_unit": office_unit["id"],
            "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30},
        },
        headers=office["headers"],
    )
    assert plan.status_code == 201, plan.text
    plan = plan.json()
    assignment = {}
    fixed_clock("2026-09-01")  # assigned in time to owe the October report
    for title, unit, due in (
        ("品牌培育", silent, "2026-12-31"),
        ("标准制定", silent, "2026-10-15"),  # overdue by the deadline, and never reported
        ("质量提升", done, "2026-12-31"),
    ):
        task = await tasks.post(
            f"/v1/plans/{plan['id']}/tasks",
            json={"title": title, "lead_unit": unit["id"], "deadline": due},
            headers=office["headers"],
        )
        assert task.status_code == 201, task.text
        assignment[title] = task.json()["assignments"][0]["assignment_id"]
    fixed_clock("2026-10-28")
    r = await tasks.post(
        f"/v1/assignments/{assignment['质量提升']}/reports",
        json={"text": "按时报送", "percent": 50, "period_due_on": "2026-10-30"},
        headers=reporter["headers"],
    )
    assert r.status_code == 201, r.text
    fixed_clock("2026-11-02")

    made = await notify.post(
        "/v1/bulletins", json={"plan_id": plan["id"], "period_due_on": "2026-10-30"}, headers=office["headers"]
    )
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    rows = {row["unit_name"]: row for row in data["rows"]}
    assert rows[silent["name"]]["missing"] == 2
    assert rows[silent["name"]]["missing_tasks"] == ["品牌培育", "标准制定"]
    assert rows[done["name"]]["missing_tasks"] == []
    assert [(o["task_title"], o["state"]) for o in data["overdue"]] == [("标准制定", "assigned")]
    assert data["issuer"] == office_unit["name"] and data["issued_on"] == "2026-11-02"

    printed = await notify.get(f"/v1/bulletins/{made.json()['id']}.docx", headers=office["headers"])
    assert printed.status_code == 200
    document = docx.Document(io.BytesIO(printed.content))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "品牌培育；标准制定" in cells and "已交办" in cells
    # nothing in English: no state, status or word of Latin letters (the names' test suffixes aside)
    english = [t for t in paragraphs + cells if re.search(r"[A-Za-z]{2,}", re.sub(r"-[0-9a-f]{8}", "", t))]
    assert not english, english
    # 落款: the plan's office and the day it was compiled, the last lines
    assert paragraphs[-2:] == [office_unit["name"], "2026年11月2日"]

    # only a reporting deadline of the plan: the 29th is none, and the answer names the nearest ones
    wrong = await notify.post(
        "/v1/bulletins", json={"plan_id": plan["id"], "period_due_on": "2026-10-29"}, headers=office["headers"]
    )
    problem = assert_problem(wrong, 422, "not_a_reporting_deadline")
    assert "2026年9月30日" in problem["detail_zh"] and "2026年10月30日" in problem["detail_zh"]
    # 每月30日 in February is its last day
    february = await notify.post(
        "/v1/bulletins", json={"plan_id": plan["id"], "period_due_on": "2026-02-28"}, headers=office["headers"]
    )
    assert february.status_code == 201, february.text
