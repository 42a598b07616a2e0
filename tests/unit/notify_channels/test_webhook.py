"""Signed webhooks: a real receiver on loopback verifies each request with verify_signature; tampering, a stale
timestamp and a wrong secret are refused; 408/429/5xx are retryable, other 4xx are not."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from luoshi_notify.channels import OutboundMessage, WebhookConfig, channel_adapter, redacted, send
from luoshi_notify.channels.outbound import OutboundHttp
from luoshi_notify.channels.webhook import (
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    verify_signature,
)
from tests.unit.notify_channels import free_port, serve

SECRET = "whsec-测试-0123456789"
received: list[dict[str, Any]] = []


async def hook(request: Request) -> Response:
    body = await request.body()
    verified = verify_signature(
        SECRET, request.headers.get(TIMESTAMP_HEADER), body, request.headers.get(SIGNATURE_HEADER)
    )
    received.append({"headers": dict(request.headers), "body": body, "verified": verified})
    if not verified:
        return JSONResponse({"error": "bad signature"}, status_code=401)
    return JSONResponse({"received": True}, headers={"X-Request-Id": "req-42"})


async def status(request: Request) -> Response:
    return Response("nope", status_code=int(request.path_params["code"]))


app = Starlette(routes=[Route("/hook", hook, methods=["POST"]), Route("/status/{code:int}", status, methods=["POST"])])


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(app) as url:
        yield url


@pytest.fixture(params=["aiohttp", "httpx"])
async def http(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """Delivery sends through aiohttp (OutboundHttp); the channels also take an httpx client: test both."""
    received.clear()
    if request.param == "aiohttp":
        client = OutboundHttp()
        yield client
        await client.aclose()
    else:
        async with httpx.AsyncClient(trust_env=False) as client:
            yield client


def message(**changes: Any) -> OutboundMessage:
    fields: dict[str, Any] = {
        "event_id": "urge:task-17:unit-3:2025-03-01",
        "kind": "urge",
        "subject": "催办：农村人居环境整治任务",
        "text": "请于3月5日前报送进展。",
        "payload": {"task_id": 17, "unit": "城关镇", "due": "2025-03-05"},
    }
    return OutboundMessage(**(fields | changes))


def config(url: str, secret: str = SECRET) -> WebhookConfig:
    return WebhookConfig(url=url, secret=secret)


async def test_good_send_is_verified_and_carries_the_event(base_url: str, http: httpx.AsyncClient) -> None:
    result = await send(config(f"{base_url}/hook"), message(), http=http)
    assert result.ok and not result.retryable
    assert result.provider_id == "req-42"
    [got] = received
    assert got["verified"]
    assert got["headers"][EVENT_HEADER.lower()] == "urge:task-17:unit-3:2025-03-01"
    assert got["headers"]["content-type"].startswith("application/json")
    body = json.loads(got["body"])
    assert set(body) == {"event_id", "kind", "subject", "text", "payload", "sent_at"}
    assert body["subject"] == "催办：农村人居环境整治任务"
    assert body["payload"] == {"task_id": 17, "unit": "城关镇", "due": "2025-03-05"}
    assert body["sent_at"].endswith("Z")
    # The signature is over f"{timestamp}.{body}" exactly, hex, with the sha256= prefix.
    ts = got["headers"][TIMESTAMP_HEADER.lower()]
    assert got["headers"][SIGNATURE_HEADER.lower()] == sign(SECRET, ts, got["body"])


async def test_tampering_is_rejected_by_the_verifier(base_url: str, http: httpx.AsyncClient) -> None:
    await send(config(f"{base_url}/hook"), message(), http=http)
    [got] = received
    ts, sig, body = got["headers"][TIMESTAMP_HEADER.lower()], got["headers"][SIGNATURE_HEADER.lower()], got["body"]
    assert verify_signature(SECRET, ts, body, sig)
    assert not verify_signature(SECRET, ts, body.replace("3月5日".encode(), "3月9日".encode()), sig)
    assert not verify_signature(SECRET, ts, body, sig[:-1] + ("0" if sig[-1] != "0" else "1"))
    assert not verify_signature(SECRET, str(int(ts) + 1), body, sig)
    assert not verify_signature("another-secret", ts, body, sig)
    assert not verify_signature(SECRET, ts, body, sig.removeprefix("sha256="))
    assert not verify_signature(SECRET, None, body, sig)
    assert not verify_signature(SECRET, ts, body, None)
    assert not verify_signature(SECRET, "12e3", body, sig)


async def test_tampered_body_sent_to_the_receiver_is_refused(base_url: str, http: httpx.AsyncClient) -> None:
    await send(config(f"{base_url}/hook"), message(), http=http)
    headers = {k: v for k, v in received[0]["headers"].items() if k.startswith("x-luoshi")}
    forged = received[0]["body"].replace(b'"urge"', b'"bulletin"')
    response = await http.post(f"{base_url}/hook", content=forged, headers=headers)
    assert response.status_code == 401
    assert received[-1]["verified"] is False


async def test_wrong_secret_is_refused_and_not_retried(base_url: str, http: httpx.AsyncClient) -> None:
    result = await send(config(f"{base_url}/hook", secret="not-the-shared-secret"), message(), http=http)
    assert not result.ok and not result.retryable
    assert result.detail.startswith("HTTP 401")
    assert received[-1]["verified"] is False


async def test_stale_timestamp_is_rejected(base_url: str, http: httpx.AsyncClient) -> None:
    await send(config(f"{base_url}/hook"), message(), http=http)
    got = received[0]
    ts, sig = int(got["headers"][TIMESTAMP_HEADER.lower()]), got["headers"][SIGNATURE_HEADER.lower()]
    assert verify_signature(SECRET, ts, got["body"], sig, now=ts + 299)
    assert not verify_signature(SECRET, ts, got["body"], sig, now=ts + 301)
    assert not verify_signature(SECRET, ts, got["body"], sig, now=ts - 301)  # from the future
    assert verify_signature(SECRET, ts, got["body"], sig, now=ts + 3000, tolerance_seconds=3600)

    # A correctly signed request whose timestamp is 20 minutes old (a captured replay) is refused live.
    old = ts - 1200
    headers = {TIMESTAMP_HEADER: str(old), SIGNATURE_HEADER: sign(SECRET, old, got["body"]), EVENT_HEADER: "x"}
    response = await http.post(f"{base_url}/hook", content=got["body"], headers=headers)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("code", "retryable"),
    [(500, True), (502, True), (503, True), (408, True), (429, True), (400, False), (404, False), (410, False)],
)
async def test_status_classification(base_url: str, http: httpx.AsyncClient, code: int, retryable: bool) -> None:
    result = await send(config(f"{base_url}/status/{code}"), message(), http=http)
    assert not result.ok
    assert result.retryable is retryable
    assert result.detail.startswith(f"HTTP {code}")


async def test_redirect_is_not_followed_nor_retried(base_url: str, http: httpx.AsyncClient) -> None:
    result = await send(config(f"{base_url}/status/302"), message(), http=http)
    assert not result.ok and not result.retryable


async def test_connection_refused_is_retryable(http: httpx.AsyncClient) -> None:
    result = await send(config(f"http://127.0.0.1:{free_port()}/hook"), message(), http=http)
    assert not result.ok and result.retryable
    assert "ConnectError" in result.detail


def test_config_round_trip_and_redaction() -> None:
    cfg = channel_adapter.validate_python({"kind": "webhook", "url": "https://hooks.example.cn/luoshi", "secret": "s3"})
    assert isinstance(cfg, WebhookConfig)
    shown = redacted(cfg)
    assert shown["secret"] == "********" and shown["url"] == "https://hooks.example.cn/luoshi"
    assert "s3" not in json.dumps(shown)
    with pytest.raises(ValueError):
        channel_adapter.validate_python({"kind": "webhook", "url": "ftp://x", "secret": "s"})
    with pytest.raises(ValueError):
        OutboundMessage(event_id="含中文", kind="remind", subject="s", text="t")
