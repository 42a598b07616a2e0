"""The OpenAPI documents say what the services do, so a client generated from them is typed right: errors are
`Problem` under application/problem+json, If-Match is required where its absence is a 428, ETag and Location
are declared where they are sent (issue 16, "Typed problems and headers")."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import unique

PROBLEM = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"


async def _specs(services: dict[str, httpx.AsyncClient]) -> dict[str, dict[str, Any]]:
    return {name: (await client.get("/openapi.json")).json() for name, client in services.items()}


def _operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for ops in spec["paths"].values() for op in ops.values()}


async def test_every_error_is_a_typed_problem(services):
    for name, spec in (await _specs(services)).items():
        problem = spec["components"]["schemas"]["Problem"]
        # the members clients branch on, besides the RFC's own
        assert {"code", "title_zh", "errors", "current_etag", "candidates", "allowed"} <= set(problem["properties"])
        assert {"code", "status", "title", "title_zh"} <= set(problem["required"])
        untyped = [
            f"{op['operationId']} {status}"
            for op in _operations(spec).values()
            for status, response in op["responses"].items()
            if status[0] in "45" and response.get("content") != {PROBLEM: {"schema": {"$ref": PROBLEM_REF}}}
        ]
        assert not untyped, f"{name}: errors without the Problem schema: {untyped[:5]}"


async def _plan(tasks: httpx.AsyncClient, office: dict[str, Any], make_unit: Any) -> httpx.Response:
    gov = await make_unit(kind="government", level="county", name=unique("契约县人民政府-"))
    body = {"title": unique("契约方案-"), "issuer": gov["name"], "issued_on": "2026-01-05", "status": "active"}
    return await tasks.post("/v1/plans", json=body, headers=office["headers"])


async def test_if_match_is_required_where_its_absence_is_428(services, office, make_unit):
    tasks = services["tasks"]
    specs = await _specs(services)
    update_plan = _operations(specs["tasks"])["update_plan"]
    if_match = next(p for p in update_plan["parameters"] if p["name"].lower() == "if-match")
    assert if_match["required"] is True and if_match["schema"]["type"] == "string"

    created = await _plan(tasks, office, make_unit)
    url = created.headers["Location"]
    change = {"title": "改过的方案"}
    missing = await tasks.patch(url, json=change, headers=office["headers"])
    assert missing.status_code == 428 and missing.json()["code"] == "if_match_required"
    stale = await tasks.patch(url, json=change, headers={**office["headers"], "If-Match": '"plan-0-v0"'})
    assert stale.status_code == 412 and stale.json()["current_etag"] == created.headers["ETag"]

    # every operation that declares it required answers 428 without it, and says so
    for name, spec in specs.items():
        for op in _operations(spec).values():
            required = [p for p in op.get("parameters", []) if p["name"].lower() == "if-match" and p["required"]]
            if required:
                assert "428" in op["responses"], f"{name} {op['operationId']}"
    # where a first write needs none (a plan's first notify rules), it stays optional
    put_rules = _operations(specs["notify"])["put_rules"]
    assert not next(p for p in put_rules["parameters"] if p["name"].lower() == "if-match")["required"]


async def test_etag_and_location_are_declared_where_sent(services, office, make_unit):
    tasks = services["tasks"]
    operations = _operations((await _specs(services))["tasks"])
    created = await _plan(tasks, office, make_unit)
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] and created.headers["Location"] == f"/v1/plans/{created.json()['id']}"
    assert {"ETag", "Location"} <= set(operations["create_plan"]["responses"]["201"]["headers"])

    read = await tasks.get(created.headers["Location"], headers=office["headers"])
    assert read.headers["ETag"] == created.headers["ETag"]
    assert "ETag" in operations["get_plan"]["responses"]["200"]["headers"]
    assert "ETag" in operations["update_plan"]["responses"]["200"]["headers"]
    assert "Location" in operations["import_breakdown"]["responses"]["202"]["headers"]
