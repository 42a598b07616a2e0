"""Delivery channels: one async `send(config, message, *, http)` over email, signed webhooks, WeCom, DingTalk and
Feishu robots, and an SMS gateway. No database here: the caller stores configs and records results.

`send` never raises for a delivery failure: it returns a SendResult whose `retryable` says whether to try again
(same event_id) or dead-letter. Exceptions that escape are bugs or bad arguments.
"""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from pydantic import Field, SecretStr, TypeAdapter

from luoshi_notify.channels import email, robots, sms, webhook
from luoshi_notify.channels.base import MASK, ChannelKind, OutboundMessage, SendResult, masked_url
from luoshi_notify.channels.email import EmailConfig
from luoshi_notify.channels.robots import DingTalkConfig, FeishuConfig, WeComConfig
from luoshi_notify.channels.sms import SmsConfig
from luoshi_notify.channels.webhook import WebhookConfig, verify_signature

ChannelConfig = Annotated[
    EmailConfig | WebhookConfig | WeComConfig | DingTalkConfig | FeishuConfig | SmsConfig,
    Field(discriminator="kind"),
]
channel_adapter: TypeAdapter[ChannelConfig] = TypeAdapter(ChannelConfig)

__all__ = [
    "ChannelConfig",
    "ChannelKind",
    "DingTalkConfig",
    "EmailConfig",
    "FeishuConfig",
    "OutboundMessage",
    "SendResult",
    "SmsConfig",
    "WeComConfig",
    "WebhookConfig",
    "channel_adapter",
    "redacted",
    "send",
    "stored",
    "verify_signature",
]


async def send(config: ChannelConfig, message: OutboundMessage, *, http: httpx.AsyncClient) -> SendResult:
    match config:
        case EmailConfig():
            return await email.send(config, message, http=http)
        case WebhookConfig():
            return await webhook.send(config, message, http=http)
        case WeComConfig():
            return await robots.send_wecom(config, message, http=http)
        case DingTalkConfig():
            return await robots.send_dingtalk(config, message, http=http)
        case FeishuConfig():
            return await robots.send_feishu(config, message, http=http)
        case SmsConfig():
            return await sms.send(config, message, http=http)
    raise TypeError(f"not a channel config: {type(config).__name__}")


def redacted(config: ChannelConfig) -> dict[str, Any]:
    """The config as JSON for API reads: secrets masked; a secret URL (robot webhooks) shows only its origin."""
    out = config.model_dump(mode="json")
    for name, value in config:
        if isinstance(value, SecretStr):
            secret = value.get_secret_value()
            out[name] = masked_url(secret) if secret.startswith(("http://", "https://")) else MASK
    return out


def stored(config: ChannelConfig) -> dict[str, Any]:
    """The config as JSON with secrets in clear, for the caller's storage; `channel_adapter` reads it back."""
    out = config.model_dump(mode="json")
    for name, value in config:
        if isinstance(value, SecretStr):
            out[name] = value.get_secret_value()
    return out
