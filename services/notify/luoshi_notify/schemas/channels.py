"""Notification channels and their test send."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ChannelScope(BaseModel):
    """Which notices a group channel (webhook, robot) carries; people's own channels follow their preferences."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"plan_ids": [1], "kinds": ["escalate"]}]}
    )

    plan_ids: list[int] = Field(
        default_factory=list,
        max_length=200,
        description="The plans whose notices it carries; empty means every plan, which only an administrator may set",
    )
    kinds: list[str] = Field(
        default_factory=list, max_length=20, description="The rules it carries (remind, urge, escalate, …); empty: all"
    )


class ChannelWrite(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "县政府邮件",
                    "kind": "email",
                    "config": {"host": "smtp.example.gov.cn", "port": 25, "from_address": "luoshi@example.gov.cn"},
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=100)
    kind: Literal["email", "webhook", "wecom", "dingtalk", "feishu", "sms"]
    config: dict[str, Any]
    enabled: bool = True
    scope: ChannelScope = Field(default_factory=lambda: ChannelScope())


class ChannelRead(BaseModel):
    id: int
    name: str
    kind: str
    config: dict[str, Any] = Field(description="Secrets masked")
    enabled: bool
    scope: dict[str, Any]
    version: int


class TestSend(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"recipient": "test@example.gov.cn"}]})

    recipient: str = ""


class SendResultRead(BaseModel):
    ok: bool
    retryable: bool
    detail: str
