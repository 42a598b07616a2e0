"""Group-chat robots: WeCom (企业微信群机器人), DingTalk (钉钉自定义机器人) and Feishu (飞书自定义机器人).

Each robot's webhook URL is itself the credential (it carries the key or token), so it is a SecretStr.
All three answer HTTP 200 for most failures and put the verdict in the JSON body, so the body decides.

WeCom    POST {webhook_url}  (…/cgi-bin/webhook/send?key=KEY)
         {"msgtype": "markdown", "markdown": {"content": …}}  or
         {"msgtype": "text", "text": {"content": …, "mentioned_mobile_list": […]}}
         → {"errcode": 0, "errmsg": "ok"}; -1 (busy) and 45009 (over 20 a minute) are retried.
DingTalk POST {webhook_url}&timestamp=MS&sign=SIGN  (…/robot/send?access_token=TOKEN)
         加签: SIGN = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{MS}\\n{secret}"))), MS in milliseconds,
         accepted within an hour of DingTalk's clock.
         {"msgtype": "markdown", "markdown": {"title": …, "text": …}, "at": {"atMobiles": […], "isAtAll": …}}
         → {"errcode": 0, "errmsg": "ok"}; -1 and 130101 (over 20 a minute) are retried.
Feishu   POST {webhook_url}  (…/open-apis/bot/v2/hook/TOKEN)
         签名校验: "timestamp" (seconds, as a string) and "sign" = base64(HMAC-SHA256(key=f"{ts}\\n{secret}", msg=b""))
         go in the body next to the message: note the key/message are the other way round from DingTalk.
         {"timestamp": …, "sign": …, "msg_type": "interactive", "card": {header, elements: [{"tag": "markdown"}]}}
         or {"msg_type": "text", "content": {"text": …}} → {"code": 0, "msg": "success"}; 11232 (rate limit) is retried.

Any other non-zero code (bad key, sign mismatch, keyword or IP check failed, bad request) is permanent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any, Literal

import httpx
from pydantic import Field, SecretStr, field_validator

from luoshi_notify.channels.base import (
    ChannelBase,
    OutboundMessage,
    SendResult,
    http_url,
    json_body,
    retryable_status,
    scrub,
    status_result,
    transport_failure,
)

WECOM_TEXT_BYTES = 2048  # vendor limits on content, in UTF-8 bytes
WECOM_MARKDOWN_BYTES = 4096
WECOM_RETRY = frozenset({-1, 45009})
DINGTALK_RETRY = frozenset({-1, 130101})
FEISHU_RETRY = frozenset({11232})


class _Robot(ChannelBase):
    webhook_url: SecretStr
    msgtype: Literal["markdown", "text"] = "markdown"

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: SecretStr) -> SecretStr:
        http_url(value.get_secret_value())
        return value


class WeComConfig(_Robot):
    kind: Literal["wecom"] = "wecom"
    mention_mobiles: list[str] = Field(default_factory=list)  # text messages only: WeCom markdown cannot @ anyone
    mention_all: bool = False


class DingTalkConfig(_Robot):
    kind: Literal["dingtalk"] = "dingtalk"
    secret: SecretStr | None = None  # the SEC… string shown under 加签; None when the robot uses keywords or IPs
    mention_mobiles: list[str] = Field(default_factory=list)
    mention_all: bool = False


class FeishuConfig(_Robot):
    kind: Literal["feishu"] = "feishu"
    secret: SecretStr | None = None  # the 签名校验 key; None when the bot uses keywords or IPs
    mention_all: bool = False


def truncate_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - len("…".encode())].decode("utf-8", "ignore") + "…"


def markdown_of(message: OutboundMessage) -> str:
    return message.markdown if message.markdown else f"### {message.subject}\n\n{message.text}"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """base64 of the HMAC; DingTalk wants it URL-encoded in the query, which httpx does."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp: int) -> str:
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def wecom_body(config: WeComConfig, message: OutboundMessage) -> dict[str, Any]:
    if config.msgtype == "markdown":
        return {
            "msgtype": "markdown",
            "markdown": {"content": truncate_bytes(markdown_of(message), WECOM_MARKDOWN_BYTES)},
        }
    text: dict[str, Any] = {"content": truncate_bytes(f"{message.subject}\n{message.text}", WECOM_TEXT_BYTES)}
    mobiles = [*config.mention_mobiles, *(["@all"] if config.mention_all else [])]
    if mobiles:
        text["mentioned_mobile_list"] = mobiles
    return {"msgtype": "text", "text": text}


