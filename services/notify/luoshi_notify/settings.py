from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field

from luoshi.settings import BaseServiceSettings


class NotifySettings(BaseServiceSettings):
    service_name: str = "notify"
    port: int = Field(default=8003, validation_alias=AliasChoices("NOTIFY_PORT", "PORT"))
    notify_loops: bool = Field(default=True, description="Run the sweep, delivery and event loops in the process")
    sweep_seconds: float = Field(default=300, description="How often deadlines are swept for due reminders")
    delivery_poll_seconds: float = Field(default=1.0, description="How often an idle sender looks for work")
    delivery_batch: int = Field(default=200, description="Notifications claimed per batch")
    delivery_concurrency: int = Field(default=16, ge=1, le=256, description="Sends in flight per process")
    delivery_max_attempts: int = Field(default=6, description="Attempts before a notification is dead-lettered")
    delivery_lease_seconds: float = Field(
        default=60, description="A send not confirmed within this is taken over by another process"
    )
    events_seconds: float = Field(default=10, description="How often other services' event outboxes are read")


@lru_cache
def get_settings() -> NotifySettings:
    return NotifySettings()
