"""tasks-api's wire models that other services read through TasksClient."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

UnitKind = Literal["government", "department", "zone_committee", "enterprise", "association", "other"]
UnitLevel = Literal["province", "city", "county", "town"]


class Contact(BaseModel):
    name: str = Field(max_length=100)
    title: str | None = Field(default=None, max_length=100, description="e.g. 局长, 联络员")
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200)
    is_head: bool = Field(default=False, description="The unit's head (escalations go to them)")


class UnitRead(BaseModel):
    id: int = Field(examples=[3])
    parent_id: int | None = Field(examples=[1])
    name: str = Field(examples=["夏邑县质量技术监督局"])
    short_name: str | None = Field(examples=["质监局"])
    aliases: list[str] = Field(examples=[["县质监局"]])
    kind: UnitKind
    level: UnitLevel | None
    contacts: list[Contact]
    version: int
    created_at: datetime
    updated_at: datetime


class Introspection(BaseModel):
    active: bool
    key_id: int | None = None
    name: str | None = None
    scopes: list[str] = Field(default_factory=list)
    unit_id: int | None = None


class SessionCheck(BaseModel):
    """Is this user's session still on? `session_id` and `token_version` as the access token carries them."""

    user_id: int
    session_id: str | None = Field(default=None, max_length=64)
    token_version: int = 0


class SessionStatus(BaseModel):
    active: bool
