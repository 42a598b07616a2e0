"""What a single-page app needs of tasks-api's lists (issue 16, "Jobs, lists, filters"): tasks and reports found by
Chinese text on a trigram index and filtered by unit, light, state and due window; a filter the list does not take
refused, naming it; extension requests readable by id with their ETag, listed per plan, and a lead unit's granted
request moving the cooperating units that shared its deadline."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.platform.test_errors import assert_problem


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def _second_task(tasks, office, plan_setup) -> dict[str, Any]:
    """Due in March, led by unit C: red once March is past."""
    created = await tasks.post(
        f"/v1/plans/{plan_setup['plan']['id']}/tasks",
        json={
            "number": "2",
            "title": "开展品牌创建宣传活动",
            "measures": "组织企业参加知名品牌培训",
            "lead_unit": plan_setup["units"]["c"]["id"],
            "deadline": {"kind": "window", "start_on": "2026-01-05", "due_on": "2026-03-31"},
        },
        headers=office["headers"],
    )
    assert created.status_code == 201, created.text
    return created.json()


async def test_tasks_are_searched_and_filtered(tasks, office, plan_setup, fixed_clock):
    fixed_clock("2026-06-01")
    first, second = plan_setup["task"], await _second_task(tasks, office, plan_setup)
    url, headers = f"/v1/plans/{plan_setup['plan']['id']}/tasks", office["headers"]
    units = plan_setup["units"]

    assert _ids(await tasks.get(url, params={"q": "产品质量"}, headers=headers)) == [first["id"]]
    assert _ids(await tasks.get(url, params={"q": "品牌培训"}, headers=headers)) == [second["id"]]  # in measures
    assert _ids(await tasks.get(url, params={"q": "100%"}, headers=headers)) == []  # % is a character, not "any"
    assert _ids(await tasks.get(url, params={"unit_id": units["b"]["id"]}, headers=headers)) == [first["id"]]
    assert _ids(await tasks.get(url, params={"light": "red"}, headers=headers)) == [second["id"]]
    assert _ids(await tasks.get(url, params={"due_to": "2026-06-30"}, headers=headers)) == [second["id"]]
    assert _ids(await tasks.get(url, params={"due_from": "2026-06-30"}, headers=headers)) == [first["id"]]
    lead = next(a for a in first["assignments"] if a["role"] == "lead")
    etag = (await tasks.get(f"/v1/assignments/{lead['assignment_id']}", headers=headers)).headers["ETag"]
    signed = await tasks.post(
        f"/v1/assignments/{lead['assignment_id']}/transitions",
        json={"action": "acknowledge"},
        headers={**plan_setup["users"]["a"]["headers"], "If-Match": etag},
    )
    assert signed.status_code == 200, signed.text
    assert _ids(await tasks.get(url, params={"state": "acknowledged"}, headers=headers)) == [first["id"]]


async def test_a_query_parameter_the_list_does_not_take_is_refused(tasks, office, plan_setup):
    url = f"/v1/plans/{plan_setup['plan']['id']}/tasks"
    body = assert_problem(
        await tasks.get(url, params={"colour": "red"}, headers=office["headers"]), 422, "validation_failed"
    )
    assert [(e["loc"], e["code"]) for e in body["errors"]] == [(["query", "colour"], "unknown_parameter")]
    assert "colour" in body["detail"]
    # the parameters of its dependencies (the page) are its own
    assert (await tasks.get(url, params={"limit": 1}, headers=office["headers"])).status_code == 200


async def test_reports_are_searched_by_their_text(tasks, office, plan_setup, fixed_clock):
    fixed_clock("2026-03-10")
    users = plan_setup["users"]
    lead = next(a for a in plan_setup["task"]["assignments"] if a["role"] == "lead")
    report = await tasks.post(
        f"/v1/assignments/{lead['assignment_id']}/reports",
        json={"text": "已完成检测设备采购，正在安装调试", "percent": 30},
        headers=users["a"]["headers"],
    )
    assert report.status_code == 201, report.text
    plan_id = plan_setup["plan"]["id"]
    found = await tasks.get("/v1/reports", params={"q": "检测设备", "plan_id": plan_id}, headers=office["headers"])
    assert _ids(found) == [report.json()["id"]]
    assert (
        _ids(await tasks.get("/v1/reports", params={"q": "无此内容", "plan_id": plan_id}, headers=office["headers"]))
        == []
    )
    window = {"plan_id": plan_id, "due_from": "2026-04-01"}
    assert _ids(await tasks.get("/v1/reports", params=window, headers=office["headers"])) == []
    # a unit finds its own reports only
    assert _ids(await tasks.get("/v1/reports", params={"q": "检测设备"}, headers=users["c"]["headers"])) == []
    assert _ids(await tasks.get("/v1/reports", params={"q": "检测设备"}, headers=users["a"]["headers"])) == [
        report.json()["id"]
    ]


async def test_text_search_runs_on_trigram_indexes(tasks_app):
    """The plan of each search, with sequential scans priced out (the test tables are small): an index, not a scan."""
    searches = {
        "ix_task_title_trgm": "SELECT id FROM tasks.task WHERE title ILIKE '%产品质量%' OR measures ILIKE '%产品质量%'",
        "ix_report_text_trgm": "SELECT id FROM tasks.report WHERE text ILIKE '%检测设备%'",
        "ix_notification_subject_trgm": "SELECT id FROM notify.notification WHERE subject ILIKE '%延期%'",
    }
    async with tasks_app.state.db.engine.connect() as conn:
        await conn.execute(text("SET enable_seqscan = off"))
        for index, sql in searches.items():
            plan = "\n".join(r[0] for r in (await conn.execute(text(f"EXPLAIN {sql}"))).all())
            assert index in plan, plan


async def test_an_extension_is_read_by_id_listed_per_plan_and_moves_its_followers(
    tasks, office, plan_setup, fixed_clock
):
    fixed_clock("2026-06-01")
    users, plan_id = plan_setup["users"], plan_setup["plan"]["id"]
    by_role = {a["role"]: a for a in plan_setup["task"]["assignments"]}
    lead, cooperating = by_role["lead"]["assignment_id"], by_role["cooperating"]["assignment_id"]

    asked = await tasks.post(
        f"/v1/assignments/{lead}/extensions",
        json={"requested_due_on": "2027-03-31", "reason": "检测设备到货延迟"},
        headers=users["a"]["headers"],
    )
    assert asked.status_code == 201, asked.text
    read = await tasks.get(asked.headers["Location"], headers=office["headers"])
    assert read.status_code == 200 and read.json()["id"] == asked.json()["id"]
    assert read.json()["plan_id"] == plan_id and read.json()["moved_assignment_ids"] == []
    waiting = await tasks.get(
        f"/v1/plans/{plan_id}/extensions", params={"state": "requested"}, headers=office["headers"]
    )
    assert _ids(waiting) == [asked.json()["id"]]
    # a unit that did not ask does not see it
    assert (await tasks.get(asked.headers["Location"], headers=users["c"]["headers"])).status_code == 404
    assert _ids(await tasks.get(f"/v1/plans/{plan_id}/extensions", headers=users["c"]["headers"])) == []

    decided = await tasks.post(
        f"{asked.headers['Location']}/decision",
        json={"decision": "grant"},
        headers={**office["headers"], "If-Match": read.headers["ETag"]},
    )
    assert decided.status_code == 200, decided.text
    assert sorted(decided.json()["moved_assignment_ids"]) == sorted([lead, cooperating])
    for aid in (lead, cooperating):
        now = (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).json()
        assert (now["due_on"], now["original_due_on"]) == ("2027-03-31", "2026-12-31")
    page = (await tasks.get(f"/v1/assignments/{lead}/extensions", headers=office["headers"])).json()
    assert [e["state"] for e in page["items"]] == ["granted"] and page["next_cursor"] is None
