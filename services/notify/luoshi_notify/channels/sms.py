"""SMS through a configurable HTTP gateway (a county's 政务短信 platform or a vendor relay).

Request: ``POST {url}`` with ``Content-Type: application/json`` and, when set, ``Authorization: Bearer <token>``;
the body is ``body_template`` with ``{phone}``, ``{text}``, ``{event_id}``, ``{subject}`` and ``{kind}`` replaced
inside every string value (keys and non-strings are left alone; braces that name nothing else stay as they are).

Delivered when the status is 2xx and, if ``success_field`` is set (a dotted path into the JSON answer), that field
equals ``success_value``. 408, 429, 5xx and network errors are retried; other statuses and a 2xx whose field says
failure are permanent (the gateway has looked at the request and refused it). Put ``{event_id}`` in the template
where the gateway takes a client reference, so it can drop the duplicate that a retry after a timeout may send.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import httpx
from pydantic import Field, SecretStr

from luoshi_notify.channels.base import (
    HttpChannel,
    OutboundMessage,
    SendResult,
    json_body,
    scrub,
    status_result,
    transport_failure,
)

_PLACEHOLDER = re.compile(r"\{(phone|text|event_id|subject|kind)\}")
_PHONE = re.compile(r"\+?[0-9]{5,15}")
_MISSING = object()


class SmsConfig(HttpChannel):
    kind: Literal["sms"] = "sms"
    method: Literal["POST"] = "POST"
    body_template: dict[str, Any] = Field(
        default_factory=lambda: {"phone": "{phone}", "text": "{text}", "event_id": "{event_id}"}
    )
    bearer_token: SecretStr | None = None
    success_field: str | None = None  # e.g. "code" or "result.status"
    success_value: Any = None
    id_field: str | None = None  # where the gateway puts its message id, for the delivery log


def normalize_phone(recipient: str) -> str | None:
    phone = re.sub(r"[\s-]", "", recipient)
    return phone if _PHONE.fullmatch(phone) else None


def render(template: Any, values: dict[str, str]) -> Any:
    # One pass with a regex, so a placeholder inside the message text is never expanded a second time.
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
    if isinstance(template, dict):
        return {key: render(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [render(value, values) for value in template]
    return template


def lookup(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return _MISSING
    return data


async def send(config: SmsConfig, message: OutboundMessage, *, http: httpx.AsyncClient) -> SendResult:
    phone = normalize_phone(message.recipient)
    if phone is None:
        return SendResult.failure(f"not a phone number: {message.recipient!r}", retryable=False)
    values = {
        "phone": phone,
        "text": message.text,
        "event_id": message.event_id,
        "subject": message.subject,
        "kind": message.kind,
    }
    headers = {"User-Agent": "luoshi-notify"}
    if config.bearer_token is not None:
        headers["Authorization"] = f"Bearer {config.bearer_token.get_secret_value()}"
    try:
        response = await http.request(
            config.method,
            config.url,
            json=render(config.body_template, values),
            headers=headers,
            timeout=config.timeout_seconds,
        )
    except httpx.HTTPError as exc:
        return transport_failure(exc, config.bearer_token)
    failed = status_result(response)
    if failed is not None:
        return failed.model_copy(update={"detail": scrub(failed.detail, config.bearer_token)})
    data = json_body(response)
    provider_id = None
    if config.id_field and data is not None:
        found = lookup(data, config.id_field)
        provider_id = None if found is _MISSING or found is None else str(found)
    if config.success_field:
        found = lookup(data, config.success_field) if data is not None else _MISSING
        if found is _MISSING or found != config.success_value:
            shown = "missing" if found is _MISSING else repr(found)
            return SendResult.failure(
                f"gateway refused: {config.success_field}={shown}, expected {config.success_value!r}; "
                f"{response.text[:120]}",
                retryable=False,
            )
    return SendResult.success(f"HTTP {response.status_code}", provider_id=provider_id)
