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
    ],
)
def test_production_refuses_placeholder_or_weak_settings(secret, database_url, complaint):
    with pytest.raises(ValidationError, match=complaint):
        BaseServiceSettings(environment="production", service_secret=secret, database_url=database_url)


def test_production_starts_with_a_real_secret_and_database():
    settings = BaseServiceSettings(environment="production", service_secret="s" * 48, database_url=DB)
    assert settings.asyncpg_dsn == DB
