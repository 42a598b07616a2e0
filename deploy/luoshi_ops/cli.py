"""`luoshi`: the operator's command line.

luoshi migrate                       upgrade the database to this release's schema
                                     (DATABASE_URL unset: the embedded development database, started)
luoshi users create NAME --role R --unit U   (password twice on standard input)
luoshi token NAME [--ttl SECONDS]    print a JWT for NAME
luoshi demo                          load the Xiayi demo plan's units and accounts
luoshi run                           what `make run` does: database, migrate, demo, three services
luoshi serve tasks|scoring|notify    run one service (production: behind a process manager)
luoshi origin [--port N]             the one origin in front of the three (development; production: nginx)
luoshi console [--force]             build the web console into web/console/dist (skipped when up to date)
luoshi nginx-routes [--write]        the nginx locations generated from the routing table (routing.py)
luoshi db start|stop|url             the embedded development database
luoshi parse FILE [--json]           read a plan (.txt/.docx/.pdf) into a draft breakdown table
luoshi backup FILE                   the whole database, attachments included (pg_dump custom format)
luoshi restore FILE [--clean]        restore a backup into an empty database (--clean: replace contents)
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from pathlib import Path

from luoshi_ops.services import SERVICES, service_port


def _database_url(*, start: bool = False) -> str:
    """DATABASE_URL, set for this process and the ones it starts. Unset: the embedded development database,
    started first if `start` (run, migrate), else only if it is already running."""
    from luoshi.settings import BaseServiceSettings
    from luoshi_ops import devdb

    url = BaseServiceSettings().database_url  # the environment or .env; production refuses to go without
    if not url:
        if start:
            devdb.start()
            devdb.ensure_database(devdb.admin_url(), "luoshi")
        elif not devdb.port_open(devdb.EMBEDDED_PORT):
            raise SystemExit(
                "DATABASE_URL is not set and the embedded development database is not running: set DATABASE_URL,"
                " or `luoshi db start` / 未设置 DATABASE_URL，开发数据库也未运行"
            )
        url = devdb.url("luoshi")
    os.environ["DATABASE_URL"] = url
    return BaseServiceSettings(database_url=url).asyncpg_dsn


def _tasks_settings():  # type: ignore[no-untyped-def]
    from luoshi_tasks.settings import TasksSettings

    _database_url()
    return TasksSettings()


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Again: ")
    else:
        first = sys.stdin.readline().rstrip("\n")
        second = sys.stdin.readline().rstrip("\n")
    if first != second:
        raise SystemExit("passwords do not match / 两次输入的密码不一致")
    return first  # the password rules (PASSWORD_* settings) are checked where the user is created


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; deployment manifests are checked against it (tests/platform/test_deploy_manifests.py)."""
    parser = argparse.ArgumentParser(prog="luoshi", description="落实 Luoshi operator commands")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database schema")
    users = sub.add_parser("users", help="manage users").add_subparsers(dest="action", required=True)
    create = users.add_parser("create", help="create a user; reads the password twice from stdin")
    create.add_argument("name")
    create.add_argument("--role", action="append", required=True, choices=["admin", "office", "unit", "leader"])
    create.add_argument("--unit", help="unit id, full name, short name or alias")
    create.add_argument("--display-name")
    token = sub.add_parser("token", help="print an access token for a user")
    token.add_argument("name")
    token.add_argument("--ttl", type=int, help="lifetime in seconds")
    sub.add_parser("demo", help="load the demo data")
    calendar = sub.add_parser("calendar", help="the working-day calendar").add_subparsers(dest="action", required=True)
    notice = calendar.add_parser(
        "import", help="read the State Council's holiday notice (a text file) and show its days; --apply loads them"
    )
    notice.add_argument("file")
    notice.add_argument("--year", type=int, help="the year, when the text does not say it")
    notice.add_argument("--apply", action="store_true", help="make the year official with these days")
    sub.add_parser("run", help="start database, migrate, demo and the three services (make run)")
    sub.add_parser("secret-key", help="print a new key for CHANNEL_SECRET_KEYS (notify's sealed channel secrets)")
    jwt_key = sub.add_parser("jwt-key", help="write tasks-api's token signing key to FILE, unless it exists")
    jwt_key.add_argument("file", type=Path)
    origin = sub.add_parser("origin", help="the one origin in front of the three services (make run starts it)")
    origin.add_argument("--port", type=int, default=None, help="default: ORIGIN_PORT, else 8000")
    console = sub.add_parser("console", help="build the web console into web/console/dist (needs Node.js 20+)")
    console.add_argument("--force", action="store_true", help="build even when nothing changed")
    routes = sub.add_parser("nginx-routes", help="print the nginx locations generated from the routing table")
    routes.add_argument("--write", action="store_true", help="rewrite them in deploy/nginx/luoshi.conf")
    serve = sub.add_parser("serve", help="run one service")
    serve.add_argument("service", choices=sorted(SERVICES))
    serve.add_argument("--workers", type=int, default=1)
    db = sub.add_parser("db", help="the embedded development database")
    db.add_argument("action", choices=["start", "stop", "url"])
    parse = sub.add_parser("parse", help="read a plan document (.txt, .docx, .pdf) into a draft breakdown table")
    parse.add_argument("file")
    parse.add_argument("--json", action="store_true", help="print the draft as JSON")
    backup = sub.add_parser("backup", help="write the whole database, attachments included, to FILE (pg_dump)")
    backup.add_argument("file")
    restore = sub.add_parser("restore", help="restore a `luoshi backup` FILE into an empty database")
    restore.add_argument("file")
    restore.add_argument("--clean", action="store_true", help="replace the contents of a database that is not empty")
    audit = sub.add_parser("audit", help="the audit logs").add_subparsers(dest="action", required=True)
    purge = audit.add_parser("purge", help="remove audit lines older than DAYS (at least 180; nothing else can)")
    purge.add_argument("--older-than-days", type=int, required=True, metavar="DAYS")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)

    if args.command == "migrate":
        from luoshi_ops.migrate import upgrade

        upgrade(_database_url(start=True))
        print("database is at head")
    elif args.command == "users":
        from luoshi_tasks.commands import create_user

        password = _read_password()
        user_id = asyncio.run(
            create_user(_tasks_settings(), args.name, password, args.role, args.unit, args.display_name)
        )
        print(f"created user {args.name} (id {user_id})")
    elif args.command == "token":
        from luoshi_tasks.commands import issue_token

        print(asyncio.run(issue_token(_tasks_settings(), args.name, args.ttl)))
    elif args.command == "demo":
        from luoshi_tasks.commands import load_demo

        result = asyncio.run(load_demo(_tasks_settings()))
        print(f"demo loaded: {result['units']} new units, new users: {', '.join(result['users']) or 'none'}")
    elif args.command == "calendar":
        from luoshi_ops.calendarcmd import run_import

        raise SystemExit(run_import(_tasks_settings(), args.file, args.year, apply=args.apply))
    elif args.command == "jwt-key":
        from luoshi_tasks.identity.keys import generate_key_file

        if args.file.exists():
            print(f"{args.file} exists: kept")
        else:
            generate_key_file(args.file)
            print(f"wrote {args.file}")
    elif args.command == "secret-key":
        from luoshi.secretbox import SecretBox

        print(SecretBox.new_key())
    elif args.command == "run":
        from luoshi_ops.devrun import run

        raise SystemExit(run())
    elif args.command == "origin":
        from luoshi_ops import console, devproxy

        port = args.port or int(os.environ.get("ORIGIN_PORT", devproxy.DEFAULT_PORT))
        devproxy.serve(os.environ.get("HOST", "127.0.0.1"), port, console.DIST)
    elif args.command == "console":
        from luoshi_ops import console

        try:
            print(f"web console: {console.build(force=args.force)}")
        except console.ConsoleUnavailable as exc:
            raise SystemExit(str(exc)) from None
    elif args.command == "nginx-routes":
        from luoshi_ops import routing

        if args.write:
            from luoshi.settings import REPO_ROOT

            conf = REPO_ROOT / "deploy" / "nginx" / "luoshi.conf"
            conf.write_text(routing.with_locations(conf.read_text()))
        else:
            print(routing.nginx_locations(), end="")
    elif args.command == "serve":
        import uvicorn

        from luoshi.settings import BaseServiceSettings

        uvicorn.run(
            SERVICES[args.service][0],
            host=os.environ.get("HOST", "127.0.0.1"),
            port=service_port(args.service),
            workers=args.workers,
            log_config=None,
            access_log=False,
            proxy_headers=True,
            # X-Forwarded-For is believed from these only (the client address sign-ins are throttled by)
            forwarded_allow_ips=BaseServiceSettings().forwarded_allow_ips,
            # On SIGTERM, requests in flight get this long to finish, inside Kubernetes' default 30 s grace period;
            # idle keep-alive connections are closed after 5 s.
            timeout_graceful_shutdown=20,
            timeout_keep_alive=5,
        )
    elif args.command == "parse":
        from luoshi_ops.parsecmd import run_parse

        raise SystemExit(run_parse(args.file, as_json=args.json))
    elif args.command == "backup":
        from luoshi_ops.backup import run_backup

        raise SystemExit(run_backup(_database_url(), args.file))
    elif args.command == "restore":
        from luoshi_ops.backup import run_restore

        raise SystemExit(run_restore(_database_url(), args.file, clean=args.clean))
    elif args.command == "audit":
        from luoshi_ops.auditcmd import run_purge

        raise SystemExit(run_purge(_database_url(), args.older_than_days))
    elif args.command == "db":
        from luoshi_ops import devdb

        if args.action == "start":
            devdb.start()
            devdb.ensure_database(devdb.admin_url(), "luoshi")
            print(devdb.url("luoshi"))
        elif args.action == "stop":
            devdb.stop()
        else:
            print(devdb.url("luoshi"))


if __name__ == "__main__":
    main()
