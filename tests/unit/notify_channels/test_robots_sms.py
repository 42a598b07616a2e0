"""WeCom, DingTalk and Feishu robots and the SMS gateway against loopback stand-ins for the vendors. The stand-ins
check signatures the way the vendors' documentation computes them, written out here independently of the code
under test, and answer failures the way the vendors do: HTTP 200 with a non-zero code in the body."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, quote_plus

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from luoshi_notify.channels import (
    DingTalkConfig,
    FeishuConfig,
    OutboundMessage,
    SmsConfig,
    WeComConfig,
    channel_adapter,
    redacted,
    send,
)
from luoshi_notify.channels.outbound import OutboundHttp
from luoshi_notify.channels.robots import WECOM_MARKDOWN_BYTES
from tests.unit.notify_channels import free_port, serve

WECOM_KEY = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN = "566cc69da782ec0123456789abcdef"
DING_SECRET = "SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc"
FEISHU_TOKEN = "5e3d587e-d78e-4a07-bd07-265f269f86fd"
FEISHU_LIMITED = "11111111-2222-3333-4444-555555555555"
FEISHU_SECRET = "nIMtb7r3N9pkXyXdtAbx6e"
SMS_TOKEN = "sms-gateway-token"
received: list[tuple[str, Any]] = []


async def wecom(request: Request) -> Response:
    key = request.query_params.get("key")
    body = await request.json()
    received.append(("wecom", body))
    if key == "down-" + WECOM_KEY:
        return Response("bad gateway", status_code=502)
    if key == "busy-" + WECOM_KEY:
        return JSONResponse({"errcode": 45009, "errmsg": "api freq out of limit"})
    if key != WECOM_KEY:
        return JSONResponse({"errcode": 93000, "errmsg": f"invalid webhook url, hint: key {key}"})
    assert body["msgtype"] in body
    return JSONResponse({"errcode": 0, "errmsg": "ok"})


async def dingtalk(request: Request) -> Response:
    # DingTalk: sign = urlEncode(base64(HmacSHA256(key=secret, data=timestamp + "\n" + secret))), ms timestamp.
    query = parse_qs(request.url.query)  # decodes as a server does, '+' as space included
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    body = await request.json()
    received.append(("dingtalk", {"query": request.url.query, "body": body}))
    string_to_sign = f"{timestamp}\n{DING_SECRET}".encode()
    expected = base64.b64encode(hmac.new(DING_SECRET.encode(), string_to_sign, hashlib.sha256).digest()).decode()
    fresh = abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
    if query["access_token"] != [DING_TOKEN] or sign != expected or not fresh:
        return JSONResponse({"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/]"})
    assert f"sign={quote_plus(expected)}" in request.url.query
    return JSONResponse({"errcode": 0, "errmsg": "ok"})


async def feishu(request: Request) -> Response:
    # Feishu: sign = base64(HmacSHA256(key=timestamp + "\n" + secret, data="")), s timestamp, both in the body.
    body = await request.json()
    received.append(("feishu", body))
    if request.path_params["token"] == FEISHU_LIMITED:
        return JSONResponse({"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]", "data": {}})
    timestamp = body.get("timestamp", "")
    key = f"{timestamp}\n{FEISHU_SECRET}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 3600
    if request.path_params["token"] != FEISHU_TOKEN or body.get("sign") != expected or not fresh:
        msg = "sign match fail or timestamp is not within one hour from current time"
        return JSONResponse({"code": 19021, "data": {}, "msg": msg})
    return JSONResponse({"code": 0, "msg": "success", "data": {}, "StatusCode": 0, "StatusMessage": "success"})


async def sms(request: Request) -> Response:
    if request.headers.get("authorization") != f"Bearer {SMS_TOKEN}":
        return JSONResponse({"error": "unauthorized"}, status_code=401)
    body = await request.json()
    received.append(("sms", body))
    phone = body["mobiles"][0]
    if phone == "13700000000":
        return Response("overloaded", status_code=503)
    if phone == "13900000000":
        return JSONResponse({"result": {"code": "BLACKLISTED", "message": "号码在黑名单中"}})
    return JSONResponse({"result": {"code": "OK", "msgid": "m-20250401-0001"}})


app = Starlette(
    routes=[
        Route("/cgi-bin/webhook/send", wecom, methods=["POST"]),
        Route("/robot/send", dingtalk, methods=["POST"]),
        Route("/open-apis/bot/v2/hook/{token}", feishu, methods=["POST"]),
        Route("/api/sms/send", sms, methods=["POST"]),
    ]
)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
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
        "event_id": "escalate:task-9:2025-04-02",
        "kind": "escalate",
        "subject": "逾期督办：道路改造项目",
        "text": "城关镇承办的道路改造项目已逾期2个工作日。",
        "markdown": '**逾期督办**\n> 城关镇 · 道路改造项目\n> 已逾期 <font color="warning">2</font> 个工作日',
    }
    return OutboundMessage(**(fields | changes))


# WeCom


async def test_wecom_markdown(base: str, http: httpx.AsyncClient) -> None:
    cfg = WeComConfig(webhook_url=f"{base}/cgi-bin/webhook/send?key={WECOM_KEY}")
    result = await send(cfg, message(), http=http)
    assert result.ok, result.detail
    [(_, body)] = received
    assert body == {"msgtype": "markdown", "markdown": {"content": message().markdown}}


async def test_wecom_text_with_mentions(base: str, http: httpx.AsyncClient) -> None:
    cfg = WeComConfig(
        webhook_url=f"{base}/cgi-bin/webhook/send?key={WECOM_KEY}",
        msgtype="text",
        mention_mobiles=["13800001111"],
        mention_all=True,
    )
    assert (await send(cfg, message(), http=http)).ok
    body = received[0][1]
    assert body["text"]["content"] == "逾期督办：道路改造项目\n城关镇承办的道路改造项目已逾期2个工作日。"
    assert body["text"]["mentioned_mobile_list"] == ["13800001111", "@all"]


async def test_wecom_errcode_on_http_200_is_a_permanent_failure(base: str, http: httpx.AsyncClient) -> None:
    cfg = WeComConfig(webhook_url=f"{base}/cgi-bin/webhook/send?key=wrong-key-0123456789")
    result = await send(cfg, message(), http=http)
    assert not result.ok and not result.retryable
    assert "93000" in result.detail
    assert "wrong-key-0123456789" not in result.detail  # the key is a credential, even when echoed back


async def test_wecom_rate_limit_and_5xx_are_retryable(base: str, http: httpx.AsyncClient) -> None:
    busy = await send(
        WeComConfig(webhook_url=f"{base}/cgi-bin/webhook/send?key=busy-{WECOM_KEY}"), message(), http=http
    )
    assert not busy.ok and busy.retryable and "45009" in busy.detail
    down = await send(
        WeComConfig(webhook_url=f"{base}/cgi-bin/webhook/send?key=down-{WECOM_KEY}"), message(), http=http
    )
    assert not down.ok and down.retryable and "HTTP 502" in down.detail


async def test_wecom_long_markdown_is_cut_to_the_byte_limit(base: str, http: httpx.AsyncClient) -> None:
    cfg = WeComConfig(webhook_url=f"{base}/cgi-bin/webhook/send?key={WECOM_KEY}")
    assert (await send(cfg, message(markdown="督办" * 2000), http=http)).ok
    content = received[0][1]["markdown"]["content"]
    assert len(content.encode()) <= WECOM_MARKDOWN_BYTES and content.endswith("…")


# DingTalk


async def test_dingtalk_signed_markdown(base: str, http: httpx.AsyncClient) -> None:
    cfg = DingTalkConfig(
        webhook_url=f"{base}/robot/send?access_token={DING_TOKEN}", secret=DING_SECRET, mention_mobiles=["13800001111"]
    )
    result = await send(cfg, message(), http=http)
    assert result.ok, result.detail
    body = received[0][1]["body"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "逾期督办：道路改造项目"
    assert body["markdown"]["text"].endswith("@13800001111")
    assert body["at"] == {"atMobiles": ["13800001111"], "isAtAll": False}


async def test_dingtalk_signs_every_request_anew(base: str, http: httpx.AsyncClient) -> None:
    cfg = DingTalkConfig(webhook_url=f"{base}/robot/send?access_token={DING_TOKEN}", secret=DING_SECRET, msgtype="text")
    for _ in range(3):
        assert (await send(cfg, message(), http=http)).ok
    assert received[0][1]["body"]["text"]["content"].startswith("逾期督办")


async def test_dingtalk_wrong_secret_is_permanent(base: str, http: httpx.AsyncClient) -> None:
    cfg = DingTalkConfig(webhook_url=f"{base}/robot/send?access_token={DING_TOKEN}", secret="SECnot-the-secret")
    result = await send(cfg, message(), http=http)
    assert not result.ok and not result.retryable
    assert "310000" in result.detail and DING_TOKEN not in result.detail


# Feishu


async def test_feishu_signed_card(base: str, http: httpx.AsyncClient) -> None:
    cfg = FeishuConfig(webhook_url=f"{base}/open-apis/bot/v2/hook/{FEISHU_TOKEN}", secret=FEISHU_SECRET)
    result = await send(cfg, message(), http=http)
    assert result.ok, result.detail
    body = received[0][1]
    assert body["msg_type"] == "interactive"
    assert isinstance(body["timestamp"], str)
    assert body["card"]["header"]["title"]["content"] == "逾期督办：道路改造项目"
    assert body["card"]["elements"] == [{"tag": "markdown", "content": message().markdown}]


async def test_feishu_signed_text(base: str, http: httpx.AsyncClient) -> None:
    cfg = FeishuConfig(
        webhook_url=f"{base}/open-apis/bot/v2/hook/{FEISHU_TOKEN}",
        secret=FEISHU_SECRET,
        msgtype="text",
        mention_all=True,
    )
    assert (await send(cfg, message(), http=http)).ok
    assert received[0][1]["content"]["text"].endswith('<at user_id="all">所有人</at>')


async def test_feishu_sign_failure_is_permanent_and_rate_limit_retryable(base: str, http: httpx.AsyncClient) -> None:
    wrong = FeishuConfig(webhook_url=f"{base}/open-apis/bot/v2/hook/{FEISHU_TOKEN}", secret="not-the-secret")
    result = await send(wrong, message(), http=http)
    assert not result.ok and not result.retryable and "19021" in result.detail
    # Without a secret nothing is signed, and a bot that checks signatures refuses it.
    unsigned = FeishuConfig(webhook_url=f"{base}/open-apis/bot/v2/hook/{FEISHU_TOKEN}")
    result = await send(unsigned, message(), http=http)
    assert not result.ok and "19021" in result.detail
    assert "sign" not in received[-1][1] and "timestamp" not in received[-1][1]
    limited = FeishuConfig(webhook_url=f"{base}/open-apis/bot/v2/hook/{FEISHU_LIMITED}", secret=FEISHU_SECRET)
    result = await send(limited, message(), http=http)
    assert not result.ok and result.retryable and "11232" in result.detail


async def test_robot_connection_refused_is_retryable_and_hides_the_key(http: httpx.AsyncClient) -> None:
    cfg = WeComConfig(webhook_url=f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key={WECOM_KEY}")
    result = await send(cfg, message(), http=http)
    assert not result.ok and result.retryable and WECOM_KEY not in result.detail


def test_robot_configs_redact_the_webhook_url() -> None:
    cfg = channel_adapter.validate_python(
        {"kind": "feishu", "webhook_url": f"https://open.feishu.cn/open-apis/bot/v2/hook/{FEISHU_TOKEN}", "secret": "s"}
    )
    shown = redacted(cfg)
    assert shown["webhook_url"] == "https://open.feishu.cn/********" and shown["secret"] == "********"
    assert FEISHU_TOKEN not in json.dumps(shown)


# SMS


def sms_config(base: str, **changes: Any) -> SmsConfig:
    fields: dict[str, Any] = {
        "url": f"{base}/api/sms/send",
        "bearer_token": SMS_TOKEN,
        "body_template": {
            "mobiles": ["{phone}"],
            "content": "【落实】{text}",
            "client_ref": "{event_id}",
            "priority": 1,
        },
        "success_field": "result.code",
        "success_value": "OK",
        "id_field": "result.msgid",
    }
    return SmsConfig(**(fields | changes))


async def test_sms_sends_the_rendered_template(base: str, http: httpx.AsyncClient) -> None:
    result = await send(sms_config(base), message(recipient="138-0013-8000"), http=http)
    assert result.ok and result.provider_id == "m-20250401-0001"
    assert received == [
        (
            "sms",
            {
                "mobiles": ["13800138000"],
                "content": "【落实】城关镇承办的道路改造项目已逾期2个工作日。",
                "client_ref": "escalate:task-9:2025-04-02",
                "priority": 1,
            },
        )
    ]


async def test_sms_placeholders_in_the_text_are_not_expanded(base: str, http: httpx.AsyncClient) -> None:
    assert (await send(sms_config(base), message(recipient="13800138000", text="见 {phone} 与 {x}"), http=http)).ok
    assert received[0][1]["content"] == "【落实】见 {phone} 与 {x}"


async def test_sms_gateway_refusal_is_permanent(base: str, http: httpx.AsyncClient) -> None:
    result = await send(sms_config(base), message(recipient="13900000000"), http=http)
    assert not result.ok and not result.retryable and "BLACKLISTED" in result.detail


async def test_sms_5xx_retryable_401_not(base: str, http: httpx.AsyncClient) -> None:
    result = await send(sms_config(base), message(recipient="13700000000"), http=http)
    assert not result.ok and result.retryable
    result = await send(sms_config(base, bearer_token="wrong"), message(recipient="13800138000"), http=http)
    assert not result.ok and not result.retryable and result.detail.startswith("HTTP 401")


async def test_sms_bad_phone_fails_without_a_request(base: str, http: httpx.AsyncClient) -> None:
    result = await send(sms_config(base), message(recipient=""), http=http)
    assert not result.ok and not result.retryable
    assert received == []


async def test_sms_without_success_field_trusts_2xx(base: str, http: httpx.AsyncClient) -> None:
    result = await send(
        sms_config(base, success_field=None, id_field=None), message(recipient="13900000000"), http=http
    )
    assert result.ok and result.provider_id is None
