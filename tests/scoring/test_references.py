"""References across plans are refused: an indicator measures a task of its own plan, a scheme scores its own
plan's indicators (a 422 naming the field)."""

from tests.conftest import unique
from tests.platform.test_errors import assert_problem
from tests.scoring.test_access import make_indicator


async def _other_plan(tasks, office, plan_setup):
    plan = await tasks.post(
        "/v1/plans",
        json={"title": unique("另一方案-"), "issuer": plan_setup["units"]["gov"]["name"], "status": "active"},
        headers=office["headers"],
    )
    assert plan.status_code == 201, plan.text
    task = await tasks.post(
        f"/v1/plans/{plan.json()['id']}/tasks",
        json={"title": "另一方案的任务", "lead_unit": plan_setup["units"]["c"]["id"], "deadline": "2026年底前"},
        headers=office["headers"],
    )
    assert task.status_code == 201, task.text
    return plan.json(), task.json()


async def test_an_indicator_takes_only_a_task_of_its_plan(tasks, scoring, office, plan_setup):
    other_plan, other_task = await _other_plan(tasks, office, plan_setup)
    own = await make_indicator(scoring, office, plan_setup, task_id=plan_setup["task"]["id"])
    assert own["task_id"] == plan_setup["task"]["id"]
    body = {
        "plan_id": plan_setup["plan"]["id"],
        "name": "跨方案指标",
        "weight": 5,
        "target": 1,
        "rule": {"kind": "pass_fail"},
    }
    for task_id in (other_task["id"], 987654321):
        refused = await scoring.post("/v1/indicators", json={**body, "task_id": task_id}, headers=office["headers"])
        problem = assert_problem(refused, 422, "reference_outside_plan")
        assert [e["loc"] for e in problem["errors"]] == [["body", "task_id"]]

    other_indicator = await scoring.post(
        "/v1/indicators", json={**body, "plan_id": other_plan["id"]}, headers=office["headers"]
    )
    assert other_indicator.status_code == 201, other_indicator.text
    scheme = {"plan_id": plan_setup["plan"]["id"], "name": "跨方案考核"}
    refused = await scoring.post(
        "/v1/schemes",
        json={**scheme, "indicators": [{"indicator_id": own["id"]}, {"indicator_id": other_indicator.json()["id"]}]},
        headers=office["headers"],
    )
    problem = assert_problem(refused, 422, "reference_outside_plan")
    assert [e["loc"] for e in problem["errors"]] == [["body", "indicators", 1, "indicator_id"]]
    made = await scoring.post(
        "/v1/schemes", json={**scheme, "indicators": [{"indicator_id": own["id"]}]}, headers=office["headers"]
    )
    assert made.status_code == 201, made.text
    changed = await scoring.patch(
        f"/v1/schemes/{made.json()['id']}",
        json={"indicators": [{"indicator_id": other_indicator.json()["id"]}]},
        headers={**office["headers"], "If-Match": made.headers["etag"]},
    )
    problem = assert_problem(changed, 422, "reference_outside_plan")
    assert [e["loc"] for e in problem["errors"]] == [["body", "indicators", 0, "indicator_id"]]
