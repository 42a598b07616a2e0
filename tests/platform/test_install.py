"""deploy/install.sh as an operator runs it, without root: install twice into a prefix, then start the installed
services (not the checkout's) against the test database, the way the systemd units do, and see them ready."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO, LiveServices, with_database

INSTALL = REPO / "deploy" / "install.sh"
# Read by the code outside the Settings classes: where migrations/ live (luoshi.settings).
OTHER_VARIABLES = {"LUOSHI_HOME"}


def settings_variables() -> set[str]:
    """Every environment variable the three services' Settings read (aliases included)."""
    from pydantic import AliasChoices

    from luoshi_notify.settings import NotifySettings
    from luoshi_scoring.settings import ScoringSettings
    from luoshi_tasks.settings import TasksSettings

    names = set()
    for cls in (TasksSettings, ScoringSettings, NotifySettings):
        for name, info in cls.model_fields.items():
            alias = info.validation_alias
            names.update(alias.choices if isinstance(alias, AliasChoices) else [name.upper()])  # type: ignore[arg-type]
    return names


def _install(prefix: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *("bash", INSTALL, "--prefix", prefix, "--no-systemd"),
            "--database-url",
            database_url,
            "--python",
            sys.executable,
        ],
        capture_output=True,
        text=True,
        timeout=400,
        cwd=prefix.parent,
    )


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments skipped, one level of quotes removed)."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[key.strip()] = value
    return values


class InstalledServices(LiveServices):
    """The three services from the installed virtualenv, with its env file, as luoshi-*.service starts them."""

    def __init__(self, prefix: Path, database_url: str, log_dir: Path) -> None:
        super().__init__(database_url, log_dir)
        config = read_env_file(prefix / "etc" / "luoshi.env")
        # Only the test's free ports and addresses differ from what the units would run with.
        ports = {k: v for k, v in self.env.items() if k.endswith(("_PORT", "_URL")) and k != "DATABASE_URL"}
        self.env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **config, **ports}
        self.prefix = prefix

    def start(self) -> InstalledServices:
        for key in self.ports:
            log = self.logs[key].open("wb")
            self.procs[key] = subprocess.Popen(
                [str(self.prefix / "venv" / "bin" / "luoshi"), "serve", key],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.prefix / "var",
            )
        for key in self.ports:
            self.wait_ready(key, timeout=60)
        return self


@pytest.mark.slow
def test_install_twice_then_the_installed_services_are_ready(database_url: str, tmp_path: Path) -> None:
    prefix = tmp_path / "opt-luoshi"
    first = _install(prefix, database_url)
    assert first.returncode == 0, first.stdout + first.stderr
    env_file = prefix / "etc" / "luoshi.env"
    config = env_file.read_text()
    settings = read_env_file(env_file)
    assert settings["ENVIRONMENT"] == "production" and settings["DATABASE_URL"] == database_url
    assert len(settings["SERVICE_SECRET"]) >= 32 and env_file.stat().st_mode & 0o077 == 0
    assert len(settings["CHANNEL_SECRET_KEYS"]) == 44  # a Fernet key, made for this install
    assert (prefix / "var" / "jwt-private.pem").is_file()
    assert set(settings) - settings_variables() - OTHER_VARIABLES == set()  # no misspelt setting

    # Again, as an upgrade runs it: the same result, the operator's configuration and secret kept.
    units = {p.name: p.read_text() for p in (prefix / "systemd").iterdir()}
    second = _install(prefix, database_url)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "reusing" in second.stdout and "keeping" in second.stdout
    assert env_file.read_text() == config
    assert {p.name: p.read_text() for p in (prefix / "systemd").iterdir()} == units

    # The units name this prefix and nothing left to fill in; systemd itself accepts them where it is installed.
    assert set(units) >= {f"luoshi-{s}.service" for s in ("migrate", "tasks", "scoring", "notify", "backup")}
    assert not [name for name, text in units.items() if "@PREFIX@" in text or "@USER@" in text]
    assert all(str(prefix) in text for name, text in units.items() if name.endswith(".service"))
    assert f"ExecStart={prefix}/venv/bin/luoshi serve tasks" in units["luoshi-tasks.service"]
    if shutil.which("systemd-analyze"):
        unit_files = sorted(str(p) for p in (prefix / "systemd").iterdir())
        verify = subprocess.run(["systemd-analyze", "verify", *unit_files], capture_output=True, text=True)
        assert verify.returncode == 0, verify.stderr

    # Installed, not linked to the checkout: the package lives in the prefix, migrations under LUOSHI_HOME.
    where = subprocess.run(
        [
            str(prefix / "venv" / "bin" / "python"),
            "-c",
            "import luoshi, luoshi_ops, luoshi_tasks; print(luoshi.__file__, luoshi_ops.__file__)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert where.returncode == 0, where.stderr
    assert all(path.startswith(str(prefix / "venv")) for path in where.stdout.split()), where.stdout
    assert (prefix / "app" / "migrations" / "env.py").is_file()

    # The wrapper runs any `luoshi` command with the configuration.
    migrate = subprocess.run([str(prefix / "bin" / "luoshi"), "migrate"], capture_output=True, text=True)
    assert migrate.returncode == 0 and "database is at head" in migrate.stdout, migrate.stderr
    # ...and what is set on its command line wins over the file.
    elsewhere = {**os.environ, "DATABASE_URL": with_database(database_url, "luoshi_no_such_database")}
    missing = subprocess.run([prefix / "bin" / "luoshi", "migrate"], env=elsewhere, capture_output=True, text=True)
    assert missing.returncode != 0 and "luoshi_no_such_database" in missing.stderr

    services = InstalledServices(prefix, database_url, tmp_path)
    try:
        services.start()  # each one waited for: GET /readyz answered 200
    finally:
        services.stop()
    shutil.rmtree(prefix / "venv")  # 200 MB; pytest keeps the last runs' temporary folders
