"""A plan's reminder rules and a user's preferences."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
