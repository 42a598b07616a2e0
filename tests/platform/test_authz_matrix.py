"""Who may do what, across the three services: role × resource × action, with a second county office running
its own plan, a unit of that other plan, a leader, and API keys of narrow scopes (GB/T 22239-2019 access
control; OWASP API1/API3/API5). Each row names the request, who gets it done and who is refused; a refusal
is 403 or 404 (a unit does not learn that another unit's work exists) and changes nothing.

All rows run and every miss is reported at once, so a failing run lists every hole, not the first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import unique

REFUSED = (403, 404)


@dataclass
class Row:
    what: str
    service: str
    method: str
    path: Callable[[dict[str, Any]], str]
    body: Callable[[dict[str, Any]], Any] | None = None
    etag_from: Callable[[dict[str, Any]], str] | None = None  # a GET (same service) whose ETag goes in If-Match
    allowed: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    ok: tuple[int, ...] = (200, 201, 202, 204)
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
async def world(tasks, scoring, make_unit, make_user, admin, office) -> dict[str, Any]:
    w: dict[str, Any] = {"admin": admin, "unit_creator": office}  # make_unit adds units as `office`
    for county in ("a", "b"):
        gov = await make_unit(kind="government", level="county", name=unique(f"{county}县人民政府-"))
        office_unit = await make_unit(parent_id=gov["id"], name=unique(f"{county}县质量强县办-"))
        unit = await make_unit(
            parent_id=gov["id"],
            name=unique(f"{county}县市场监管局-"),
            contacts=[{"name": "局长", "email": f"head@{county}.example", "is_head": True}],
        )
        office = await make_user("office", unit_id=office_unit["id"])
        clerk = await make_user("unit", unit_id=unit["id"])
        plan = await tasks.post(
            "/v1/plans",
            json={
                "title": unique(f"{county}县质量强县方案-"),
                "issuer": gov["name"],
                "office_unit": office_unit["id"],
                "status": "active",
                # 每月30日: bulletins are compiled for a reporting deadline only
                "report_schedule": {"kind": "recurring", "frequency": "monthly", "day": 30},
            },
            headers=office["headers"],
        )
        assert plan.status_code == 201, plan.text
        task = await tasks.post(
            f"/v1/plans/{plan.json()['id']}/tasks",
            json={"title": "建立质量档案", "lead_unit": unit["id"], "deadline": "2026年12月31日前"},
            headers=office["headers"],
        )
        assert task.status_code == 201, task.text
        assignment = task.json()["assignments"][0]
        indicator = await scoring.post(
            "/v1/indicators",
            json={
                "plan_id": plan.json()["id"],
                "name": "产品质量监督抽查合格率",
                "unit": "%",
                "comparator": ">=",
                "target": 90,
                "weight": 10,
                "rule": {"kind": "pass_fail"},
            },
            headers=office["headers"],
        )
        assert indicator.status_code == 201, indicator.text
        w[county] = {
            "gov": gov,
            "office_unit": office_unit,
            "unit": unit,
            "plan": plan.json(),
            "task": task.json(),
            "assignment": assignment,
            "indicator": indicator.json(),
        }
        w[f"office_{county}"], w[f"clerk_{county}"] = office, clerk
    w["leader"] = await make_user("leader", unit_id=w["a"]["gov"]["id"])
    w["spare"] = await make_user("unit", unit_id=w["a"]["unit"]["id"])  # the account the user-admin rows act on

    async def key(name: str, scopes: list[str], unit_id: int | None = None) -> dict[str, Any]:
        r = await tasks.post(
            "/v1/api-keys",
            json={"name": name, "scopes": scopes, "unit_id": unit_id},
            headers=admin["headers"],
        )
        assert r.status_code == 201, r.text
        return {"headers": {"X-API-Key": r.json()["key"]}, "username": name}

    w["key_read"] = await key("只读平台", ["tasks:read", "scoring:read", "notify:read"])
    w["key_scoring_write"] = await key("评分平台", ["scoring:write"])
    w["key_unit_scoring_read"] = await key("单位评分只读", ["scoring:read"], w["a"]["unit"]["id"])
    return w


def _a(w: dict[str, Any], *keys: str) -> Any:
    value: Any = w["a"]
    for k in keys:
        value = value[k]
    return value


TASKS_ROWS = [
    Row(
        "change plan A",
        "tasks",
        "PATCH",
        lambda w: f"/v1/plans/{_a(w, 'plan', 'id')}",
        lambda w: {"title": unique("改名方案-")},
        etag_from=lambda w: f"/v1/plans/{_a(w, 'plan', 'id')}",
        allowed=("office_a", "admin"),
        refused=("office_b", "clerk_a", "clerk_b", "leader", "key_read", "key_scoring_write"),
    ),
    Row(
        "add a task to plan A",
        "tasks",
        "POST",
        lambda w: f"/v1/plans/{_a(w, 'plan', 'id')}/tasks",
        lambda w: {"title": "开展质量提升行动", "lead_unit": _a(w, "unit", "id")},
        allowed=("office_a",),
        refused=("office_b", "clerk_a", "clerk_b", "leader", "key_read", "key_scoring_write"),
    ),
    Row(
        "read plan A's assignment",
        "tasks",
        "GET",
        lambda w: f"/v1/assignments/{_a(w, 'assignment', 'assignment_id')}",
        allowed=("clerk_a", "office_a", "leader", "admin", "key_read"),
        refused=("clerk_b", "key_scoring_write", "key_unit_scoring_read"),
    ),
    Row(
        "report on plan A's assignment",
        "tasks",
        "POST",
        lambda w: f"/v1/assignments/{_a(w, 'assignment', 'assignment_id')}/reports",
        lambda w: {"text": "已建立质量档案。", "percent": 50},
        allowed=("clerk_a",),
        refused=("clerk_b", "office_b", "leader", "key_read", "key_scoring_write", "key_unit_scoring_read"),
    ),
    Row(
        "change unit A's head e-mail (the escalation address)",
        "tasks",
        "PATCH",
        lambda w: f"/v1/units/{_a(w, 'unit', 'id')}",
        lambda w: {"contacts": [{"name": "局长", "email": "attacker@b.example", "is_head": True}]},
        etag_from=lambda w: f"/v1/units/{_a(w, 'unit', 'id')}",
        allowed=("admin", "unit_creator", "clerk_a"),
        refused=(
            "office_a",
            "office_b",
            "clerk_b",
            "leader",
            "key_read",
            "key_scoring_write",
            "key_unit_scoring_read",
        ),
    ),
    Row(
        "rename unit A or move it under another government",
        "tasks",
        "PATCH",
        lambda w: f"/v1/units/{_a(w, 'unit', 'id')}",
        lambda w: {"name": unique("改名局-")},
        etag_from=lambda w: f"/v1/units/{_a(w, 'unit', 'id')}",
        allowed=("admin", "unit_creator"),
        refused=("clerk_a", "office_a", "office_b"),
    ),
    Row(
        "list users with their e-mail and phone",
        "tasks",
        "GET",
        lambda w: "/v1/users",
        allowed=("admin", "office_a"),
        refused=("clerk_a", "key_scoring_write", "key_unit_scoring_read"),
    ),
    Row(
        "create a user",
        "tasks",
        "POST",
        lambda w: "/v1/users",
        lambda w: {"username": unique("u-"), "password": "Zl-4kq-9wX!p", "roles": ["admin"]},
        allowed=("admin",),
        refused=("office_a", "office_b", "clerk_a", "leader", "key_scoring_write"),
    ),
    Row(
        "reset another user's password",
        "tasks",
        "POST",
        lambda w: f"/v1/users/{w['spare']['id']}/reset-password",
        lambda w: {},
        allowed=("admin",),
        refused=("office_a", "office_b", "clerk_a", "leader", "key_read", "key_scoring_write"),
    ),
    Row(
        "deactivate a user",
        "tasks",
        "POST",
        lambda w: f"/v1/users/{w['spare']['id']}/deactivate",
        allowed=("admin",),
        refused=("office_a", "office_b", "clerk_a", "leader", "key_scoring_write"),
    ),
    Row(
        "activate a user again",
        "tasks",
        "POST",
        lambda w: f"/v1/users/{w['spare']['id']}/activate",
        allowed=("admin",),
        refused=("office_a", "clerk_a", "leader", "key_scoring_write"),
    ),
    Row(
        "issue an API key",
        "tasks",
        "POST",
        lambda w: "/v1/api-keys",
        lambda w: {"name": unique("key-"), "scopes": ["tasks:write"]},
        allowed=("admin",),
        refused=("office_a", "office_b", "clerk_a", "leader", "key_read", "key_scoring_write"),
    ),
]

SCORING_ROWS = [
    Row(
        "add an indicator to plan A",
        "scoring",
        "POST",
        lambda w: "/v1/indicators",
        lambda w: {
            "plan_id": _a(w, "plan", "id"),
            "name": unique("指标-"),
            "unit": "%",
            "comparator": ">=",
            "target": 80,
            "weight": 5,
            "rule": {"kind": "pass_fail"},
        },
        allowed=("office_a", "admin"),
        refused=("office_b", "clerk_a", "clerk_b", "leader", "key_read", "key_unit_scoring_read"),
    ),
    Row(
        "change plan A's indicator",
        "scoring",
        "PATCH",
        lambda w: f"/v1/indicators/{_a(w, 'indicator', 'id')}",
        lambda w: {"target": 91},
        etag_from=lambda w: f"/v1/indicators/{_a(w, 'indicator', 'id')}",
        allowed=("office_a",),
        refused=("office_b", "clerk_a", "clerk_b", "leader", "key_read", "key_unit_scoring_read"),
    ),
    Row(
        "enter unit A's value of plan A's indicator",
        "scoring",
        "POST",
        lambda w: f"/v1/indicators/{_a(w, 'indicator', 'id')}/values",
        lambda w: {"unit_id": _a(w, "unit", "id"), "period": "2026", "value": 95},
        allowed=("clerk_a",),
        refused=("clerk_b", "office_b", "leader", "key_read", "key_unit_scoring_read"),
        extra={"repeat_ok": (409,)},
    ),
    Row(
        "enter its own value of another plan's indicator (a unit plan A does not involve)",
        "scoring",
        "POST",
        lambda w: f"/v1/indicators/{_a(w, 'indicator', 'id')}/values",
        lambda w: {"period": "2026", "value": 99},
        refused=("clerk_b",),
    ),
]

NOTIFY_ROWS = [
    Row(
        "set plan A's reminder rules",
        "notify",
        "PUT",
        lambda w: f"/v1/rules/{_a(w, 'plan', 'id')}",
        lambda w: {"rules": {"urge_every_workdays": 3}},
        etag_from=lambda w: f"/v1/rules/{_a(w, 'plan', 'id')}",
        allowed=("office_a", "admin"),
        refused=("office_b", "clerk_a", "clerk_b", "leader", "key_read", "key_scoring_write"),
    ),
    Row(
        "set the rules every plan without its own follows",
        "notify",
        "PUT",
        lambda w: "/v1/rules/0",
        lambda w: {"rules": {"urge_every_workdays": 2}},
        etag_from=lambda w: "/v1/rules/0",
        allowed=("admin",),
        refused=("office_a", "office_b", "clerk_a", "leader", "key_read", "key_scoring_write"),
    ),
    Row(
        "compile plan A's bulletin into every unit's inbox",
        "notify",
        "POST",
        lambda w: "/v1/bulletins",
        lambda w: {"plan_id": _a(w, "plan", "id"), "period_due_on": "2026-11-30"},
        allowed=("office_a",),
        refused=("office_b", "clerk_a", "clerk_b", "leader", "key_read", "key_scoring_write"),
    ),
    Row(
        "a calendar URL for unit A's deadlines",
        "notify",
        "POST",
        lambda w: "/v1/feeds/tokens",
        lambda w: {"unit_id": _a(w, "unit", "id")},
        allowed=("clerk_a", "office_a"),
        refused=("clerk_b", "key_read", "key_scoring_write", "key_unit_scoring_read"),
    ),
]


async def _check(clients: dict[str, httpx.AsyncClient], world: dict[str, Any], rows: list[Row]) -> list[str]:
    misses: list[str] = []
    admin = world["admin"]["headers"]
    for row in rows:
        client = clients[row.service]
        # the refused first: a refusal must not be the side effect of an allowed change made before it
        for actor, want_ok in [*((a, False) for a in row.refused), *((a, True) for a in row.allowed)]:
            headers = dict(world[actor]["headers"])
            if row.etag_from is not None:
                current = await client.get(row.etag_from(world), headers=admin)
                assert current.status_code == 200, (row.what, current.text)
                headers["If-Match"] = current.headers["etag"]
            body = row.body(world) if row.body else None
            r = await client.request(row.method, row.path(world), json=body, headers=headers)
            ok = r.status_code in row.ok or r.status_code in row.extra.get("repeat_ok", ())
            if want_ok and not ok:
                misses.append(f"{row.what}: {actor} should be allowed, got {r.status_code} {r.text[:160]}")
            if not want_ok and r.status_code not in REFUSED:
                misses.append(f"{row.what}: {actor} should be refused, got {r.status_code} {r.text[:160]}")
    return misses


async def test_tasks_api_matrix(services, world):
    assert not (misses := await _check(services, world, TASKS_ROWS)), "\n".join(misses)


async def test_scoring_api_matrix(services, world):
    assert not (misses := await _check(services, world, SCORING_ROWS)), "\n".join(misses)


async def test_notify_matrix(services, world):
    assert not (misses := await _check(services, world, NOTIFY_ROWS)), "\n".join(misses)
