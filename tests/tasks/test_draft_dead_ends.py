"""Issue 17, "drafts have dead ends": a PATCH answers the check accept runs, accept refuses tasks nobody leads,
mappings are learned as aliases, the indicators reach scoring-api as drafts, a plan made by mistake can be
archived or deleted, and the draft PATCH body is typed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from luoshi.clients.scoring import ScoringClient
from tests.conftest import unique
from tests.platform.test_errors import assert_problem
from tests.tasks.test_breakdown import wait_job
from tests.tasks.test_drafts import new_draft, patch

# the sample's tasks under 二、工作重点 and 三、工作要求 name no unit (indexes in the draft, as the parser reads it)
LEADLESS = "全面提升质量管理水平"


@pytest.fixture
async def county(make_unit, make_user) -> dict[str, Any]:
    """A county with its 质监局 and a 文化广电 bureau the sample's 广电局 could mean, and an office user of its
    own (a plan naming its unit as office is that office's, no other's)."""
    gov = await make_unit(kind="government", level="county", name=unique("测试县人民政府-"))
    gov["zhijian"] = await make_unit(parent_id=gov["id"], name=unique("测试县质量技术监督局-"), short_name="质监局")
    gov["guangdian"] = await make_unit(parent_id=gov["id"], name=unique("测试县广电局-"))
    gov["office_unit"] = await make_unit(parent_id=gov["id"], name=unique("测试县创建办-"))
    gov["office"] = await make_user("office", unit_id=gov["office_unit"]["id"])
    gov["other_office"] = await make_user("office", unit_id=(await make_unit())["id"])
    return gov


@pytest.fixture
async def scoring_link(tasks_app, scoring_app) -> AsyncIterator[None]:
    """tasks-api's scoring client reaching the in-process scoring-api."""
    original = tasks_app.state.scoring_client
    tasks_app.state.scoring_client = ScoringClient("http://scoring", transport=httpx.ASGITransport(scoring_app))
    yield
    tasks_app.state.scoring_client = original


@pytest.fixture
async def scoring_down(tasks_app) -> AsyncIterator[None]:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    original = tasks_app.state.scoring_client
    tasks_app.state.scoring_client = ScoringClient("http://scoring", transport=httpx.MockTransport(refuse), retries=0)
    yield
    tasks_app.state.scoring_client = original


async def county_draft(tasks, county) -> dict[str, Any]:
    """The sample plan, issued by the county (the draft matches names under it)."""
    office = county["office"]
    draft = await new_draft(tasks, office)
    plan = {**draft["draft"]["plan"], "issuer": county["name"], "title": unique("夏邑县示范区方案-")}
    r = await patch(tasks, office, draft, {"plan": plan})
    assert r.status_code == 200, r.text
    return {**r.json(), "etag": r.headers["etag"]}


