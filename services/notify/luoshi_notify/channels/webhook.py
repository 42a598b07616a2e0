"""A signed JSON POST to any HTTPS endpoint, and the check a receiver runs on it.

Request::

    POST <url>
    Content-Type: application/json; charset=utf-8
    X-Luoshi-Event-Id: <event_id>
    X-Luoshi-Timestamp: <unix seconds>
    X-Luoshi-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>

    {"event_id": …, "kind": …, "subject": …, "text": …, "payload": {…}, "sent_at": "2025-01-02T03:04:05Z"}

The signature covers the exact body bytes, so a receiver must verify before parsing. 2xx is delivered;
408, 429, 5xx and network errors are retried; every other status is permanent. A retry is a new request
(new timestamp and signature) with the same event_id: receivers dedupe on it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from datetime import UTC, datetime
from typing import Literal

import httpx
from pydantic import SecretStr
from pydantic_core import to_jsonable_python

from luoshi_notify.channels.base import (
    HttpChannel,
    OutboundMessage,
    SendResult,
    status_result,
    transport_failure,
)

EVENT_HEADER = "X-Luoshi-Event-Id"
TIMESTAMP_HEADER = "X-Luoshi-Timestamp"
SIGNATURE_HEADER = "X-Luoshi-Signature"
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class WebhookConfig(HttpChannel):
    kind: Literal["webhook"] = "webhook"
    secret: SecretStr


def _key(secret: SecretStr | str | bytes) -> bytes:
    if isinstance(secret, SecretStr):
        secret = secret.get_secret_value()
    return secret if isinstance(secret, bytes) else secret.encode("utf-8")


def sign(secret: SecretStr | str | bytes, timestamp: int | str, body: bytes) -> str:
    """The X-Luoshi-Signature value for this timestamp and body."""
    digest = hmac.new(_key(secret), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(
    secret: SecretStr | str | bytes,
    timestamp: int | str | None,
    body: bytes,
    signature: str | None,
    *,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> bool:
    """For receivers: True when the signature matches the raw body and the timestamp is inside the replay window.

    Pass the headers as received (None when missing). Dedupe on X-Luoshi-Event-Id as well: the window only
    stops old captures being replayed, not a replay within it."""
    if timestamp is None or signature is None:
        return False
    ts = str(timestamp)
    if not _TIMESTAMP.fullmatch(ts):
        return False
    current = time.time() if now is None else now
    if abs(current - int(ts)) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, ts, body).encode("ascii"), signature.strip().encode("utf-8", "replace"))


def encode_body(message: OutboundMessage, sent_at: datetime) -> bytes:
    document = {
        "event_id": message.event_id,
        "kind": message.kind,
        "subject": message.subject,
        "text": message.text,
        "payload": to_jsonable_python(message.payload),
        "sent_at": sent_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def send(config: WebhookConfig, message: OutboundMessage, *, http: httpx.AsyncClient) -> SendResult:
    now = datetime.now(UTC).replace(microsecond=0)
    timestamp = int(now.timestamp())
    body = encode_body(message, now)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        EVENT_HEADER: message.event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(config.secret, timestamp, body),
        "User-Agent": "luoshi-notify",
    }
    try:
        response = await http.post(config.url, content=body, headers=headers, timeout=config.timeout_seconds)
    except httpx.HTTPError as exc:
        return transport_failure(exc)
    failed = status_result(response)
    if failed is not None:
        return failed
    return SendResult.success(f"HTTP {response.status_code}", provider_id=response.headers.get("X-Request-Id"))
