"""A whole assessment over real HTTP: three service processes, units entering values, the office running,
rerunning and publishing, scoring-api asking a running tasks-api for task performance."""

# The services are other processes: a blocking client in this async test holds up nothing of theirs.
# ruff: noqa: ASYNC212

from __future__ import annotations

import io
import time
from typing import Any

import httpx
import openpyxl
import pytest

from tests.conftest import unique


def login(live, user) -> dict[str, str]:
    r = httpx.post(
        f"{live.urls['tasks']}/v1/auth/token",
        data={"username": user["username"], "password": "Correct horse battery 9"},
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def wait_job(client: httpx.Client, location: str) -> dict[str, Any]:
    for _ in range(300):
        job = client.get(location).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stuck: {job}")


def walk(tasks: httpx.Client, assignment_id: int, steps: list[tuple[str, dict[str, str]]]) -> None:
    for action, headers in steps:
        etag = tasks.get(f"/v1/assignments/{assignment_id}", headers=headers).headers["etag"]
        r = tasks.post(
            f"/v1/assignments/{assignment_id}/transitions",
            json={"action": action},
            headers={**headers, "If-Match": etag},
        )
        assert r.status_code == 200, r.text


@pytest.fixture
async def county(make_unit, make_user) -> dict[str, Any]:
    gov = await make_unit(kind="government", level="county", name=unique("考核县人民政府-"))
    office_unit = await make_unit(parent_id=gov["id"], name=unique("考核县创建办-"))
    units = {k: await make_unit(parent_id=gov["id"], name=unique(f"考核县{k}局-")) for k in ("a", "b", "c")}
    users = {k: await make_user("unit", unit_id=u["id"]) for k, u in units.items()}
    office = await make_user("office", unit_id=office_unit["id"])
    return {"gov": gov, "office_unit": office_unit, "units": units, "users": users, "office": office}


def line(card: dict[str, Any], ref: str) -> dict[str, Any]:
    return next(x for x in card["lines"] if x["ref"] == ref)


@pytest.mark.slow
async def test_a_whole_assessment_over_real_http(live, county):
    office_h = login(live, county["office"])
    unit_h = {k: login(live, u) for k, u in county["users"].items()}
    uid = {k: u["id"] for k, u in county["units"].items()}
    tasks = httpx.Client(base_url=live.urls["tasks"], timeout=30)
    scoring = httpx.Client(base_url=live.urls["scoring"], timeout=30, headers=office_h)

    # --- tasks-api: a plan with one task done on time (A) and one overdue (C)
    plan = tasks.post(
        "/v1/plans",
        json={
            "title": unique("考核方案-"),
            "issuer": county["gov"]["name"],
            "issued_on": "2026-01-05",
            "status": "active",
            "office_unit": county["office_unit"]["id"],
        },
        headers=office_h,
    )
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]
    done = tasks.post(
        f"/v1/plans/{plan_id}/tasks",
        json={
            "number": "1",
            "title": "提升抽查合格率",
            "lead_unit": uid["a"],
            "cooperating_units": [uid["b"]],
            "deadline": "2026年12月底前",
        },
        headers=office_h,
    ).json()
    late = tasks.post(
        f"/v1/plans/{plan_id}/tasks",
        json={"number": "2", "title": "建立质量诚信档案", "lead_unit": uid["c"], "deadline": "2026年6月底前"},
        headers=office_h,
    ).json()
    assert late["assignments"][0]["light"] == "red"
    a_id = next(x["assignment_id"] for x in done["assignments"] if x["unit_id"] == uid["a"])
    walk(
        tasks,
        a_id,
        [
            ("acknowledge", unit_h["a"]),
            ("start", unit_h["a"]),
            ("request_completion", unit_h["a"]),
            ("close", office_h),
        ],
    )

    # --- scoring-api: indicators of the plan
    def indicator(body):
        r = scoring.post("/v1/indicators", json={"plan_id": plan_id, "unit_ids": list(uid.values()), **body})
        assert r.status_code == 201, r.text
        return r.json()

    pass_rate = indicator(
        {
            "name": "主导产品监督抽查合格率",
            "unit": "%",
            "comparator": ">=",
            "target": 90,
            "weight": 10,
            "rule": {"kind": "anchor", "anchor_share": 0.6, "step": 1, "per_step_up": 1, "per_step_down": 1},
        }
    )
    brands = indicator(
        {
            "name": "新增省级名牌产品",
            "unit": "个",
            "comparator": ">=",
            "target": 2,
            "weight": 5,
            "rule": {"kind": "pass_fail"},
        }
    )
    growth = indicator(
        {
            "name": "营业收入增速",
            "unit": "%",
            "comparator": ">=",
            "target": None,
            "benchmark_name": "全省产业集聚区平均增速",
            "weight": 10,
            "rule": {"kind": "benchmark"},
        }
    )

    # units enter their own values; one cannot enter another's; percentages are checked
    def enter(unit, ind, value, **extra):
        return scoring.post(
            f"/v1/indicators/{ind['id']}/values", json={"period": "2026", "value": value, **extra}, headers=unit_h[unit]
        )

    for unit, values in {"a": (92, 3, 15), "b": (90, 1, 8), "c": (85, None, 12)}.items():
        for ind, value in zip((pass_rate, brands, growth), values, strict=True):
            if value is not None:
                r = enter(unit, ind, value, evidence=f"{unit} 2026 年报")
                assert r.status_code == 201, r.text
    assert enter("a", pass_rate, 50, unit_id=uid["b"]).status_code == 403
    bad = enter("c", growth, 150)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "value"]
    assert (
        scoring.post(
            "/v1/benchmarks", json={"indicator_id": growth["id"], "period": "2026", "value": 10, "source": "省统计公报"}
        ).status_code
        == 201
    )

    scheme = scoring.post(
        "/v1/schemes",
        json={
            "plan_id": plan_id,
            "name": "2026年度创建考核",
            "performance": [
                {"metric": "on_time_completion_rate", "points": 10},
                {"metric": "overdue", "points": 5, "per_item": 2},
            ],
            "adjustments": [
                {"item": "通报批评", "kind": "deduction", "points": 2},
                {"item": "新获中国名牌", "kind": "bonus", "points": 5},
            ],
        },
    )
    assert scheme.status_code == 201, scheme.text
    scheme_id = scheme.json()["id"]
    for unit, item in (("c", "通报批评"), ("a", "新获中国名牌")):
        r = scoring.post(
            f"/v1/schemes/{scheme_id}/adjustments",
            json={"unit_id": uid[unit], "period": "2026", "item": item, "evidence": "县政府通报〔2026〕3号"},
        )
        assert r.status_code == 201, r.text

    # --- run 1
    started = scoring.post("/v1/assessments", json={"scheme_id": scheme_id, "period": "2026"})
    assert started.status_code == 202, started.text
    v1 = started.json()
    assert wait_job(scoring, started.headers["location"])["status"] == "succeeded"
    assert scoring.get(f"/v1/assessments/{v1['id']}").json()["status"] == "done"
    # a unit does not see an unpublished assessment
    assert scoring.get(f"/v1/assessments/{v1['id']}", headers=unit_h["b"]).status_code == 404

    cards = {c["unit_id"]: c for c in scoring.get(f"/v1/assessments/{v1['id']}/scorecards").json()["items"]}
    assert set(cards) >= set(uid.values())
    a, b, c = cards[uid["a"]], cards[uid["b"]], cards[uid["c"]]
    for card in (a, b, c):
        assert card["total"] == pytest.approx(sum(x["points"] for x in card["lines"]), abs=0.011)
        assert all(x["explain_zh"] and x["explain_en"] for x in card["lines"])
    # task performance came from the running tasks-api
    assert line(a, "on_time_completion_rate")["points"] == 10 and line(a, "on_time_completion_rate")["value"] == 1
    assert line(c, "overdue")["points"] == 3
    # pass/fail, a missing value (flagged, zero), the deduction and the bonus
    assert line(a, str(brands["id"]))["points"] == 5 and line(b, str(brands["id"]))["points"] == 0
    missing = line(c, str(brands["id"]))
    assert missing["points"] == 0 and "value_missing" in missing["flags"]
    assert line(c, "通报批评")["points"] == -2 and line(a, "新获中国名牌")["points"] == 5
    assert "92" in line(a, str(pass_rate["id"]))["explain_zh"]
    assert line(b, str(growth["id"]))["benchmark"] == 10
    ranking = scoring.get(f"/v1/assessments/{v1['id']}/ranking").json()["items"]
    order = [r["unit_id"] for r in ranking if r["unit_id"] in uid.values()]
    assert order == [uid["a"], uid["b"], uid["c"]]
    assert [r["rank"] for r in ranking] == sorted(r["rank"] for r in ranking)

    # --- a corrected value, run 2; version 1 stays as it was
    value = scoring.get(f"/v1/indicators/{pass_rate['id']}/values?unit_id={uid['b']}").json()["items"][0]
    etag = scoring.get(f"/v1/values/{value['id']}", headers=unit_h["b"]).headers["etag"]
    fixed = scoring.patch(
        f"/v1/values/{value['id']}",
        json={"value": 95, "evidence": "更正：复核后 95%"},
        headers={**unit_h["b"], "If-Match": etag},
    )
    assert fixed.status_code == 200 and fixed.json()["revision"] == 2, fixed.text
    revisions = scoring.get(f"/v1/values/{value['id']}/revisions").json()["items"]
    assert [r["value"] for r in revisions] == [90, 95]
    started = scoring.post("/v1/assessments", json={"scheme_id": scheme_id, "period": "2026"})
    v2 = started.json()
    assert v2["run_version"] == 2
    assert wait_job(scoring, started.headers["location"])["status"] == "succeeded"
    b1 = scoring.get(f"/v1/assessments/{v1['id']}/scorecards/{uid['b']}").json()
    b2 = scoring.get(f"/v1/assessments/{v2['id']}/scorecards/{uid['b']}").json()
    assert line(b1, str(pass_rate["id"]))["value"] == 90 and line(b2, str(pass_rate["id"]))["value"] == 95
    assert b2["total"] > b1["total"]

    # --- publish version 2: values lock, units see results, an event waits for notify
    etag = scoring.get(f"/v1/assessments/{v2['id']}").headers["etag"]
    published = scoring.post(f"/v1/assessments/{v2['id']}/publish", headers={"If-Match": etag})
    assert published.status_code == 200 and published.json()["published"], published.text
    etag = scoring.get(f"/v1/assessments/{v1['id']}").headers["etag"]
    assert scoring.post(f"/v1/assessments/{v1['id']}/publish", headers={"If-Match": etag}).status_code == 409
    etag = scoring.get(f"/v1/values/{value['id']}", headers=unit_h["b"]).headers["etag"]
    locked = scoring.patch(f"/v1/values/{value['id']}", json={"value": 99}, headers={**unit_h["b"], "If-Match": etag})
    assert locked.status_code == 409 and locked.json()["code"] == "values_locked"
    events = scoring.get("/v1/events?kind=assessment.published&limit=500").json()["items"]
    event = next(e for e in events if e["payload"]["assessment_id"] == v2["id"])
    assert event["payload"]["period"] == "2026" and event["payload"]["top"][0]["unit_id"] == uid["a"]
    own = scoring.get(f"/v1/assessments/{v2['id']}/scorecards/{uid['b']}", headers=unit_h["b"])
    assert own.status_code == 200
    assert scoring.get(f"/v1/assessments/{v2['id']}/scorecards/{uid['a']}", headers=unit_h["b"]).status_code == 404

    sheet = scoring.get(f"/v1/assessments/{v2['id']}/results.xlsx")
    assert sheet.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(min_row=3, values_only=True))
    assert rows[0][0] == 1 and rows[0][-1] in ("优秀", "良好", "合格", "不合格")
    spread = scoring.get(f"/v1/indicators/{pass_rate['id']}/distribution?assessment_id={v2['id']}").json()
    assert spread["units"] >= 3 and spread["max"] == 95