def by_code(warnings: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [w for w in warnings if w["code"] == code]


async def accept(tasks, office, draft, **body: Any) -> httpx.Response:
    return await tasks.post(
        f"/v1/plan-drafts/{draft['id']}/accept", json=body, headers={**office["headers"], "If-Match": draft["etag"]}
    )


async def test_every_patch_answers_the_drafts_problems_as_warnings(tasks, county):
    office = county["office"]
    draft = await county_draft(tasks, county)
    body = draft["draft"]
    leadless = [i for i, t in enumerate(body["tasks"]) if t["title"].startswith(LEADLESS)]
    assert leadless, [t["title"] for t in body["tasks"]]
    warnings = draft["warnings"]
    # tasks nobody leads, each named; unknown names with the units they could mean
    assert ["draft", "tasks", leadless[0], "lead_units"] in [w["loc"] for w in by_code(warnings, "lead_missing")]
    guangdian = [w for w in by_code(warnings, "unit_unknown") if w["value"] == "广电局"]
    assert guangdian and county["guangdian"]["id"] in {c["id"] for w in guangdian for c in w["candidates"]}
    assert "质监局" not in body["unknown_units"] and "广电局" in body["unknown_units"]
    # GET answers the same check
    got = await tasks.get(f"/v1/plan-drafts/{draft['id']}", headers=office["headers"])
    assert got.json()["warnings"] == warnings

    # the office maps 广电局: it is no longer unknown, nor warned about
    units = [
        {**u, "unit_id": county["guangdian"]["id"] if u["name"] == "广电局" else u["unit_id"]} for u in body["units"]
    ]
    r = await patch(tasks, office, draft, {"units": units})
    assert r.status_code == 200, r.text
    draft = {**r.json(), "etag": r.headers["etag"]}
    assert "广电局" not in draft["draft"]["unknown_units"]
    assert not [w for w in draft["warnings"] if w.get("value") == "广电局"]

    # a new unknown name and an unreadable deadline surface at the PATCH, not at accept; the lead is no longer missing
    edited = [dict(t) for t in draft["draft"]["tasks"]]
    i = leadless[0]
    edited[i] = {**edited[i], "lead_units": ["天外来客管理局"]}
    edited[i + 1] = {**edited[i + 1], "deadline": None, "deadline_text": "看情况吧"}
    r = await patch(tasks, office, draft, {"tasks": edited})
    assert r.status_code == 200, r.text
    draft = {**r.json(), "etag": r.headers["etag"]}
    warnings = draft["warnings"]
    assert "天外来客管理局" in draft["draft"]["unknown_units"]
    assert ["draft", "tasks", i, "lead_units"] in [w["loc"] for w in by_code(warnings, "unit_unknown")]
    assert ["draft", "tasks", i, "lead_units"] not in [w["loc"] for w in by_code(warnings, "lead_missing")]
    assert [w["loc"] for w in by_code(warnings, "deadline_unreadable")] == [["draft", "tasks", i + 1, "deadline_text"]]
    # the mapping made before is kept through a change of the tasks
    assert "广电局" not in draft["draft"]["unknown_units"]

    # a unit that does not exist is refused at once
    r = await patch(tasks, office, draft, {"units": [{"name": "广电局", "unit_id": 987654321}]})
    problem = assert_problem(r, 422, "draft_invalid")
    assert problem["errors"][0]["loc"] == ["body", "units", 0, "unit_id"]


async def test_accept_refuses_tasks_without_a_lead_unless_the_office_says_so(tasks, county):
    office = county["office"]
    draft = await county_draft(tasks, county)
    leadless = [w["loc"][2] for w in by_code(draft["warnings"], "lead_missing")]
    assert leadless
    refused = await accept(tasks, office, draft, create_units=True)
    problem = assert_problem(refused, 422, "draft_invalid")
    assert {e["loc"][2] for e in problem["errors"] if e["code"] == "lead_missing"} == set(leadless)
    assert LEADLESS in problem["detail"] and LEADLESS in problem["detail_zh"]
    assert "allow_tasks_without_lead" in problem["detail"]
    title = draft["draft"]["plan"]["title"]
    assert (await tasks.get(f"/v1/plans?q={title}", headers=office["headers"])).json()["items"] == []

    accepted = await accept(tasks, office, draft, create_units=True, allow_tasks_without_lead=True)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["tasks_without_lead"] == leadless


async def test_a_mapping_is_learned_as_an_alias_and_the_same_text_asks_no_more(tasks, county, admin):
    office = county["office"]
    draft = await county_draft(tasks, county)
    units = [
        {**u, "unit_id": county["guangdian"]["id"] if u["name"] == "广电局" else u["unit_id"]}
        for u in draft["draft"]["units"]
    ]
    r = await patch(tasks, office, draft, {"units": units})
    draft = {**r.json(), "etag": r.headers["etag"]}
    accepted = await accept(tasks, office, draft, create_units=True, allow_tasks_without_lead=True)
    assert accepted.status_code == 201, accepted.text
    assert {"unit_id": county["guangdian"]["id"], "alias": "广电局"} in accepted.json()["aliases_learned"]
    unit = (await tasks.get(f"/v1/units/{county['guangdian']['id']}", headers=office["headers"])).json()
    assert "广电局" in unit["aliases"]
    audit = await tasks.get(f"/v1/audit?entity=unit&entity_id={unit['id']}", headers=admin["headers"])
    assert any(e["after"] and e["after"].get("learned_from") == "plan_draft" for e in audit.json()["items"])

    # the same text again, under the same county: 广电局 resolves by itself
    again = await county_draft(tasks, county)
    assert "广电局" not in again["draft"]["unknown_units"]
    assert {"name": "广电局", "unit_id": county["guangdian"]["id"]} in [
        {"name": u["name"], "unit_id": u["unit_id"]} for u in again["draft"]["units"]
    ]


async def test_accept_hands_the_indicators_to_scoring_as_drafts_the_office_completes(
    tasks, scoring, county, scoring_link
):
    office = county["office"]
    draft = await county_draft(tasks, county)
    count = len(draft["draft"]["indicators"])
    assert count > 0
    accepted = await accept(tasks, office, draft, create_units=True, allow_tasks_without_lead=True)
    assert accepted.status_code == 201, accepted.text
    handover = accepted.json()["indicators"]
    assert handover["handed_over"] is True and handover["count"] == count, handover
    assert len(handover["indicator_ids"]) == count
    plan_id = accepted.json()["plan"]["id"]
    listed = (await scoring.get(f"/v1/indicators?plan_id={plan_id}&limit=500", headers=office["headers"])).json()
    assert {i["id"] for i in listed["items"]} == set(handover["indicator_ids"])
    assert {i["status"] for i in listed["items"]} == {"draft"}
    first = listed["items"][0]
    # a draft takes no value until the office completes it
    value = await scoring.post(
        f"/v1/indicators/{first['id']}/values",
        json={"unit_id": county["zhijian"]["id"], "period": "2026", "value": 1},
        headers=office["headers"],
    )
    assert_problem(value, 409, "indicator_draft")
    got = await scoring.get(f"/v1/indicators/{first['id']}", headers=office["headers"])
    done = await scoring.patch(
        f"/v1/indicators/{first['id']}",
        json={"status": "active", "target": 90, "comparator": ">=", "weight": 10, "rule": {"kind": "pass_fail"}},
        headers={**office["headers"], "If-Match": got.headers["etag"]},
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "active"
    # an assessment scores the completed indicator and leaves the drafts out
    scheme = await scoring.post(
        "/v1/schemes", json={"plan_id": plan_id, "name": "草稿指标考核"}, headers=office["headers"]
    )
    assert scheme.status_code == 201, scheme.text
    started = await scoring.post(
        "/v1/assessments", json={"scheme_id": scheme.json()["id"], "period": "2026"}, headers=office["headers"]
    )
    assert started.status_code == 202, started.text
    job = await wait_job(scoring, started.headers["location"], office["headers"], 60)
    assert job["status"] == "succeeded", job
    cards = await scoring.get(f"/v1/assessments/{started.json()['id']}/scorecards?limit=500", headers=office["headers"])
    refs = {line["ref"] for card in cards.json()["items"] for line in card["lines"]}
    assert str(first["id"]) in refs, refs
    assert not refs & {str(i) for i in handover["indicator_ids"] if i != first["id"]}
    # another office cannot hand indicators to a plan it does not run
    other = await scoring.post(
        "/v1/indicators/drafts",
        json={"plan_id": plan_id, "indicators": [{"name": "某指标", "target": 1}]},
        headers=county["other_office"]["headers"],
    )
    assert other.status_code == 403, other.text


async def test_scoring_down_the_plan_is_made_and_says_the_indicators_were_not_handed_over(tasks, county, scoring_down):
    office = county["office"]
    draft = await county_draft(tasks, county)
    accepted = await accept(tasks, office, draft, create_units=True, allow_tasks_without_lead=True)
    assert accepted.status_code == 201, accepted.text
    handover = accepted.json()["indicators"]
    assert handover["handed_over"] is False and handover["indicator_ids"] == [] and handover["problem"]
    plan = await tasks.get(f"/v1/plans/{accepted.json()['plan']['id']}", headers=office["headers"])
    assert plan.status_code == 200


async def own_plan(tasks, county) -> dict[str, Any]:
    office = county["office"]
    r = await tasks.post(
        "/v1/plans",
        json={
            "title": unique("误建方案-"),
            "issuer": county["name"],
            "issued_on": "2026-01-05",
            "office_unit": county["office_unit"]["id"],
            "status": "active",
        },
        headers=office["headers"],
    )
    assert r.status_code == 201, r.text
    task = await tasks.post(
        f"/v1/plans/{r.json()['id']}/tasks",
        json={"number": "1", "title": "提升产品质量", "lead_unit": county["zhijian"]["id"]},
        headers=office["headers"],
    )
    assert task.status_code == 201, task.text
    plan = await tasks.get(f"/v1/plans/{r.json()['id']}", headers=office["headers"])
    return {**plan.json(), "etag": plan.headers["etag"], "task": task.json()}


async def test_a_plan_is_archived_read_only_and_audited(tasks, county, admin):
    office, other = county["office"], county["other_office"]
    plan = await own_plan(tasks, county)
    url = f"/v1/plans/{plan['id']}"
    assert_problem(await tasks.post(f"{url}/archive", headers=office["headers"]), 428, "if_match_required")
    r = await tasks.post(f"{url}/archive", headers={**other["headers"], "If-Match": plan["etag"]})
    assert r.status_code in (403, 404), r.text
    r = await tasks.post(f"{url}/archive", headers={**office["headers"], "If-Match": plan["etag"]})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "archived"
    etag = r.headers["etag"]
    # read-only after: the plan, its tasks, its assignments
    assert_problem(
        await tasks.patch(url, json={"title": "改名"}, headers={**office["headers"], "If-Match": etag}),
        409,
        "plan_archived",
    )
    assert_problem(
        await tasks.post(f"{url}/tasks", json={"title": "新任务"}, headers=office["headers"]), 409, "plan_archived"
    )
    assignment = plan["task"]["assignments"][0]
    got = await tasks.get(f"/v1/assignments/{assignment['assignment_id']}", headers=office["headers"])
    assert_problem(
        await tasks.post(
            f"/v1/assignments/{assignment['assignment_id']}/transitions",
            json={"action": "acknowledge"},
            headers={**office["headers"], "If-Match": got.headers["etag"]},
        ),
        409,
        "plan_archived",
    )
    listed = (await tasks.get("/v1/plans?status=archived&limit=500", headers=office["headers"])).json()["items"]
    assert plan["id"] in {p["id"] for p in listed}
    audit = (await tasks.get(f"/v1/audit?entity=plan&entity_id={plan['id']}", headers=admin["headers"])).json()
    assert [e for e in audit["items"] if e["action"] == "archive" and e["actor_user_id"] == office["id"]]


async def test_a_plan_with_no_activity_is_deleted_one_with_activity_is_not(
    tasks, county, admin, make_user, scoring_link
):
    office, other = county["office"], county["other_office"]
    plan = await own_plan(tasks, county)
    url = f"/v1/plans/{plan['id']}"
    assert_problem(await tasks.delete(url, headers=office["headers"]), 428, "if_match_required")
    r = await tasks.delete(url, headers={**other["headers"], "If-Match": plan["etag"]})
    assert r.status_code in (403, 404), r.text
    gone = await tasks.delete(url, headers={**office["headers"], "If-Match": plan["etag"]})
    assert gone.status_code == 204, gone.text
    assert_problem(await tasks.get(url, headers=office["headers"]), 404, "plan_not_found")
    audit = (await tasks.get(f"/v1/audit?entity=plan&entity_id={plan['id']}", headers=admin["headers"])).json()
    deleted = [e for e in audit["items"] if e["action"] == "delete"]
    assert len(deleted) == 1 and deleted[0]["before"]["title"] == plan["title"]

    # once a unit has acknowledged its assignment, the plan stays: 409 naming what was done
    busy = await own_plan(tasks, county)
    assignment = busy["task"]["assignments"][0]
    unit_user = await make_user("unit", unit_id=county["zhijian"]["id"])
    got = await tasks.get(f"/v1/assignments/{assignment['assignment_id']}", headers=unit_user["headers"])
    moved = await tasks.post(
        f"/v1/assignments/{assignment['assignment_id']}/transitions",
        json={"action": "acknowledge"},
        headers={**unit_user["headers"], "If-Match": got.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    etag = (await tasks.get(f"/v1/plans/{busy['id']}", headers=office["headers"])).headers["etag"]
    refused = await tasks.delete(f"/v1/plans/{busy['id']}", headers={**office["headers"], "If-Match": etag})
    problem = assert_problem(refused, 409, "plan_has_activity")
    assert problem["activity"]["transitions"] == 1 and problem["activity"]["reports"] == 0
    assert "transitions" in problem["detail"] and "办理状态变更" in problem["detail_zh"]


async def test_another_office_cannot_touch_the_draft(tasks, county):
    draft = await county_draft(tasks, county)
    other = county["other_office"]
    r = await tasks.patch(
        f"/v1/plan-drafts/{draft['id']}",
        json={"plan": {"title": "夺"}},
        headers={**other["headers"], "If-Match": draft["etag"]},
    )
    assert_problem(r, 404, "draft_not_found")
    r = await accept(tasks, other, draft, allow_tasks_without_lead=True, create_units=True)
    assert_problem(r, 404, "draft_not_found")


async def test_the_draft_patch_body_is_typed_in_openapi(tasks):
    spec = (await tasks.get("/openapi.json")).json()
    patch_schema = spec["components"]["schemas"]["DraftPatch"]["properties"]
    tasks_items = next(s for s in patch_schema["tasks"]["anyOf"] if s.get("type") == "array")["items"]
    assert tasks_items == {"$ref": "#/components/schemas/DraftTask"}
    task = spec["components"]["schemas"]["DraftTask"]["properties"]
    assert task["lead_units"]["items"] == {"type": "string"} and "deadline" in task
    units_items = next(s for s in patch_schema["units"]["anyOf"] if s.get("type") == "array")["items"]
    unit = spec["components"]["schemas"][units_items["$ref"].rsplit("/", 1)[1]]["properties"]
    assert set(unit) == {"name", "unit_id", "collective"}
    accept_schema = spec["components"]["schemas"]["DraftAccept"]["properties"]
    assert accept_schema["allow_tasks_without_lead"]["type"] == "boolean"


async def test_a_typed_patch_refuses_a_task_of_the_wrong_shape(tasks, county):
    draft = await county_draft(tasks, county)
    r = await patch(tasks, county["office"], draft, {"tasks": [{"title": "x", "lead_units": "质监局"}]})
    assert_problem(r, 422, "validation_failed")


async def test_a_draft_is_accepted_with_its_report_schedule_in_words(tasks, county):
    draft = await county_draft(tasks, county)
    office = county["office"]
    done = await accept(
        tasks, office, draft, report_schedule="每月25日", allow_tasks_without_lead=True, create_units=True
    )
    assert done.status_code == 201, done.text
    schedule = done.json()["plan"]["report_schedule"]
    assert (schedule["kind"], schedule["frequency"], schedule["day"]) == ("recurring", "monthly", 25)
