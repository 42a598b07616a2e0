from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field, SecretStr, model_validator

from luoshi.settings import BaseServiceSettings

# Public, so only for development and tests: production refuses to start with it.
DEV_CHANNEL_SECRET_KEY = "B28EnNttpGSW7ElltXcRg4_A2yFfiDTN8kXafZnAD9A="


class NotifySettings(BaseServiceSettings):
    service_name: str = "notify"
    port: int = Field(default=8003, validation_alias=AliasChoices("NOTIFY_PORT", "PORT"))
    notify_loops: bool = Field(default=True, description="Run the sweep, delivery and event loops in the process")
    sweep_seconds: float = Field(default=300, description="How often deadlines are swept for due reminders")
    delivery_poll_seconds: float = Field(default=1.0, description="How often an idle sender looks for work")
    delivery_batch: int = Field(default=200, description="Notifications claimed per batch")
    feed_token_days: int = Field(
        default=180,
        ge=1,
        le=730,
        description="How long a calendar feed link works; a new one is made after (and sooner if it leaked)",
    )
    delivery_concurrency: int = Field(default=16, ge=1, le=256, description="Sends in flight per process")
    delivery_max_attempts: int = Field(default=6, description="Attempts before a notification is dead-lettered")
    delivery_lease_seconds: float = Field(
        default=60,
        description="A claimed batch whose process stops renewing its lease (every third of it) for this long "
        "is taken over by another process",
    )
    events_seconds: float = Field(default=10, description="How often other services' event outboxes are read")
    channel_secret_keys: SecretStr = Field(
        default=SecretStr(DEV_CHANNEL_SECRET_KEY),
        description="Fernet keys sealing channel secrets at rest, comma-separated: the first seals, all open. "
        "Rotate by putting a new key (`luoshi secret-key`) first, restarting, then dropping the old one",
    )
    outbound_allow: str = Field(
        default="",
        description="Networks (CIDR, comma-separated) channels may reach besides public addresses, e.g. the "
        "intranet's SMTP relay 10.20.0.0/24; loopback, link-local and private addresses are refused otherwise",
    )

    @model_validator(mode="after")
    def _refuse_the_development_key(self) -> NotifySettings:
        keys = self.channel_secret_keys.get_secret_value()
        if self.environment == "production" and (not keys.strip() or DEV_CHANNEL_SECRET_KEY in keys):
            raise ValueError("CHANNEL_SECRET_KEYS must be set outside development (generate one: luoshi secret-key)")
        return self


@lru_cache
def get_settings() -> NotifySettings:
    return NotifySettings()
