"""The read by id answered without FastAPI's dependency solver (luoshi.directroute) answers every request as the
solved routes do: the same refusals in the same order, the same row, the same ETag."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, Request, Response

from luoshi.directroute import DirectRoute
from luoshi.inputguard import GuardedRoute
from luoshi.web import CurrentPrincipal
from tests.platform.test_errors import assert_problem


async def test_a_unit_by_id_is_the_unit_the_list_gives_with_its_etag(tasks, office, make_unit):
    unit = await make_unit(short_name="测试", aliases=["别名"])
    got = await tasks.get(f"/v1/units/{unit['id']}", headers=office["headers"])
    assert got.status_code == 200
    (listed,) = (await tasks.get(f"/v1/units?id={unit['id']}", headers=office["headers"])).json()["items"]
    assert got.json() == listed == {**unit, "version": unit["version"]}
    assert got.headers["etag"] and got.headers["x-request-id"] and got.headers["cache-control"] == "no-store"
    again = await tasks.get(f"/v1/units/{unit['id']}", headers={**office["headers"], "If-None-Match": "x"})
    assert again.headers["etag"] == got.headers["etag"]


async def test_refusals_come_in_the_same_order_as_elsewhere(tasks, office):
    # no credential: 401, whether or not the id is one
    assert_problem(await tasks.get("/v1/units/7"), 401, "unauthenticated")
    assert_problem(await tasks.get("/v1/units/abc"), 401, "unauthenticated")
    # not an id: FastAPI's own 422, naming the parameter
    body = assert_problem(await tasks.get("/v1/units/abc", headers=office["headers"]), 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["path", "unit_id"]
    # the input guard still runs first: an unknown filter and an id past bigint, even without a credential
    body = assert_problem(await tasks.get("/v1/units/7?light=red"), 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["query", "light"] and body["errors"][0]["code"] == "unknown_parameter"
    assert_problem(await tasks.get(f"/v1/units/{2**63}"), 422, "validation_failed")
    # a unit that is not there
    assert_problem(await tasks.get("/v1/units/987654321", headers=office["headers"]), 404, "unit_not_found")
    # a token that is not one
    assert_problem(await tasks.get("/v1/units/7", headers={"Authorization": "Bearer x.y.z"}), 401, "unauthenticated")


async def test_a_key_without_the_read_scope_is_refused(tasks, admin, make_unit):
    unit = await make_unit()
    made = await tasks.post(
        "/v1/api-keys", json={"name": "只推送的系统", "scopes": ["tasks:write"]}, headers=admin["headers"]
    )
    assert made.status_code == 201, made.text
    writer = {"X-API-Key": made.json()["key"]}
    assert_problem(await tasks.get(f"/v1/units/{unit['id']}", headers=writer), 403, "forbidden")
    made = await tasks.post(
        "/v1/api-keys", json={"name": "只读的系统", "scopes": ["tasks:read"]}, headers=admin["headers"]
    )
    reader = {"X-API-Key": made.json()["key"]}
    assert (await tasks.get(f"/v1/units/{unit['id']}", headers=reader)).json()["id"] == unit["id"]


def _router_with(endpoint) -> APIRouter:
    router = APIRouter(route_class=GuardedRoute)
    router.add_api_route("/v1/things/{thing_id}", endpoint, methods=["GET"], route_class_override=DirectRoute)
    return router


def test_an_endpoint_that_needs_solving_cannot_be_direct():
    async def with_a_filter(thing_id: int, principal: CurrentPrincipal, request: Request, q: str = "") -> Response:
        return Response()

    async def with_a_text_id(thing_id: str, principal: CurrentPrincipal, request: Request) -> Response:
        return Response()

    async def without_a_principal(thing_id: int, request: Request) -> Response:
        return Response()

    for endpoint in (with_a_filter, with_a_text_id, without_a_principal):
        with pytest.raises(TypeError, match="DirectRoute"):
            _router_with(endpoint)

    async def fine(thing_id: int, principal: CurrentPrincipal, request: Request) -> Response:
        return Response()

    assert isinstance(_router_with(fine).routes[0], DirectRoute)
