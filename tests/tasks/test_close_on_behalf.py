"""The office closes work on behalf of units without accounts (a cooperating unit nobody signs in for cannot ask
to close, so its task stayed red): one assignment from any open state, or the whole task, saying why, audited.
A unit with accounts still asks first."""

from tests.conftest import unique
from tests.platform.test_errors import assert_problem


async def _move(tasks, aid, action, headers, comment=None):
    current = await tasks.get(f"/v1/assignments/{aid}", headers=headers)
    body = {"action": action} | ({"comment": comment} if comment is not None else {})
    return await tasks.post(
        f"/v1/assignments/{aid}/transitions", json=body, headers={**headers, "If-Match": current.headers["etag"]}
    )


async def _task(tasks, office, plan_setup, cooperating):
    made = await tasks.post(
        f"/v1/plans/{plan_setup['plan']['id']}/tasks",
        json={
            "title": unique("代为办结-"),
            "lead_unit": plan_setup["units"]["a"]["id"],
            "cooperating_units": [cooperating["id"]],
            "deadline": "2026年6月底前",
        },
        headers=office["headers"],
    )
    assert made.status_code == 201, made.text
    by_unit = {x["unit_id"]: x["assignment_id"] for x in made.json()["assignments"]}
    return made.json(), by_unit[plan_setup["units"]["a"]["id"]], by_unit[cooperating["id"]]


async def test_the_office_closes_an_assignment_for_a_unit_without_accounts(tasks, office, plan_setup, make_unit):
    silent = await make_unit(parent_id=plan_setup["units"]["gov"]["id"], name=unique("测试县无账号局-"))
    _, lead, coop = await _task(tasks, office, plan_setup, silent)

    assert_problem(await _move(tasks, coop, "close", office["headers"]), 422, "comment_required")
    closed = await _move(tasks, coop, "close", office["headers"], "该单位无系统账号，经电话核实已完成")
    assert closed.status_code == 200, closed.text
    assert closed.json()["state"] == "closed"
    log = (await tasks.get(f"/v1/audit?entity=assignment&entity_id={coop}", headers=office["headers"])).json()
    entry = next(e for e in log["items"] if e["action"] == "transition:close")
    assert entry["after"]["on_behalf"] is True and "电话核实" in entry["after"]["comment"]

    # the lead unit has accounts: it asks first, as before
    refused = await _move(tasks, lead, "close", office["headers"], "代为办结")
    problem = assert_problem(refused, 409, "transition_not_allowed")
    assert problem["allowed"] == ["acknowledge"]
    # and a unit may not close for itself
    unit_user = plan_setup["users"]["a"]["headers"]
    assert (await _move(tasks, lead, "close", unit_user, "自己办结")).status_code == 403


async def test_the_office_closes_a_whole_task(tasks, office, plan_setup, make_unit):
    silent = await make_unit(parent_id=plan_setup["units"]["gov"]["id"], name=unique("测试县无账号局-"))
    task, lead, coop = await _task(tasks, office, plan_setup, silent)
    etag = (await tasks.get(f"/v1/tasks/{task['id']}", headers=office["headers"])).headers["etag"]
    url = f"/v1/tasks/{task['id']}/close"
    headers = {**office["headers"], "If-Match": etag}

    assert (await tasks.post(url, json={"comment": "办结"}, headers=office["headers"])).status_code == 428
    assert_problem(await tasks.post(url, json={"comment": " "}, headers=headers), 422, "comment_required")
    waiting = await tasks.post(url, json={"comment": "办结"}, headers=headers)
    problem = assert_problem(waiting, 409, "transition_not_allowed")
    assert problem["assignment_ids"] == [lead]  # the lead unit has accounts and has not asked

    user = plan_setup["users"]["a"]["headers"]
    assert (await _move(tasks, lead, "acknowledge", user)).status_code == 200
    assert (await _move(tasks, lead, "request_completion", user)).status_code == 200
    done = await tasks.post(url, json={"comment": "牵头单位申请办结，配合单位无账号，一并办结"}, headers=headers)
    assert done.status_code == 200, done.text
    assert {a["state"] for a in done.json()["assignments"]} == {"closed"}
    log = (await tasks.get(f"/v1/audit?entity=assignment&entity_id={coop}", headers=office["headers"])).json()
    assert any(e["after"].get("on_behalf") for e in log["items"] if e["action"] == "transition:close")
    log = (await tasks.get(f"/v1/audit?entity=assignment&entity_id={lead}", headers=office["headers"])).json()
    assert not any(e["after"].get("on_behalf") for e in log["items"] if e["action"] == "transition:close")
    again = await tasks.post(url, json={"comment": "再次"}, headers=headers)
    assert_problem(again, 409, "transition_not_allowed")
