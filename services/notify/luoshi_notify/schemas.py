"""Request and response models of notify."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

NotificationStatus = Literal["pending", "sending", "sent", "failed", "digest", "digested"]


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    key: str = Field(description="Deterministic: rule, occurrence, recipient, channel. Receivers dedupe on it")
    rule: str
    kind: str
    plan_id: int | None
    task_id: int | None
    assignment_id: int | None
    unit_id: int | None
    recipient_user_id: int | None
    address: str | None
    channel: str
    lang: str
    subject: str
    body: str
    status: NotificationStatus
    send_after: datetime
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    ok: bool
    retryable: bool
    detail: str
    worker: str | None
    at: datetime


class NotificationDetail(NotificationRead):
    attempts_log: list[AttemptRead]


class InboxItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    subject: str
    body: str
    link: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    items: list[InboxItemRead]
    next_cursor: str | None
    unread: int = Field(description="Unread items in the whole inbox")


class RulesRead(BaseModel):
    plan_id: int = Field(description="0: the defaults for plans without their own")
    rules: dict[str, Any]
    unit_daily_cap: int
    version: int


class RulesWrite(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"rules": {"remind_before_workdays": [5, 2], "urge_every_workdays": 2}, "unit_daily_cap": 10}]
        },
    )

    rules: dict[str, Any] = Field(default_factory=dict, description="Any RuleSet fields; the rest keep defaults")
    unit_daily_cap: int = Field(default=20, ge=1, le=10000, description="Beyond this a unit's messages go to digests")


class PreferencesRead(BaseModel):
    user_id: int
    prefs: dict[str, Any]
    version: int


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


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"lang": "zh"}]})

    lang: Literal["zh", "en"] = "zh"
    context: dict[str, Any] | None = Field(default=None, description="Your values; a sample is used when absent")


class PreviewRead(BaseModel):
    kind: str
    lang: str
    subject: str
    text: str
    markdown: str


class BulletinCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"plan_id": 1, "period_due_on": "2026-11-30"}]}
    )

    plan_id: int
    period_due_on: date


class BulletinRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    period_due_on: date
    title: str
    data: dict[str, Any]
    created_at: datetime


class FeedTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"unit_id": 3}]})

    unit_id: int | None = None
    user_id: int | None = None


class FeedTokensRevoked(BaseModel):
    subject: str = Field(examples=["unit:12"])
    revoked: int = Field(description="How many URLs stopped working")


class FeedTokenCreated(BaseModel):
    subject: str
    token: str = Field(description="Shown once")
    url: str
