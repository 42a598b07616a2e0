"""Message templates and their preview."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


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
