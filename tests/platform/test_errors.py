"""Every error is problem+json with a machine code and both messages."""

import pytest

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["title"] and body["title_zh"]
    assert body["title"] != body["title_zh"]
    return body


@pytest.mark.parametrize("client_name", ["tasks", "scoring", "notify"])
async def test_unknown_route_is_a_problem_in_every_service(client_name, services):
    client = services[client_name]
    body = assert_problem(await client.get("/v1/no-such-thing"), 404, "not_found")
    assert "/v1/no-such-thing" in body["detail"] and "/v1/no-such-thing" in body["detail_zh"]
    assert body["request_id"]


async def test_malformed_body_names_the_problem(tasks, office):
    response = await tasks.post(
        "/v1/units", content=b'{"name": "x"', headers={**office["headers"], "Content-Type": "application/json"}
    )
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["code"] == "json_invalid"
    assert body["errors"][0]["message_zh"]


async def test_wrong_type_names_the_field(tasks, office):
    response = await tasks.post(
        "/v1/units",
        json={"name": "某某局", "kind": "department", "parent_id": "not-a-number"},
        headers=office["headers"],
    )
    body = assert_problem(response, 422, "validation_failed")
    fields = [e["loc"] for e in body["errors"]]
    assert ["body", "parent_id"] in fields
    assert "parent_id" in body["detail"] and "parent_id" in body["detail_zh"]


async def test_wrong_type_in_path(tasks, office):
    body = assert_problem(await tasks.get("/v1/units/abc", headers=office["headers"]), 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["path", "unit_id"]


async def test_missing_field_has_a_chinese_message(tasks, office):
    body = assert_problem(
        await tasks.post("/v1/units", json={"kind": "department"}, headers=office["headers"]), 422, "validation_failed"
    )
    missing = [e for e in body["errors"] if e["loc"] == ["body", "name"]]
    assert missing and missing[0]["message_zh"] == "缺少必填字段"


async def test_method_not_allowed(tasks):
    assert_problem(await tasks.delete("/healthz"), 405, "method_not_allowed")


async def test_bad_cursor_is_a_400(tasks, office):
    body = assert_problem(await tasks.get("/v1/units?cursor=%%%", headers=office["headers"]), 400, "bad_request")
    assert body["errors"][0]["loc"] == ["query", "cursor"]
