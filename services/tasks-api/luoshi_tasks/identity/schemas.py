"""Request and response models of identity: tokens, users, the caller, API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.contracts.tasks import Introspection, SessionCheck, SessionStatus, UnitRead  # noqa: F401 (re-exported)

Role = Literal["admin", "office", "unit", "leader"]
Scope = Literal[
    "tasks:read",
    "tasks:write",
    "tasks:*",
    "scoring:read",
    "scoring:write",
    "scoring:*",
    "notify:read",
    "notify:write",
    "notify:*",
    "*",
]


class Token(BaseModel):
    """A sign-in's tokens. The console keeps the refresh token (not in a URL, not in shared storage) and trades it
    at POST /v1/auth/refresh for new ones before `expires_in` runs out; each refresh token works once."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str | None = Field(
        default=None, description="Opaque; for POST /v1/auth/refresh and /v1/auth/sign-out. Used once"
    )
    refresh_expires_in: int | None = Field(
        default=None, description="Seconds until the refresh token expires (the session ends if not refreshed)"
    )


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=200)


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "username": "zhijian",
                    "display_name": "质监局联络员",
                    "password": "a long passphrase",
                    "unit_id": 3,
                    "roles": ["unit"],
                    "email": "zhijian@example.gov.cn",
                }
            ]
        },
    )

    username: str = Field(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    display_name: str | None = Field(default=None, max_length=100)
    password: str = Field(
        min_length=1, max_length=200, description="Checked against the password rules (PASSWORD_* settings)"
    )
    unit_id: int | None = None
    roles: list[Role] = Field(min_length=1)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)


class UserRead(BaseModel):
    id: int
    username: str
    display_name: str
    unit_id: int | None
    roles: list[Role]
    email: str | None
    phone: str | None
    is_active: bool
    created_at: datetime


class Me(BaseModel):
    """The caller, as the front end needs it after sign-in."""

    kind: Literal["user", "service", "api_key"]
    user_id: int | None
    username: str | None
    display_name: str | None = None
    unit: UnitRead | None = None
    roles: list[str]
    scopes: list[str]


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "市政务督查平台", "scopes": ["tasks:read"], "unit_id": None}]},
    )

    name: str = Field(min_length=2, max_length=100)
    scopes: list[Scope] = Field(min_length=1)
    unit_id: int | None = Field(default=None, description="Act as this unit (sees only its work)")
    expires_at: datetime | None = None


class ApiKeyRead(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the key, to recognise it")
    scopes: list[str]
    unit_id: int | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself. Shown once: store it now.")


class IntrospectRequest(BaseModel):
    api_key: str


class PasswordChange(BaseModel):
    """The user's own change. Without a token (a password expired or reset), `username` says whose."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"current_password": "the old one", "new_password": "Zl-4kq-9wX!p", "username": "zhijian"}]
        },
    )

    username: str | None = Field(default=None, max_length=100, description="Needed only without a token")
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(
        min_length=1, max_length=200, description="Checked against the password rules (PASSWORD_* settings)"
    )


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(
        default=None,
        max_length=200,
        description="The temporary password; empty: one is made. Either way it must be changed at the next sign-in",
    )


class PasswordResetDone(BaseModel):
    user: UserRead
    temporary_password: str = Field(description="Shown once: hand it to the user, who must change it")
