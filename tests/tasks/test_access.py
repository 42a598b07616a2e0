"""A unit sees its own work (and, as lead, its cooperating units'); leaders read; stale writes lose."""

from tests.platform.test_errors import assert_problem


def _ids(task):
    return {a["role"]: a["assignment_id"] for a in task["assignments"]}


async def test_unit_cannot_see_another_units_assignment_or_report(tasks, plan_setup):
    users = plan_setup["users"]
    ids = _ids(plan_setup["task"])
    report = await tasks.post(
        f"/v1/assignments/{ids['cooperating']}/reports",
        json={"text": "配合进展", "percent": 20},
        headers=users["b"]["headers"],
    )
    assert report.status_code == 201
    rid = report.json()["id"]
    outsider = users["c"]["headers"]
    assert_problem(await tasks.get(f"/v1/assignments/{ids['lead']}", headers=outsider), 404, "assignment_not_found")
    assert_problem(await tasks.get(f"/v1/reports/{rid}", headers=outsider), 404, "report_not_found")
    assert_problem(
        await tasks.get(f"/v1/assignments/{ids['cooperating']}/reports", headers=outsider), 404, "assignment_not_found"
    )
    # nor write to it
    r = await tasks.post(
        f"/v1/assignments/{ids['lead']}/reports", json={"text": "冒充", "percent": 99}, headers=outsider
    )
    assert r.status_code == 404
    # the cooperating unit cannot see the lead's assignment, but the lead sees the cooperating unit's report
    assert (await tasks.get(f"/v1/assignments/{ids['lead']}", headers=users["b"]["headers"])).status_code == 404
    seen = await tasks.get(f"/v1/reports/{rid}", headers=users["a"]["headers"])
    assert seen.status_code == 200 and seen.json()["text"] == "配合进展"
    # …read only
    r = await tasks.post(
        f"/v1/assignments/{ids['cooperating']}/reports",
        json={"text": "代报", "percent": 1},
        headers=users["a"]["headers"],
    )
    assert_problem(r, 403, "forbidden")
    # a unit does not see plans it has no work in
    assert (await tasks.get(f"/v1/plans/{plan_setup['plan']['id']}", headers=outsider)).status_code == 404
    assert (await tasks.get(f"/v1/plans/{plan_setup['plan']['id']}", headers=users["a"]["headers"])).status_code == 200


async def test_my_tasks_shows_only_my_unit(tasks, plan_setup):
    users = plan_setup["users"]
    mine = (await tasks.get("/v1/me/assignments", headers=users["b"]["headers"])).json()["items"]
    assert [a["unit_id"] for a in mine] == [plan_setup["units"]["b"]["id"]]
    # a unit user cannot look at another unit's list by passing unit_id
    other = (
        await tasks.get(f"/v1/me/assignments?unit_id={plan_setup['units']['a']['id']}", headers=users["b"]["headers"])
    ).json()["items"]
    assert [a["unit_id"] for a in other] == [plan_setup["units"]["b"]["id"]]


async def test_my_tasks_gives_each_assignment_as_its_own_read_does(tasks, office, plan_setup):
    """我的任务 is written straight from rows (the hot list): each item is the JSON GET /v1/assignments/{id} gives,
    field for field (times, the light's reason), and a page of one leads to the next by its cursor."""
    users = plan_setup["users"]
    a = users["a"]["headers"]
    for number, due in (("2", "2026-03-31"), ("3", None)):  # one overdue, one with no deadline (listed last)
        body = {"number": number, "title": f"任务{number}", "lead_unit": plan_setup["units"]["a"]["id"]}
        if due:
            body["deadline"] = {"kind": "date", "due_on": due}
        created = await tasks.post(f"/v1/plans/{plan_setup['plan']['id']}/tasks", json=body, headers=office["headers"])
        assert created.status_code == 201, created.text
    first = (await tasks.get("/v1/me/assignments?limit=1", headers=a)).json()
    items = first["items"]
    cursor = first["next_cursor"]
    while cursor:
        page = (await tasks.get("/v1/me/assignments", params={"limit": 1, "cursor": cursor}, headers=a)).json()
        items += page["items"]
        cursor = page["next_cursor"]
    whole = (await tasks.get("/v1/me/assignments", headers=a)).json()
    assert items == whole["items"] and whole["next_cursor"] is None
    assert len(items) == 3 and all(item["unit_id"] == plan_setup["units"]["a"]["id"] for item in items)
    for item in items:
        assert item == (await tasks.get(f"/v1/assignments/{item['id']}", headers=a)).json()
        assert item["state_changed_at"].endswith("Z")


async def test_a_plans_board_is_the_office_and_leaders_not_a_units(tasks, office, plan_setup):
    # the board names every unit's red and overdue work: a unit of the plan, even its lead unit, does not read it
    plan_id = plan_setup["plan"]["id"]
    for user in plan_setup["users"].values():
        refused = assert_problem(
            await tasks.get(f"/v1/plans/{plan_id}/board", headers=user["headers"]), 403, "forbidden"
        )
        # told in the words the console uses for the roles, not their codes
        assert refused["detail_zh"] == "需要以下角色之一：牵头办公室、领导", refused
    assert_problem(await tasks.get("/v1/plans/999999999/board", headers=office["headers"]), 404, "plan_not_found")


