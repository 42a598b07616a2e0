"""A little real data for the fuzzer: one of each thing the APIs address by id, so generated requests reach
past "404 not found" into the handlers. Made over HTTP, as an admin and as a unit's user would."""

# The services are other processes: blocking clients here hold up nothing of theirs.
from __future__ import annotations

import time
from typing import Any

import httpx

from tests.support import LiveServices, create_user_cli

UNIT_PASSWORD = "Fuzz-unit-pw-2026"


def _ok(response: httpx.Response, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def _unit_user(live: LiveServices, name: str, unit_id: int) -> dict[str, str]:
    create_user_cli(live.env, name, UNIT_PASSWORD, "unit", unit_id)
    token = _ok(
        httpx.post(f"{live.urls['tasks']}/v1/auth/token", data={"username": name, "password": UNIT_PASSWORD}), 200
    )
    return {"Authorization": f"Bearer {token['access_token']}"}


def _walk(tasks: httpx.Client, assignment_id: int, actions: list[str], headers: dict[str, str]) -> None:
    for action in actions:
        etag = tasks.get(f"/v1/assignments/{assignment_id}", headers=headers).headers["etag"]
        _ok(
            tasks.post(
                f"/v1/assignments/{assignment_id}/transitions",
                json={"action": action},
                headers={**headers, "If-Match": etag},
            ),
            200,
        )


def seed(live: LiveServices, admin_token: str) -> dict[str, dict[str, list[Any]]]:
    """Ids of what was made, per service and path/query parameter name; under "unit_token", the bearer token of
    the lead unit's user (only a unit reports on its own assignment)."""
    admin = {"Authorization": f"Bearer {admin_token}"}
    tasks = httpx.Client(base_url=live.urls["tasks"], headers=admin, timeout=30)
    scoring = httpx.Client(base_url=live.urls["scoring"], headers=admin, timeout=30)
    notify = httpx.Client(base_url=live.urls["notify"], headers=admin, timeout=30)

    gov = _ok(tasks.post("/v1/units", json={"name": "模糊测试县人民政府", "kind": "government", "level": "county"}))
    a, b = (
        _ok(tasks.post("/v1/units", json={"name": f"模糊测试县{k}局", "kind": "department", "parent_id": gov["id"]}))
        for k in ("甲", "乙")
    )
    unit_a = _unit_user(live, "fuzz-unit-a", a["id"])
    me = _ok(tasks.get("/v1/me"), 200)
    # The account the user-admin operations act on (reset a password, deactivate, unlock): never the fuzzer's own,
    # whose reset would end the session of the token every other request carries.
    spare = _ok(
        tasks.post(
            "/v1/users",
            json={"username": "fuzz-spare", "password": UNIT_PASSWORD, "roles": ["unit"], "unit_id": b["id"]},
        )
    )
    plan = _ok(
        tasks.post(
            "/v1/plans",
            json={
                "title": "模糊测试实施方案",
                "issuer": gov["name"],
                "issued_on": "2026-01-05",
                "status": "active",
                "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30},
            },
        )
    )
    task = _ok(
        tasks.post(
            f"/v1/plans/{plan['id']}/tasks",
            json={
                "number": "1",
                "title": "提升产品质量",
                "lead_unit": a["id"],
                "cooperating_units": [b["id"]],
                "deadline": {"kind": "window", "start_on": "2026-01-05", "due_on": "2026-12-31"},
            },
        )
    )
    assignment_id = next(x["assignment_id"] for x in task["assignments"] if x["unit_id"] == a["id"])
    _walk(tasks, assignment_id, ["acknowledge", "start"], unit_a)
    report = _ok(
        tasks.post(
            f"/v1/assignments/{assignment_id}/reports", json={"text": "已开展抽查。", "percent": 30}, headers=unit_a
        )
    )
    attachment = _ok(
        tasks.post(
            f"/v1/reports/{report['id']}/attachments",
            files={"file": ("佐证.txt", "抽查记录".encode(), "text/plain")},
            headers=unit_a,
        )
    )
    extension = _ok(
        tasks.post(
            f"/v1/assignments/{assignment_id}/extensions",
            json={"requested_due_on": "2027-06-30", "reason": "检测设备到货延迟"},
            headers=unit_a,
        )
    )
    reading = tasks.post("/v1/plan-drafts", json={"text": "一、主要任务\n1. 开展质量提升行动。（县质监局负责）"})
    _ok(reading, 202)
    for _ in range(300):
        read = _ok(tasks.get(reading.headers["location"]), 200)
        if read["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    draft = {"id": read["result"]["draft_id"]}
    key = _ok(tasks.post("/v1/api-keys", json={"name": "模糊测试", "scopes": ["tasks:read"]}))

    indicator = _ok(
        scoring.post(
            "/v1/indicators",
            json={
                "plan_id": plan["id"],
                "name": "主导产品监督抽查合格率",
                "unit": "%",
                "target": 90,
                "weight": 10,
                "rule": {"kind": "pass_fail"},
                "unit_ids": [a["id"], b["id"]],
            },
        )
    )
    value = _ok(
        scoring.post(f"/v1/indicators/{indicator['id']}/values", json={"period": "2026", "value": 92}, headers=unit_a)
    )
    value_attachment = _ok(
        scoring.post(
            f"/v1/values/{value['id']}/attachments",
            files={"file": ("报告.txt", "合格率92%".encode(), "text/plain")},
            headers=unit_a,
        )
    )
    scheme = _ok(scoring.post("/v1/schemes", json={"plan_id": plan["id"], "name": "模糊测试考核"}))
    started = scoring.post("/v1/assessments", json={"scheme_id": scheme["id"], "period": "2026"})
    assessment = _ok(started, 202)
    for _ in range(300):
        job = _ok(scoring.get(started.headers["location"]), 200)
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.1)

    # Refused at once (a closed port), so a fuzzed "send a test" never waits on the network.
    channel = _ok(
        notify.post(
            "/v1/channels",
            json={
                "name": "模糊测试回调",
                "kind": "webhook",
                "config": {"url": "http://127.0.0.1:9/", "secret": "s" * 16},
            },
        )
    )
    bulletin = _ok(notify.post("/v1/bulletins", json={"plan_id": plan["id"], "period_due_on": "2026-11-30"}))
    # calendar feeds are opened by the token in their URL, not by the bearer token: one for a unit, one for me
    feed_tokens = [_ok(notify.post("/v1/feeds/tokens", json=body))["token"] for body in ({"unit_id": a["id"]}, {})]
    for client in (tasks, scoring, notify):
        client.close()

    units = [gov["id"], a["id"], b["id"]]
    return {
        "unit_token": unit_a["Authorization"].removeprefix("Bearer "),  # type: ignore[dict-item]
        "tasks": {
            "unit_id": units,
            "plan_id": [plan["id"]],
            "task_id": [task["id"]],
            "assignment_id": [assignment_id],
            "report_id": [report["id"]],
            "attachment_id": [attachment["id"]],
            "extension_id": [extension["id"]],
            "draft_id": [draft["id"]],
            "key_id": [key["id"]],
            "user_id": [spare["id"]],
        },
        "scoring": {
            "plan_id": [plan["id"]],
            "unit_id": units,
            "indicator_id": [indicator["id"]],
            "value_id": [value["id"]],
            "attachment_id": [value_attachment["id"]],
            "scheme_id": [scheme["id"]],
            "assessment_id": [assessment["id"]],
            "job_id": [job["id"]],
        },
        "notify": {
            "plan_id": [plan["id"]],
            "unit_id": units,
            "task_id": [task["id"]],
            "user_id": [me["user_id"]],
            "channel_id": [channel["id"]],
            "bulletin_id": [bulletin["id"]],
            "token": feed_tokens,
        },
    }


# Parameters that lead nowhere unless they name a seeded thing: mostly the seeded value (a feed's token; the
# one channel, whose random ids would only ever 404 before its body is looked at).
MOSTLY_SEEDED = {"token": 0.9, "channel_id": 0.9}


def dictionaries_toml(ids: dict[str, list[Any]], probability: float = 0.5) -> str:
    """Schemathesis settings that use these ids for parameters of the same name, half the time."""
    lines = []
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", f"values = {sorted(set(values))!r}", ""]
    lines.append("[parameters]")
    lines += [
        f'{name} = {{ dictionary = "{name}", probability = {MOSTLY_SEEDED.get(name, probability)} }}' for name in ids
    ]
    return "\n".join(lines) + "\n"
