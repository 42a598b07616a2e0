from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field

from luoshi.settings import BaseServiceSettings


class NotifySettings(BaseServiceSettings):
    service_name: str = "notify"
    port: int = Field(default=8003, validation_alias=AliasChoices("NOTIFY_PORT", "PORT"))


@lru_cache
def get_settings() -> NotifySettings:
    return NotifySettings()
