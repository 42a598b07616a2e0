"""待办, all in one (issue 17): tasks-api's `GET /v1/me/todo/all` merges its queue with scoring-api's and
notify's, read with the caller's own credential, by date; a service that does not answer is named, not fatal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from luoshi.clients.notify import NotifyClient
from luoshi.clients.scoring import ScoringClient
from tests.tasks.conftest import all_todo


@pytest.fixture
def peers(tasks_app, scoring_app, notify_app) -> Iterator[dict[str, Any]]:
    """tasks-api's peers reached in-process (the real apps, over ASGI)."""
    original = tasks_app.state.todo_peers
    tasks_app.state.todo_peers = {
        "scoring": ScoringClient("http://scoring", transport=httpx.ASGITransport(scoring_app), retries=0),
        "notify": NotifyClient("http://notify", transport=httpx.ASGITransport(notify_app), retries=0),
    }
    yield tasks_app.state.todo_peers
    tasks_app.state.todo_peers = original


def _down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def test_one_call_brings_the_three_queues_in_date_order(tasks, scoring, office_plan, peers):
    plan_id, users, units = office_plan["plan"]["id"], office_plan["users"], office_plan["units"]
    ox, oy, ua = users["ox"], users["oy"], users["ua"]
    lead = office_plan["lead"]
    report = await tasks.post(
        f"/v1/assignments/{lead}/reports", json={"text": "进展", "percent": 20}, headers=ua["headers"]
    )
    assert report.status_code == 201, report.text
    indicator = await scoring.post(
        "/v1/indicators",
        json={
            "plan_id": plan_id,
            "name": "产品标准覆盖率",
            "unit": "%",
            "comparator": "=",
            "target": 100,
            "weight": 5,
            "rule": {"kind": "pass_fail"},
            "unit_ids": [units["a"]["id"]],
        },
        headers=ox["headers"],
    )
    assert indicator.status_code == 201, indicator.text
    value = await scoring.post(
        f"/v1/indicators/{indicator.json()['id']}/values", json={"period": "2026", "value": 100}, headers=ua["headers"]
    )
    assert value.status_code == 201, value.text

    merged = await tasks.get("/v1/me/todo/all", params={"limit": 500}, headers=ox["headers"])
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert [(s["source"], s["ok"]) for s in body["sources"]] == [("tasks", True), ("scoring", True), ("notify", True)]
    mine = [(i["source"], i["kind"]) for i in body["items"] if i["plan_id"] == plan_id]
    assert sorted(mine) == [("scoring", "value.verify"), ("tasks", "report.review")]
    keys = [(i["sort_on"], i["kind"], i["id"]) for i in body["items"]]
    assert keys == sorted(keys)
    # paged two at a time, the merged queue is the same queue
    paged = await all_todo(tasks, ox, "/v1/me/todo/all")
    assert [(i["source"], i["id"]) for i in paged] == [(i["source"], i["id"]) for i in body["items"]]
    # the second office and the unit see none of the office's work
    for user in (oy, ua):
        theirs = (await tasks.get("/v1/me/todo/all", params={"limit": 500}, headers=user["headers"])).json()
        assert not [
            i for i in theirs["items"] if i["plan_id"] == plan_id and i["kind"] in {"report.review", "value.verify"}
        ]

    # notify down: the answer says so, and still brings the rest
    peers["notify"] = NotifyClient("http://notify", transport=httpx.MockTransport(_down), retries=0)
    partial = await tasks.get("/v1/me/todo/all", params={"limit": 500}, headers=ox["headers"])
    assert partial.status_code == 200, partial.text
    sources = {s["source"]: s for s in partial.json()["sources"]}
    assert sources["notify"]["ok"] is False and sources["notify"]["detail_zh"]
    assert sources["tasks"]["ok"] and sources["scoring"]["ok"]
    assert sorted((i["source"], i["kind"]) for i in partial.json()["items"] if i["plan_id"] == plan_id) == sorted(mine)


async def test_a_peer_answering_nonsense_is_named_not_fatal(tasks, office_plan, peers):
    peers["scoring"] = ScoringClient(
        "http://scoring", transport=httpx.MockTransport(lambda r: httpx.Response(200, text="<html>")), retries=0
    )
    answer = await tasks.get("/v1/me/todo/all", headers=office_plan["users"]["ox"]["headers"])
    assert answer.status_code == 200, answer.text
    assert {s["source"]: s["ok"] for s in answer.json()["sources"]} == {"tasks": True, "scoring": False, "notify": True}
