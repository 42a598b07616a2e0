"""Requests the probe of issue 14 answered with 500 (and a reset keep-alive connection): each is the client's
mistake or not theirs to make, and gets a 4xx problem naming it."""

from __future__ import annotations

import base64
import json

from tests.conftest import unique
from tests.platform.test_auth import _claims
from tests.platform.test_errors import assert_problem


def forged_cursor(*values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


async def test_a_forged_cursor_is_a_400_on_scorecards_and_ranking(scoring, office, admin):
    for cursor in (forged_cursor("x", "y"), forged_cursor(1), forged_cursor("2026", "abc"), forged_cursor(None, 5)):
        for path in ("/v1/assessments/1/scorecards", "/v1/assessments/1/ranking"):
            r = await scoring.get(path, params={"cursor": cursor}, headers=admin["headers"])
            assert r.status_code in (400, 404), (path, cursor, r.status_code, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")


async def test_a_token_whose_subject_is_not_a_user_id_is_a_401(services, tasks_app):
    token = tasks_app.state.keys.sign(_claims(tasks_app, sub="not-a-number"))
    for client in services.values():
        assert_problem(await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}), 401, "unauthenticated")


async def test_an_api_key_asking_for_its_own_feed_gets_a_4xx(tasks, notify, admin):
    r = await tasks.post(
        "/v1/api-keys", json={"name": unique("日历密钥-"), "scopes": ["notify:write"]}, headers=admin["headers"]
    )
    key = {"X-API-Key": r.json()["key"]}
    r = await notify.post("/v1/feeds/tokens", json={}, headers=key)
    assert r.status_code in (400, 403, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_a_unit_sees_in_the_task_list_only_the_assignments_it_may_open(tasks, office, make_unit, make_user):
    lead, helper, bystander = [await make_unit() for _ in range(3)]
    plan = await tasks.post(
        "/v1/plans", json={"title": unique("任务列表方案-"), "issuer": "测试县人民政府"}, headers=office["headers"]
    )
    plan_id = plan.json()["id"]
    for title, lead_unit, cooperating in (("甲任务", lead, [helper]), ("乙任务", bystander, [])):
        r = await tasks.post(
            f"/v1/plans/{plan_id}/tasks",
            json={"title": title, "lead_unit": lead_unit["id"], "cooperating_units": [u["id"] for u in cooperating]},
            headers=office["headers"],
        )
        assert r.status_code == 201, r.text

    async def seen_by(unit) -> dict[str, set[int]]:
        user = await make_user("unit", unit_id=unit["id"])
        items = (await tasks.get(f"/v1/plans/{plan_id}/tasks", headers=user["headers"])).json()["items"]
        return {t["title"]: {a["unit_id"] for a in t["assignments"]} for t in items}

    # the lead sees its cooperating unit's state; the cooperating unit only its own; nobody another task's
    assert await seen_by(lead) == {"甲任务": {lead["id"], helper["id"]}, "乙任务": set()}
    assert await seen_by(helper) == {"甲任务": {helper["id"]}, "乙任务": set()}
    assert await seen_by(bystander) == {"甲任务": set(), "乙任务": {bystander["id"]}}
