"""Production refuses the settings that would make it unsafe, before anything starts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from luoshi.settings import DEV_SERVICE_SECRET, BaseServiceSettings

DB = "postgresql://luoshi@db.example/luoshi"


@pytest.mark.parametrize(
    ("secret", "database_url", "complaint"),
    [
        (DEV_SERVICE_SECRET, DB, "SERVICE_SECRET must be set"),
        ("", DB, "at least 32 characters"),
        ("short-secret", DB, "at least 32 characters"),
        ("x" * 48, "", "DATABASE_URL must be set"),
        # the passwords of the examples in README, docs/ and deploy/
        ("x" * 48, "postgresql://luoshi:PASSWORD@db.example:5432/luoshi", "placeholder"),
        ("x" * 48, "postgresql+asyncpg://luoshi:CHANGE-ME@db.example/luoshi", "placeholder"),
        ("x" * 48, "postgres://postgres:postgres@db.example/luoshi", "placeholder"),
    ],
)
def test_production_refuses_placeholder_or_weak_settings(secret, database_url, complaint):
    with pytest.raises(ValidationError, match=complaint):
        BaseServiceSettings(environment="production", service_secret=secret, database_url=database_url)


def test_production_starts_with_a_real_secret_and_database():
    settings = BaseServiceSettings(environment="production", service_secret="s" * 48, database_url=DB)
    assert settings.asyncpg_dsn == DB
    real = "postgresql://luoshi:Qe7-vT2_k9xLw4@db.example/luoshi"
    assert BaseServiceSettings(environment="production", service_secret="s" * 48, database_url=real).database_url
