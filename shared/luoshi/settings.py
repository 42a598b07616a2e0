"""Settings common to the three services, read from the environment and a `.env` file."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from luoshi.clock import DEFAULT_TIMEZONE

# Where migrations/, alembic.ini and .data/ live: the checkout this file is in, or LUOSHI_HOME for an installed
# (non-editable) copy such as the container image, whose package sits in site-packages away from migrations/.
REPO_ROOT = Path(os.environ.get("LUOSHI_HOME") or Path(__file__).resolve().parents[2])
DEV_SERVICE_SECRET = "dev-service-secret-change-me-in-production"
# Database passwords of the examples in README, docs/ and deploy/, and the usual defaults: production refuses them
# (a copied example must not become a live password).
PLACEHOLDER_DB_PASSWORDS = frozenset(
    {"password", "change-me", "changeme", "pass", "secret", "postgres", "luoshi", "...", "<password>", "xxx"}
)


class DatabaseUrlMissing(RuntimeError):
    """Raised when a service opens its database with DATABASE_URL unset: the tooling starts the embedded
    development database and sets the variable; a service on its own must not guess one."""

    def __init__(self) -> None:
        super().__init__(
            "DATABASE_URL is not set. Set it to the PostgreSQL to use, or start the development setup with "
            "`luoshi run` (make run), which starts the embedded database and sets it for the services. "
            "/ 未设置 DATABASE_URL：请设置数据库地址，或用 luoshi run（make run）启动开发环境。"
        )


class BaseServiceSettings(BaseSettings):
    """What every service needs. Variable names are flat (DATABASE_URL, LOG_LEVEL) so operators,
    compose files and Kubernetes manifests can set them without nesting rules."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    service_name: str = "luoshi"
    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool = True
    otel: bool = Field(
        default=False,
        description="FastAPI's own OpenTelemetry spans, metrics and logs for whatever provider the process configures "
        "(OTEL_* variables with FASTAPI_OTEL_AUTO_CONFIGURE=true). Off by default: /metrics, the JSON logs and "
        "the request id cover the same ground, and the per-request check for a provider costs on every request.",
    )
    public_base_url: str = Field(
        default="",
        description="Where users reach Luoshi (https://luoshi.example.gov.cn), for links the services build; https "
        "here also turns on Strict-Transport-Security",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="The proxies (comma-separated addresses or networks, `*` for any) whose X-Forwarded-For and "
        "X-Forwarded-Proto `luoshi serve` believes: the client address is then the forwarded one (sign-in "
        "throttling counts by it). Only the proxy's own address, unless no client can reach the service directly",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins a browser may call the APIs from (JSON list, e.g. ["https://console.example.gov.cn"]); '
        "empty: none, the console being served from the same origin",
    )
    body_max_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body outside the upload routes (which have their own limits); larger is a "
        "413 before authentication",
    )
    timezone: str = Field(
        default=DEFAULT_TIMEZONE,
        description="IANA zone where days and hours are decided: today for lights and lateness, reminder moments, "
        "quiet hours, digests, bulletins and calendar feeds",
    )

    database_url: str = Field(
        default="",
        description="postgresql://user:pass@host:port/db. Required to serve: a service never picks a database on its "
        "own (`luoshi run` and the tests set it to the embedded development database).",
    )
    database_pool_size: int = 10
    database_pool_timeout: float = 5.0
    database_connect_timeout: float = Field(
        default=3.0, description="Seconds to open a connection; a database that does not answer fails fast (503)."
    )
    database_statement_timeout_ms: int = 30_000

    tasks_api_url: str = "http://127.0.0.1:8001"
    scoring_api_url: str = "http://127.0.0.1:8002"
    notify_url: str = "http://127.0.0.1:8003"
    http_timeout: float = 10.0
    http_retries: int = 2

    jwt_audience: str = "luoshi"
    jwt_issuer: str = "luoshi-tasks-api"
    jwks_cache_seconds: int = 300
    api_key_cache_seconds: int = Field(
        default=10,
        ge=0,
        le=300,
        description="How long a checked API key is remembered: a revoked key stops working "
        "within this, in every service",
    )
    session_check_seconds: int = Field(
        default=10,
        ge=0,
        le=300,
        description="How long a check that a user's session is still on (not signed out, user not deactivated, "
        "password not changed or reset) is remembered: an ended session's access tokens stop working within this, "
        "in every service (0: checked on every request)",
    )
    service_secret: SecretStr = SecretStr(DEV_SERVICE_SECRET)
    service_token_seconds: int = Field(
        default=300, ge=10, description="Lifetime of the service tokens this service makes"
    )
    service_token_max_seconds: int = Field(
        default=3600,
        ge=60,
        le=86400,
        description="Longest lifetime a service token may have (exp - iat): a longer one is refused, as is one "
        "without iat or iss",
    )

    jobs_in_process: bool = Field(default=True, description="Run this service's job worker inside the web process.")
    job_lease_seconds: int = 30
    job_poll_seconds: float = 2.0

    calendar_refresh_seconds: float = Field(
        default=300,
        description="How often the working-day calendar is read again from tasks-api's database, in case a "
        "calendar.changed event was missed",
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> BaseServiceSettings:
        if self.service_token_seconds > self.service_token_max_seconds:
            raise ValueError("SERVICE_TOKEN_SECONDS must not exceed SERVICE_TOKEN_MAX_SECONDS")
        if self.environment == "production":
            secret = self.service_secret.get_secret_value()
            if secret == DEV_SERVICE_SECRET:
                raise ValueError("SERVICE_SECRET must be set outside development")
            if len(secret) < 32:
                raise ValueError("SERVICE_SECRET must be at least 32 characters in production")
            if not self.database_url:
                raise ValueError("DATABASE_URL must be set outside development")
            password = urlsplit(to_asyncpg_dsn(self.database_url)).password
            if password is not None and unquote(password).lower() in PLACEHOLDER_DB_PASSWORDS:
                raise ValueError("DATABASE_URL's password is a placeholder from the examples: set a real one")
        return self

    @cached_property
    def asyncpg_dsn(self) -> str:
        """The URL as asyncpg and libpq take it."""
        if not self.database_url:
            raise DatabaseUrlMissing
        return to_asyncpg_dsn(self.database_url)

    @cached_property
    def sqlalchemy_url(self) -> str:
        return "postgresql+asyncpg://" + self.asyncpg_dsn.split("://", 1)[1]


def to_asyncpg_dsn(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgres://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url
