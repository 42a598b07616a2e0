"""Channel secrets at rest: sealed under the first of CHANNEL_SECRET_KEYS (luoshi.secretbox)."""

from __future__ import annotations

import structlog
from pydantic import SecretStr, ValidationError
from sqlalchemy import select

from luoshi.db import Database
from luoshi.secretbox import SecretBox, SecretUnreadable
from luoshi_notify.channels import loaded, stored
from luoshi_notify.models import Channel

log = structlog.get_logger("luoshi.notify")


async def reseal_channel_secrets(db: Database, box: SecretBox) -> int:
    """At start-up: seal secrets stored in clear (before sealing existed) and reseal those sealed under an older
    key, so dropping that key after a rotation loses nothing. Returns how many channels were rewritten."""
    try:
        async with db.sessionmaker() as session, session.begin():
            changed = 0
            for row in await session.scalars(select(Channel).order_by(Channel.id).with_for_update()):
                try:
                    config = loaded(row.config, row.kind, box)
                except (SecretUnreadable, ValidationError) as exc:
                    log.error("channel_secret_unreadable", channel=row.id, error=type(exc).__name__)
                    continue
                secrets = [name for name, value in config if isinstance(value, SecretStr)]
                if all(box.sealed_by_first_key(row.config.get(name) or "") for name in secrets):
                    continue
                row.config = stored(config, box)
                changed += 1
    except Exception as exc:  # an unmigrated or unreachable database must not stop start-up; next start retries
        log.warning("channel_reseal_skipped", error=f"{type(exc).__name__}: {exc}"[:300])
        return 0
    if changed:
        log.info("channel_secrets_resealed", channels=changed)
    return changed
