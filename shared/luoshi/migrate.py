"""Where this release's schema stands: the Alembic configuration, the head revision and the readiness check's
questions. Running migrations is the tooling's (`luoshi_ops.migrate`); a service only asks."""

from __future__ import annotations

from functools import lru_cache

from alembic.config import Config
from alembic.script import ScriptDirectory

from luoshi.settings import REPO_ROOT

MIGRATIONS_DIR = REPO_ROOT / "migrations"
# Two pods starting at once must not both migrate: env.py holds this advisory lock while it runs.
MIGRATION_LOCK_ID = 0x4C756F73  # "Luos"


def alembic_config(database_url: str) -> Config:
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["database_url"] = database_url
    return cfg


@lru_cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


@lru_cache
def known_revisions() -> frozenset[str]:
    return frozenset(s.revision for s in ScriptDirectory.from_config(alembic_config("")).walk_revisions())


def is_ahead(revision: str | None) -> bool:
    """The database was migrated by a newer release (a revision this one does not know). During a rolling
    upgrade the older processes keep serving: a release's migrations must leave the previous release working
    (add first; drop or rename only a release later)."""
    return revision is not None and revision not in known_revisions()
