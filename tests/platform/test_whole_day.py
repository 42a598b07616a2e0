"""The office's whole day through the one origin (issue 17): a plan's text becomes a draft and then a plan; the
unit signs, reports, is returned with a reason, asks for more time and gets it, finishes; the office closes it,
scores the year and sends the bulletin. At each step the office's and the unit's 待办 (GET /v1/me/todo/all, the
console's one call) show what waits for each, and nothing else."""

from __future__ import annotations

import os
import time
from typing import Any

import httpx

from tests.support import create_user_cli

PASSWORD = "Lantern-maple-2026!"

PLAN_TEXT = """源县人民政府办公室关于印发源县质量提升行动方案的通知
源政办〔2026〕9号

各乡镇人民政府，县政府各部门：
现将《源县质量提升行动方案》印发给你们，请认真贯彻执行。

源县质量提升行动方案

一、重点任务
1.开展重点产品质量抽检。（牵头单位：源县市场监督管理局；配合单位：源县统计局；完成时限：2027年6月底前）
2.建立质量统计监测制度。（责任单位：源县统计局；完成时限：2027年3月底前）
"""


def _wait(http: httpx.Client, location: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(300):
        job = http.get(location, headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            assert job["status"] == "succeeded", job
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stuck: {job}")


def test_an_office_and_a_unit_run_a_day_through_the_one_origin(origin: str, database_url: str) -> None:
    http = httpx.Client(base_url=origin, timeout=30)

    def sign_in(username: str) -> dict[str, str]:
        signed = http.post("/v1/auth/token", data={"username": username, "password": PASSWORD})
        assert signed.status_code == 200, signed.text
        return {"Authorization": f"Bearer {signed.json()['access_token']}"}

    def ok(response: httpx.Response, status: int = 200) -> Any:
        assert response.status_code == status, (response.request.method, response.request.url, response.text)
        return response.json() if response.content else None

    plan_id: int | None = None

    def todo(headers: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        """The caller's merged queue by kind: this plan's items (and, before there is a plan, its open drafts:
        other tests' plans that name no office are any office's too)."""
        page = ok(http.get("/v1/me/todo/all", params={"limit": 100}, headers=headers))
        assert all(source["ok"] for source in page["sources"]), page["sources"]
        kinds: dict[str, list[dict[str, Any]]] = {}
        for item in page["items"]:
            if item["kind"] == "draft.finish" or item.get("plan_id") == plan_id:
                kinds.setdefault(item["kind"], []).append(item)
        return kinds

    def etag(path: str, headers: dict[str, str]) -> str:
        return ok_response(http.get(path, headers=headers)).headers["etag"]

    def ok_response(response: httpx.Response) -> httpx.Response:
        assert response.status_code == 200, response.text
        return response

    # --- the county, its office and two bureaus; an office user and the bureau's clerk (an administrator's work)
    admin = sign_in("origin-admin")
    tag = os.urandom(3).hex()
    gov = ok(
        http.post(
            "/v1/units", json={"name": f"源县人民政府{tag}", "kind": "government", "level": "county"}, headers=admin
        ),
        201,
    )
    units = {
        name: ok(
            http.post("/v1/units", json={"name": name, "kind": "department", "parent_id": gov["id"]}, headers=admin),
            201,
        )
        for name in ("源县质量强县工作领导小组办公室", "源县市场监督管理局", "源县统计局")
    }
    office_unit, bureau = units["源县质量强县工作领导小组办公室"], units["源县市场监督管理局"]
    env = {**os.environ, "DATABASE_URL": database_url}
    create_user_cli(env, f"office-{tag}", PASSWORD, "office", office_unit["id"])
    create_user_cli(env, f"clerk-{tag}", PASSWORD, "unit", bureau["id"])
    elsewhere = ok(http.post("/v1/units", json={"name": f"邻县督查室{tag}", "kind": "department"}, headers=admin), 201)
    create_user_cli(env, f"other-{tag}", PASSWORD, "office", elsewhere["id"])
    office, clerk, other = sign_in(f"office-{tag}"), sign_in(f"clerk-{tag}"), sign_in(f"other-{tag}")

    # --- draft: the text read as a job; the office sees the draft to finish in its queue
    started = http.post("/v1/plan-drafts", json={"text": PLAN_TEXT}, headers=office)
    assert started.status_code == 202, started.text
    draft_id = _wait(http, started.headers["Location"], office)["result"]["draft_id"]
    assert draft_id in [i["id"] for i in todo(office).get("draft.finish", [])]
    draft = ok_response(http.get(f"/v1/plan-drafts/{draft_id}", headers=office))
    body = draft.json()["draft"]
    led = [(t["title"][:6], t["lead_units"], t["cooperating_units"]) for t in body["tasks"] if t["lead_units"]]
    assert led == [
        ("开展重点产品", ["源县市场监督管理局"], ["源县统计局"]),
        ("建立质量统计", ["源县统计局"], []),
    ]
    plan_meta = {**body["plan"], "issuer": gov["name"], "office_unit": office_unit["name"]}
    patched = http.patch(
        f"/v1/plan-drafts/{draft_id}", json={"plan": plan_meta}, headers={**office, "If-Match": draft.headers["etag"]}
    )
    assert patched.status_code == 200, patched.text
    assert not [w for w in patched.json()["warnings"] if w["code"] in ("unit_unknown", "lead_missing")], patched.json()
    accepted = ok(
        http.post(
            f"/v1/plan-drafts/{draft_id}/accept",
            json={
                "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 25},
                "allow_tasks_without_lead": True,
            },
            headers={**office, "If-Match": patched.headers["etag"]},
        ),
        201,
    )
    plan_id = accepted["plan"]["id"]
    assert draft_id not in [i["id"] for i in todo(office).get("draft.finish", [])]

    # --- the bureau signs for its task
    mine = ok(http.get("/v1/me/assignments", params={"plan_id": plan_id}, headers=clerk))["items"]
    lead = next(a for a in mine if a["role"] == "lead")
    path = f"/v1/assignments/{lead['id']}"
    assert lead["id"] in [i["id"] for i in todo(clerk)["assignment.acknowledge"]]
    for action in ("acknowledge", "start"):
        ok(http.post(f"{path}/transitions", json={"action": action}, headers={**clerk, "If-Match": etag(path, clerk)}))
    assert lead["id"] not in [i["id"] for i in todo(clerk).get("assignment.acknowledge", [])]

    # --- it reports; the office reviews and returns it with a reason the bureau reads in its queue
    report = ok(http.post(f"{path}/reports", json={"text": "已抽检重点产品30批次", "percent": 30}, headers=clerk), 201)
    assert [i["id"] for i in todo(office)["report.review"]] == [report["id"]]
    assert not [i for kind, items in todo(other).items() if kind != "draft.finish" for i in items]  # not theirs
    report_path = f"/v1/reports/{report['id']}"
    ok(
        http.post(
            f"{report_path}/review",
            json={"decision": "return", "comment": "请补充抽检不合格产品的处理情况"},
            headers={**office, "If-Match": etag(report_path, office)},
        )
    )
    assert "report.review" not in todo(office)
    returned = todo(clerk)["report.returned"]
    assert [(i["id"], i["reason"]) for i in returned] == [(report["id"], "请补充抽检不合格产品的处理情况")]

    # --- more time: asked, seen by the office, granted
    asked = ok(
        http.post(
            f"{path}/extensions", json={"requested_due_on": "2027-09-30", "reason": "检测机构排期延后"}, headers=clerk
        ),
        201,
    )
    assert [i["id"] for i in todo(office)["extension.decide"]] == [asked["id"]]
    extension = f"/v1/extensions/{asked['id']}"
    ok(
        http.post(
            f"{extension}/decision", json={"decision": "grant"}, headers={**office, "If-Match": etag(extension, office)}
        )
    )
    assert "extension.decide" not in todo(office)
    assert ok(http.get(path, headers=clerk))["due_on"] == "2027-09-30"

    # --- done: the bureau asks to close, the office closes
    ok(
        http.post(
            f"{path}/transitions",
            json={"action": "request_completion"},
            headers={**clerk, "If-Match": etag(path, clerk)},
        )
    )
    assert lead["id"] in [i["id"] for i in todo(office)["completion.decide"]]
    ok(http.post(f"{path}/transitions", json={"action": "close"}, headers={**office, "If-Match": etag(path, office)}))
    assert "completion.decide" not in todo(office)

    # --- the year scored (a scoring-api job, followed through the origin) and the bulletin sent (notify)
    scheme = ok(
        http.post(
            "/v1/schemes",
            json={
                "plan_id": plan_id,
                "name": "2026年度考核",
                "performance": [{"metric": "on_time_completion_rate", "points": 10}],
            },
            headers=office,
        ),
        201,
    )
    run = http.post("/v1/assessments", json={"scheme_id": scheme["id"], "period": "2026"}, headers=office)
    assert run.status_code == 202, run.text
    _wait(http, run.headers["Location"], office)
    cards = ok(http.get(f"{run.headers['Content-Location']}/scorecards", headers=office))["items"]
    assert bureau["id"] in {card["unit_id"] for card in cards}
    bulletin = ok(
        http.post("/v1/bulletins", json={"plan_id": plan_id, "period_due_on": "2026-11-25"}, headers=office), 201
    )
    assert bulletin["plan_id"] == plan_id
    http.close()