async def test_leader_reads_but_cannot_write(tasks, make_user, plan_setup):
    leader = await make_user("leader")
    plan_id = plan_setup["plan"]["id"]
    aid = _ids(plan_setup["task"])["lead"]
    assert (await tasks.get(f"/v1/plans/{plan_id}/board", headers=leader["headers"])).status_code == 200
    got = await tasks.get(f"/v1/assignments/{aid}", headers=leader["headers"])
    assert got.status_code == 200
    etag = got.headers["etag"]
    for response in (
        await tasks.post(f"/v1/plans/{plan_id}/tasks", json={"title": "领导加的"}, headers=leader["headers"]),
        await tasks.post(
            f"/v1/assignments/{aid}/transitions",
            json={"action": "acknowledge"},
            headers={**leader["headers"], "If-Match": etag},
        ),
        await tasks.post(f"/v1/assignments/{aid}/reports", json={"text": "x", "percent": 1}, headers=leader["headers"]),
        await tasks.post(
            "/v1/plans", json={"title": "领导的方案", "issuer": "某县人民政府"}, headers=leader["headers"]
        ),
    ):
        assert_problem(response, 403, "forbidden")


async def test_stale_if_match_gets_412_and_changes_nothing(tasks, office, plan_setup):
    users = plan_setup["users"]
    aid = _ids(plan_setup["task"])["lead"]
    stale = (await tasks.get(f"/v1/assignments/{aid}", headers=users["a"]["headers"])).headers["etag"]
    first = await tasks.post(
        f"/v1/assignments/{aid}/transitions",
        json={"action": "acknowledge"},
        headers={**users["a"]["headers"], "If-Match": stale},
    )
    assert first.status_code == 200
    again = await tasks.post(
        f"/v1/assignments/{aid}/transitions",
        json={"action": "start"},
        headers={**users["a"]["headers"], "If-Match": stale},
    )
    assert_problem(again, 412, "stale_etag")
    assert (await tasks.get(f"/v1/assignments/{aid}", headers=office["headers"])).json()["state"] == "acknowledged"
    task = plan_setup["task"]
    r = await tasks.patch(
        f"/v1/tasks/{task['id']}", json={"title": "改"}, headers={**office["headers"], "If-Match": '"task-0-v0"'}
    )
    assert_problem(r, 412, "stale_etag")
    plan = plan_setup["plan"]
    r = await tasks.patch(f"/v1/plans/{plan['id']}", json={"title": "改名"}, headers=office["headers"])
    assert_problem(r, 428, "if_match_required")


async def test_other_office_cannot_change_the_plan(tasks, make_user, make_unit, plan_setup):
    unit = await make_unit()
    other_office = await make_user("office", unit_id=unit["id"])
    plan_id = plan_setup["plan"]["id"]
    # the plan names no office, so any office may; give it one, then the other office may not
    etag = (await tasks.get(f"/v1/plans/{plan_id}", headers=other_office["headers"])).headers["etag"]
    r = await tasks.patch(
        f"/v1/plans/{plan_id}",
        json={"office_unit": plan_setup["units"]["gov"]["id"]},
        headers={**other_office["headers"], "If-Match": etag},
    )
    assert r.status_code == 200
    etag = r.headers["etag"]
    r = await tasks.patch(
        f"/v1/plans/{plan_id}", json={"title": "别人的方案"}, headers={**other_office["headers"], "If-Match": etag}
    )
    assert_problem(r, 403, "forbidden")


async def test_api_keys_act_within_their_scope_and_unit(tasks, admin, office, plan_setup):
    plan_id = plan_setup["plan"]["id"]
    ids = _ids(plan_setup["task"])

    async def key(name, scopes, unit_id=None):
        r = await tasks.post(
            "/v1/api-keys", json={"name": name, "scopes": scopes, "unit_id": unit_id}, headers=admin["headers"]
        )
        assert r.status_code == 201, r.text
        return {"X-API-Key": r.json()["key"]}

    reader = await key("市督查平台", ["tasks:read"])
    assert (await tasks.get(f"/v1/plans/{plan_id}/tasks", headers=reader)).status_code == 200
    assert (await tasks.get(f"/v1/assignments/{ids['lead']}", headers=reader)).status_code == 200
    r = await tasks.post(f"/v1/plans/{plan_id}/tasks", json={"title": "外部系统加的任务"}, headers=reader)
    assert_problem(r, 403, "forbidden")

    # a key bound to unit B with write scope reports for B, and sees nothing of A's
    unit_b = await key("发改委业务系统", ["tasks:read", "tasks:write"], plan_setup["units"]["b"]["id"])
    r = await tasks.post(
        f"/v1/assignments/{ids['cooperating']}/reports", json={"text": "系统同步进展", "percent": 30}, headers=unit_b
    )
    assert r.status_code == 201, r.text
    assert_problem(await tasks.get(f"/v1/assignments/{ids['lead']}", headers=unit_b), 404, "assignment_not_found")
    # a read-only key bound to a unit cannot report even for its own unit
    unit_b_read = await key("发改委只读", ["tasks:read"], plan_setup["units"]["b"]["id"])
    r = await tasks.post(
        f"/v1/assignments/{ids['cooperating']}/reports", json={"text": "只读", "percent": 31}, headers=unit_b_read
    )
    assert_problem(r, 403, "forbidden")
