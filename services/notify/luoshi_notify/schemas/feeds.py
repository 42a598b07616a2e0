"""Calendar feed tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


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
    expires_at: datetime = Field(description="When the link stops working (FEED_TOKEN_DAYS after it was made)")