def dingtalk_body(config: DingTalkConfig, message: OutboundMessage) -> dict[str, Any]:
    # DingTalk only notifies an @mobile that also appears in the content.
    ats = " ".join(f"@{m}" for m in config.mention_mobiles)
    at = {"atMobiles": config.mention_mobiles, "isAtAll": config.mention_all}
    if config.msgtype == "markdown":
        text = markdown_of(message) + (f"\n\n{ats}" if ats else "")
        return {"msgtype": "markdown", "markdown": {"title": message.subject, "text": text}, "at": at}
    content = f"{message.subject}\n{message.text}" + (f"\n{ats}" if ats else "")
    return {"msgtype": "text", "text": {"content": content}, "at": at}


def feishu_body(config: FeishuConfig, message: OutboundMessage, timestamp: int) -> dict[str, Any]:
    body: dict[str, Any]
    if config.msgtype == "markdown":
        content = (message.markdown or message.text) + ("\n<at id=all></at>" if config.mention_all else "")
        body = {
            "msg_type": "interactive",
            "card": {
                "header": {"title": {"tag": "plain_text", "content": message.subject}, "template": "blue"},
                "elements": [{"tag": "markdown", "content": content}],
            },
        }
    else:
        text = f"{message.subject}\n{message.text}"
        if config.mention_all:
            text += '\n<at user_id="all">所有人</at>'
        body = {"msg_type": "text", "content": {"text": text}}
    if config.secret is not None:
        body = {"timestamp": str(timestamp), "sign": feishu_sign(config.secret.get_secret_value(), timestamp), **body}
    return body


def robot_result(
    vendor: str, response: httpx.Response, code_fields: tuple[str, ...], retry_codes: frozenset[int], *secrets: Any
) -> SendResult:
    data = json_body(response)
    code = msg = None
    if data is not None:
        code = next((data[f] for f in code_fields if isinstance(data.get(f), int)), None)
        msg = data.get("errmsg") or data.get("msg") or data.get("StatusMessage")
    if code == 0 and 200 <= response.status_code < 300:
        return SendResult.success(f"{vendor} ok")
    if code is not None and code != 0:
        retryable = code in retry_codes or retryable_status(response.status_code)
        return SendResult.failure(scrub(f"{vendor} error {code}: {msg or ''}", *secrets), retryable=retryable)
    failed = status_result(response)
    if failed is not None:
        return failed.model_copy(update={"detail": scrub(f"{vendor} {failed.detail}", *secrets)})
    # 2xx with no verdict: not the vendor answering (a proxy page?), so the URL is wrong.
    return SendResult.failure(f"{vendor}: unexpected response without a result code", retryable=False)


def url_secrets(url: str) -> list[str]:
    """The parts of a robot URL that are credentials: the query values and the last path segment."""
    parts = httpx.URL(url)
    token = parts.path.rsplit("/", 1)[-1]
    # Length floors keep words like "send" in a reason readable; keys and tokens are far longer.
    return [url, *(v for _, v in parts.params.multi_items() if len(v) >= 6), *([token] if len(token) >= 16 else [])]


async def _post(
    vendor: str, url: str | httpx.URL, body: dict[str, Any], config: _Robot, http: httpx.AsyncClient, secrets: list[Any]
) -> httpx.Response | SendResult:
    try:
        return await http.post(url, json=body, timeout=config.timeout_seconds)
    except httpx.HTTPError as exc:
        failed = transport_failure(exc, *secrets)
        return failed.model_copy(update={"detail": f"{vendor} {failed.detail}"})


async def send_wecom(config: WeComConfig, message: OutboundMessage, *, http: httpx.AsyncClient) -> SendResult:
    url = config.webhook_url.get_secret_value()
    secrets = url_secrets(url)
    response = await _post("wecom", url, wecom_body(config, message), config, http, secrets)
    if isinstance(response, SendResult):
        return response
    return robot_result("wecom", response, ("errcode",), WECOM_RETRY, *secrets)


async def send_dingtalk(config: DingTalkConfig, message: OutboundMessage, *, http: httpx.AsyncClient) -> SendResult:
    raw = config.webhook_url.get_secret_value()
    secrets = [*url_secrets(raw), config.secret]
    url = httpx.URL(raw)
    if config.secret is not None:
        now_ms = int(time.time() * 1000)
        sign = dingtalk_sign(config.secret.get_secret_value(), now_ms)
        url = url.copy_merge_params({"timestamp": str(now_ms), "sign": sign})
    response = await _post("dingtalk", url, dingtalk_body(config, message), config, http, secrets)
    if isinstance(response, SendResult):
        return response
    return robot_result("dingtalk", response, ("errcode",), DINGTALK_RETRY, *secrets)


async def send_feishu(config: FeishuConfig, message: OutboundMessage, *, http: httpx.AsyncClient) -> SendResult:
    url = config.webhook_url.get_secret_value()
    secrets = [*url_secrets(url), config.secret]
    body = feishu_body(config, message, int(time.time()))
    response = await _post("feishu", url, body, config, http, secrets)
    if isinstance(response, SendResult):
        return response
    return robot_result("feishu", response, ("code", "StatusCode"), FEISHU_RETRY, *secrets)
