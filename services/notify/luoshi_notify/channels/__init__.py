"""Delivery channels: one async `send(config, message, *, http)` over email, signed webhooks, WeCom, DingTalk and
Feishu robots, and an SMS gateway. No database here: the caller stores configs and records results.

`send` never raises for a delivery failure: it returns a SendResult whose `retryable` says whether to try again
(same event_id) or dead-letter. Exceptions that escape are bugs or bad arguments.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

import httpx
from pydantic import Field, SecretStr, TypeAdapter

from luoshi.secretbox import SecretBox
from luoshi_notify.channels import email, robots, sms, webhook
from luoshi_notify.channels.base import MASK, ChannelKind, OutboundMessage, SendResult, masked_url
from luoshi_notify.channels.egress import DestinationRefused, EgressPolicy, literal_address
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
    "check_destination",
    "destination",
    "loaded",
    "opened",
    "redacted",
    "send",
    "stored",
    "verify_signature",
]


def destination(config: ChannelConfig) -> tuple[str, int]:
    """The host and port a channel connects to."""
    if isinstance(config, EmailConfig):
        return config.host, config.port
    url = config.url if isinstance(config, (WebhookConfig, SmsConfig)) else config.webhook_url.get_secret_value()
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


async def check_destination(config: ChannelConfig, egress: EgressPolicy, *, resolve: bool = True) -> None:
    """Raise DestinationRefused unless the policy permits where the channel connects. `resolve=False` checks
    only a literal address (a name is then checked by the connection's own resolver)."""
    host, port = destination(config)
    address = literal_address(host)
    if address is not None:
        egress.check_address(host, address)
        return
    if resolve:
        await egress.check_host(host, port)


async def send(
    config: ChannelConfig, message: OutboundMessage, *, http: httpx.AsyncClient, egress: EgressPolicy | None = None
) -> SendResult:
    if egress is not None:
        try:
            # HTTP sends through OutboundHttp resolve names under the same policy when they connect
            await check_destination(config, egress, resolve=isinstance(config, EmailConfig) or _plain_httpx(http))
        except DestinationRefused as exc:
            return SendResult.failure(str(exc), retryable=False)
        except OSError as exc:
            return SendResult.failure(f"cannot resolve {destination(config)[0]}: {exc}", retryable=True)
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


def _plain_httpx(http: Any) -> bool:
    return isinstance(http, httpx.AsyncClient)


def stored(config: ChannelConfig, box: SecretBox) -> dict[str, Any]:
    """The config as JSON for storage, its secrets sealed; `loaded` reads it back."""
    out = config.model_dump(mode="json")
    for name, value in config:
        if isinstance(value, SecretStr):
            out[name] = box.seal(value.get_secret_value())
    return out


def opened(config: dict[str, Any], box: SecretBox) -> dict[str, Any]:
    """A stored config's JSON with its secrets in clear."""
    return {k: box.open(v) if isinstance(v, str) else v for k, v in config.items()}


def loaded(config: dict[str, Any], kind: str, box: SecretBox) -> ChannelConfig:
    """A stored config, its secrets opened, as the channel's typed config."""
    return channel_adapter.validate_python(opened(config, box) | {"kind": kind})
