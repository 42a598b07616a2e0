"""What every channel shares: the message, the result, and how an HTTP outcome becomes ok / retry / dead letter."""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

ChannelKind = Literal["email", "webhook", "wecom", "dingtalk", "feishu", "sms"]

DETAIL_MAX = 300
MASK = "********"


class OutboundMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # the notification's deterministic key; receivers dedupe on it. Printable ASCII: it travels in HTTP and
    # mail headers and in the Message-ID.
    event_id: str = Field(min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$")
    kind: str  # remind, urge, escalate, bulletin, …
    subject: str
    text: str
    markdown: str | None = None
    recipient: str = ""  # email address, phone, or "" for group robots / webhooks
    payload: dict[str, Any] = {}  # structured data for webhooks


class SendResult(BaseModel):
    ok: bool
    retryable: bool  # False for permanent failures → dead letter
    detail: str  # short reason, shown in the delivery log
    provider_id: str | None = None

    @classmethod
    def success(cls, detail: str = "ok", provider_id: str | None = None) -> SendResult:
        return cls(ok=True, retryable=False, detail=short(detail), provider_id=provider_id)

    @classmethod
    def failure(cls, detail: str, *, retryable: bool) -> SendResult:
        return cls(ok=False, retryable=retryable, detail=short(detail))


class ChannelBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timeout_seconds: float = Field(default=10.0, gt=0, le=120)


def http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http(s) URL")
    return value


class HttpChannel(ChannelBase):
    """Config validator shared by channels whose URL is a plain (non-secret) http(s) address."""

    url: str

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return http_url(value)


def short(text: str, limit: int = DETAIL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def scrub(text: str, *secrets: SecretStr | str | None) -> str:
    """Remove secret values (robot keys live in URLs) from text bound for the delivery log."""
    for secret in secrets:
        value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        if value:
            text = text.replace(value, "***")
    return text


def retryable_status(status: int) -> bool:
    # 408/429 and 5xx are the receiver's temporary trouble; any other 4xx (and an unfollowed 3xx) will not
    # get better by sending the same request again.
    return status in (408, 429) or status >= 500


def status_result(response: httpx.Response) -> SendResult | None:
    """None when the status is 2xx; otherwise the failure it means."""
    if 200 <= response.status_code < 300:
        return None
    reason = f"HTTP {response.status_code}"
    body = response.text.strip() if response.content else ""
    if body:
        reason += f": {body[:120]}"
    return SendResult.failure(reason, retryable=retryable_status(response.status_code))


def transport_failure(exc: httpx.HTTPError, *secrets: SecretStr | str | None) -> SendResult:
    """A request that got no response. Retryable, except a URL we can never reach.

    A timeout after the body left may still have been delivered: the retry carries the same event_id,
    which is what receivers dedupe on."""
    name = type(exc).__name__
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return SendResult.failure(scrub(f"{name}: {exc}", *secrets), retryable=False)
    return SendResult.failure(scrub(f"{name}: {exc}" if str(exc) else name, *secrets), retryable=True)


def json_body(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def masked_url(url: str) -> str:
    """A secret URL shown as its origin only, so an admin can tell which service it points at."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{MASK}" if parts.scheme and parts.netloc else MASK


_CRLF = re.compile(r"[\r\n]")


def no_crlf(value: str) -> str:
    if _CRLF.search(value):
        raise ValueError("must not contain line breaks")
    return value
