from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr

from luoshi.settings import REPO_ROOT, BaseServiceSettings


class TasksSettings(BaseServiceSettings):
    service_name: str = "tasks-api"
    port: int = Field(default=8001, validation_alias=AliasChoices("TASKS_API_PORT", "PORT"))
    jwt_private_key: SecretStr | None = Field(default=None, description="PEM of the RSA key that signs access tokens.")
    jwt_private_key_file: Path = Field(
        default=REPO_ROOT / ".data" / "jwt-private.pem",
        description="Used when JWT_PRIVATE_KEY is empty; created on first start in development.",
    )
    jwt_previous_public_keys: list[str] = Field(
        default_factory=list, description="PEMs of retired signing keys still published in the JWKS."
    )
    access_token_minutes: int = 60
    api_key_cache_seconds: int = 10
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, description="Largest report attachment")
    import_max_bytes: int = Field(default=20 * 1024 * 1024, description="Largest breakdown table upload")


@lru_cache
def get_settings() -> TasksSettings:
    return TasksSettings()
