from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field

from luoshi.settings import BaseServiceSettings


class ScoringSettings(BaseServiceSettings):
    service_name: str = "scoring-api"
    port: int = Field(default=8002, validation_alias=AliasChoices("SCORING_API_PORT", "PORT"))
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, description="Largest evidence attachment")


@lru_cache
def get_settings() -> ScoringSettings:
    return ScoringSettings()
