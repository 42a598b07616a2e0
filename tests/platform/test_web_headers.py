"""What every answer carries and what a browser may do (finding 9 of issue 14): security headers on every
service, /docs served from the service itself (it loaded Swagger UI from a CDN, blank on an intranet), CORS only
for the origins an operator lists (every preflight was a 405), feed links from PUBLIC_BASE_URL, not the Host
header."""

from __future__ import annotations

import re

import httpx
import pytest


@pytest.mark.parametrize("name", ["tasks", "scoring", "notify"])
async def test_every_answer_carries_the_security_headers(services, admin, name):
    client = services[name]
    for r in (await client.get("/v1/me", headers=admin["headers"]), await client.get("/v1/no-such-thing")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    signed_in = await client.get("/v1/me", headers=admin["headers"])
    assert signed_in.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("name", ["tasks", "scoring", "notify"])
async def test_docs_load_nothing_from_outside_the_service(services, name):
    client = services[name]
    page = await client.get("/docs")
    assert page.status_code == 200
    assert not re.findall(r"(?:src|href)=\"(?:https?:)?//", page.text), "an asset from another site"
    for asset in re.findall(r"(?:src|href)=\"([^\"]+)\"", page.text):
        assert (await client.get(f"/{asset}")).status_code == 200, asset


async def test_cors_only_for_the_listed_origins(database_url, key_dir, tasks_app):
    from tests.conftest import _downstream

    app = await _downstream(
        "luoshi_scoring", "ScoringSettings", database_url, key_dir, tasks_app, cors_origins=["https://console.gov.cn"]
    )
    preflight = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://scoring") as client:
        ok = await client.options("/v1/me", headers={"Origin": "https://console.gov.cn", **preflight})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://console.gov.cn"
        other = await client.options("/v1/me", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in other.headers


async def test_no_cors_by_default(scoring):
    r = await scoring.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


async def test_a_feed_link_does_not_follow_the_host_header(notify, notify_app, make_user, make_unit):
    unit = await make_unit()
    clerk = await make_user("unit", unit_id=unit["id"])
    notify_app.state.settings.public_base_url = "https://luoshi.example.gov.cn"
    try:
        r = await notify.post(
            "/v1/feeds/tokens", json={"unit_id": unit["id"]}, headers=clerk["headers"] | {"Host": "evil.example"}
        )
    finally:
        notify_app.state.settings.public_base_url = ""
    assert r.status_code == 201, r.text
    assert r.json()["url"].startswith("https://luoshi.example.gov.cn/v1/feeds/units/")
