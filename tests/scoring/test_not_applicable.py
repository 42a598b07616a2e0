"""A rate with nothing to measure is "not applicable", not zero: tasks-api's performance gives null with the
rate named in `not_applicable`, and a scorecard leaves the metric out (no points, no maximum) and says so."""

import asyncio

from tests.conftest import unique


async def _wait(scoring, location, headers):
    for _ in range(200):
        job = (await scoring.get(location, headers=headers)).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job stuck: {job}")


async def test_nothing_due_is_not_applicable_not_zero(tasks, scoring, office, plan_setup):
    plan_id, units = plan_setup["plan"]["id"], plan_setup["units"]
    made = await tasks.post(
        f"/v1/plans/{plan_id}/tasks",
        json={"number": "2", "title": unique("明年的任务-"), "lead_unit": units["c"]["id"], "deadline": "2027年底前"},
        headers=office["headers"],
    )
    assert made.status_code == 201, made.text

    perf = await tasks.get(
        f"/v1/plans/{plan_id}/performance", params={"from": "2026-01-01", "to": "2026-12-31"}, headers=office["headers"]
    )
    assert perf.status_code == 200, perf.text
    rows = {u["unit_id"]: u for u in perf.json()["units"]}
    c = rows[units["c"]["id"]]
    assert (c["due"], c["on_time_completion_rate"]) == (0, None)
    assert "on_time_completion_rate" in c["not_applicable"]
    assert "on_time_completion_rate" not in rows[units["a"]["id"]]["not_applicable"]

    scheme = await scoring.post(
        "/v1/schemes",
        json={
            "plan_id": plan_id,
            "name": "不适用测试",
            "indicators": [],
            "performance": [
                {"metric": "on_time_completion_rate", "points": 10},
                {"metric": "overdue", "points": 5, "per_item": 1},
            ],
        },
        headers=office["headers"],
    )
    assert scheme.status_code == 201, scheme.text
    started = await scoring.post(
        "/v1/assessments", json={"scheme_id": scheme.json()["id"], "period": "2026"}, headers=office["headers"]
    )
    assert started.status_code == 202, started.text
    job = await _wait(scoring, started.headers["location"], office["headers"])
    assert job["status"] == "succeeded", job
    cards = (await scoring.get(f"/v1/assessments/{started.json()['id']}/scorecards", headers=office["headers"])).json()[
        "items"
    ]
    card = next(x for x in cards if x["unit_id"] == units["c"]["id"])
    rate = next(x for x in card["lines"] if x["ref"] == "on_time_completion_rate")
    assert rate["value"] is None and rate["points"] == 0 and rate["max_points"] == 0
    assert rate["flags"] == ["not_applicable"]
    assert "不适用" in rate["explain_zh"] and "not applicable" in rate["explain_en"]
    assert (card["total"], card["max_total"], card["percent"]) == (5, 5, 100)
    a = next(x for x in cards if x["unit_id"] == units["a"]["id"])
    assert next(x for x in a["lines"] if x["ref"] == "on_time_completion_rate")["max_points"] == 10
