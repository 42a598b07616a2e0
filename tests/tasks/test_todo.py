"""待办 (issue 17, "work queues"): what waits for each user in tasks-api — the office's reports, extension and
completion requests to decide, and drafts to finish; a unit's tasks to sign for, reports owed, and what was
returned to it with the reason — under the rules of the resources themselves: another office sees none of it, a
unit only its own."""

from __future__ import annotations

from typing import Any

from tests.conftest import unique
from tests.tasks.conftest import all_todo


def _about(items: list[dict[str, Any]], plan_id: int) -> list[dict[str, Any]]:
    return [i for i in items if i["plan_id"] == plan_id]


def _one(items: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [i for i in items if i["kind"] == kind]
    assert len(found) == 1, (kind, items)
    return found[0]


async def _etag(tasks, path: str, user: dict[str, Any]) -> str:
    response = await tasks.get(path, headers=user["headers"])
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


async def test_each_user_sees_what_waits_for_them_and_nothing_else(tasks, office_plan):
    plan_id, users = office_plan["plan"]["id"], office_plan["users"]
    ox, oy, ua, ub = users["ox"], users["oy"], users["ua"], users["ub"]
    lead = office_plan["lead"]

    # A new task: each unit is to sign for its own assignment and owes a report; the offices have nothing yet.
    mine = _about(await all_todo(tasks, ua), plan_id)
    assert {i["kind"] for i in mine} == {"assignment.acknowledge", "report.due"}
    sign = _one(mine, "assignment.acknowledge")
    assert sign["path"] == f"/v1/assignments/{lead}" and sign["title"].startswith("签收任务")
    assert sign["etag"] == await _etag(tasks, sign["path"], ua) and sign["due_on"] == "2027-06-30"
    owed = _one(mine, "report.due")["due_on"]
    assert {i["id"] for i in _about(await all_todo(tasks, ub), plan_id)} == {office_plan["cooperating"]}
    assert _about(await all_todo(tasks, ox), plan_id) == []

    # The unit reports on the period it owes: the office has it to review, the second office does not.
    report = await tasks.post(
        f"/v1/assignments/{lead}/reports",
        json={"text": "已开展抽查", "percent": 30, "period_due_on": owed},
        headers=ua["headers"],
    )
    assert report.status_code == 201, report.text
    report = report.json()
    assert not [i for i in _about(await all_todo(tasks, ua), plan_id) if i.get("due_on") == owed]
    review = _one(_about(await all_todo(tasks, ox), plan_id), "report.review")
    assert review["path"] == f"/v1/reports/{report['id']}" and review["unit_id"] == office_plan["units"]["a"]["id"]
    assert review["etag"] == await _etag(tasks, review["path"], ox) and review["arrived_at"]
    assert _about(await all_todo(tasks, oy), plan_id) == []

    # Returned: it leaves the office's queue and reaches the unit's with the reason.
    returned = await tasks.post(
        f"/v1/reports/{report['id']}/review",
        json={"decision": "return", "comment": "请补充抽查数据"},
        headers={**ox["headers"], "If-Match": review["etag"]},
    )
    assert returned.status_code == 200, returned.text
    assert [i["kind"] for i in _about(await all_todo(tasks, ox), plan_id)] == []
    back = _one(_about(await all_todo(tasks, ua), plan_id), "report.returned")
    assert back["reason"] == "请补充抽查数据" and back["due_on"] == owed

    # An extension and a completion request wait for the office's decision.
    ext = await tasks.post(
        f"/v1/assignments/{lead}/extensions",
        json={"requested_due_on": "2027-09-30", "reason": "设备到货延迟"},
        headers=ua["headers"],
    )
    assert ext.status_code == 201, ext.text
    asked = await tasks.post(
        f"/v1/assignments/{lead}/transitions",
        json={"action": "request_completion"},
        headers={**ua["headers"], "If-Match": await _etag(tasks, f"/v1/assignments/{lead}", ua)},
    )
    assert asked.status_code == 200, asked.text
    office_queue = _about(await all_todo(tasks, ox), plan_id)
    assert {i["kind"] for i in office_queue} == {"extension.decide", "completion.decide"}
    decide = _one(office_queue, "extension.decide")
    assert decide["path"] == f"/v1/extensions/{ext.json()['id']}" and decide["reason"] == "设备到货延迟"
    assert decide["etag"] == await _etag(tasks, decide["path"], ox)
    assert _about(await all_todo(tasks, oy), plan_id) == []

    # The office returns the completion request: the unit reads why on the assignment and in its queue.
    completion = _one(office_queue, "completion.decide")
    sent_back = await tasks.post(
        f"/v1/assignments/{lead}/transitions",
        json={"action": "return", "comment": "佐证材料不全"},
        headers={**ox["headers"], "If-Match": completion["etag"]},
    )
    assert sent_back.status_code == 200, sent_back.text
    assignment = (await tasks.get(f"/v1/assignments/{lead}", headers=ua["headers"])).json()
    assert assignment["return_reason"] == "佐证材料不全" and assignment["returned_at"]
    assert completion["etag"] == f'"assignment-{lead}-v{assignment["version"] - 1}"'  # one change, one version
    returned_item = _one(_about(await all_todo(tasks, ua), plan_id), "completion.returned")
    assert returned_item["reason"] == "佐证材料不全" and returned_item["title"].startswith("办结申请被退回")
    # the cooperating unit sees none of the lead's
    assert {i["id"] for i in _about(await all_todo(tasks, ub), plan_id)} == {office_plan["cooperating"]}
    assert [i["kind"] for i in _about(await all_todo(tasks, ox), plan_id)] == ["extension.decide"]

    # Asking again takes the returned item out of the unit's queue.
    again = await tasks.post(
        f"/v1/assignments/{lead}/transitions",
        json={"action": "request_completion"},
        headers={**ua["headers"], "If-Match": await _etag(tasks, f"/v1/assignments/{lead}", ua)},
    )
    assert again.status_code == 200, again.text
    assert "completion.returned" not in {i["kind"] for i in _about(await all_todo(tasks, ua), plan_id)}


async def test_the_queue_is_in_date_order_and_a_leader_has_none(tasks, office_plan, make_user):
    items = await all_todo(tasks, office_plan["users"]["ua"])
    keys = [(i["sort_on"], i["kind"], i["id"]) for i in items]
    assert keys == sorted(keys) and len(set(keys)) == len(keys) and len(keys) >= 2
    # a leader reads everything and decides nothing: nothing waits for them
    assert await all_todo(tasks, await make_user("leader")) == []


async def test_an_office_finds_its_open_drafts_and_only_its_own(tasks, office_plan):
    from tests.tasks.test_drafts import new_draft

    ox, oy = office_plan["users"]["ox"], office_plan["users"]["oy"]
    draft = await new_draft(
        tasks, ox, "关于开展质量提升行动的实施方案\n一、工作任务\n（一）开展抽查（责任单位：质监局）"
    )
    item = _one([i for i in await all_todo(tasks, ox) if i["id"] == draft["id"]], "draft.finish")
    assert item["path"] == f"/v1/plan-drafts/{draft['id']}" and item["etag"] == draft["etag"]
    assert item["title"].startswith("完成方案草稿")
    assert not [i for i in await all_todo(tasks, oy) if i["kind"] == "draft.finish" and i["id"] == draft["id"]]
    assert not [i for i in await all_todo(tasks, office_plan["users"]["ua"]) if i["kind"] == "draft.finish"]


async def test_a_forged_cursor_is_the_callers_mistake_on_every_queue(tasks, scoring, notify, office_plan):
    from luoshi.pagination import encode_cursor

    user = office_plan["users"]["ua"]
    for cursor in (encode_cursor(["x", "report.due", 1]), encode_cursor([1]), encode_cursor(["2026-01-01", 5, "a"])):
        for client, path in ((tasks, "/v1/me/todo"), (scoring, "/v1/me/todo"), (notify, "/v1/me/todo")):
            answer = await client.get(path, params={"cursor": cursor}, headers=user["headers"])
            assert answer.status_code == 400, (path, cursor, answer.text)
            assert answer.json()["errors"][0]["code"] == "invalid_cursor"


async def test_a_unit_of_a_plan_without_a_report_schedule_has_its_queue(tasks, make_user, make_unit):
    """A plan made without `report_schedule` stores it as JSON null: the unit owes no periodic reports there, and
    its 待办 still answers (it was a 500 for every unit working in such a plan)."""
    office = await make_unit(name=unique("无报送县督查室-"))
    bureau = await make_unit(name=unique("无报送县质监局-"))
    ox = await make_user("office", unit_id=office["id"])
    ua = await make_user("unit", unit_id=bureau["id"])
    body = {"title": unique("无报送方案-"), "issuer": "县政府", "office_unit": office["id"], "status": "active"}
    plan = await tasks.post("/v1/plans", json=body, headers=ox["headers"])
    assert plan.status_code == 201, plan.text
    task = {"number": "1", "title": "开展质量提升行动", "lead_unit": bureau["id"], "deadline": "2027年6月底前"}
    made = await tasks.post(f"/v1/plans/{plan.json()['id']}/tasks", json=task, headers=ox["headers"])
    assert made.status_code == 201, made.text

    mine = _about(await all_todo(tasks, ua), plan.json()["id"])
    assert [i["kind"] for i in mine] == ["assignment.acknowledge"]
