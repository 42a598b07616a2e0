"""A bug that escapes every handler is still answered as the API promises: a problem+json 500 with the request
id, on a connection that stays open. Found by the probe of issue 14: the 500s carried no X-Request-ID and
uvicorn dropped the keep-alive connection, so the client's next request was reset."""

from __future__ import annotations

import httpx
from fastapi import APIRouter

from luoshi.inputguard import GuardedRoute
from luoshi.settings import BaseServiceSettings
from luoshi.web import create_app
from tests.unit.notify_channels import serve


def _app_with_a_bug():
    router = APIRouter(route_class=GuardedRoute)

    @router.get("/v1/bug", operation_id="bug")
    async def bug() -> dict[str, str]:
        raise RuntimeError("a bug no handler knows")

    @router.get("/v1/fine", operation_id="fine")
    async def fine() -> dict[str, str]:
        return {"ok": "yes"}

    settings = BaseServiceSettings(service_name="probe", database_url="postgresql://unused/unused")
    return create_app(settings=settings, title="probe", description="probe", routers=[router])


def test_an_unhandled_error_is_a_typed_500_with_the_request_id_and_the_connection_stays_open() -> None:
    opened: list[object] = []

    def count_connections(event: str, info: dict) -> None:
        if event == "connection.connect_tcp.complete":
            opened.append(info)

    with serve(_app_with_a_bug()) as base, httpx.Client(base_url=base) as client:
        broken = client.get("/v1/bug", headers={"X-Request-ID": "probe-500"}, extensions={"trace": count_connections})
        after = client.get("/v1/fine", extensions={"trace": count_connections})

    assert broken.status_code == 500
    assert broken.headers["content-type"].startswith("application/problem+json")
    assert broken.json()["code"] == "internal_error"
    assert broken.headers["x-request-id"] == "probe-500"
    assert broken.headers["x-content-type-options"] == "nosniff"  # the security headers too
    assert "a bug no handler knows" not in broken.text  # nothing of the internals leaks
    assert after.status_code == 200 and after.json() == {"ok": "yes"}
    assert len(opened) == 1, "the second request needed a new connection: the 500 closed the first"


def test_a_router_without_the_input_guard_is_refused_at_start() -> None:
    # every route must run luoshi.inputguard first: a router that forgot its route class would take NUL bytes and
    # out-of-range ids straight to its handler
    import pytest

    router = APIRouter()

    @router.get("/v1/open")
    async def open_door() -> dict[str, str]:
        return {}

    settings = BaseServiceSettings(service_name="probe", database_url="postgresql://unused/unused")
    with pytest.raises(TypeError, match="/v1/open"):
        create_app(settings=settings, title="probe", description="probe", routers=[router])
