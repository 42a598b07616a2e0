"""The layers declared in pyproject.toml ([tool.importlinter]) hold on the real tree, and `lint-imports` (what
`make lint` runs) fails, naming the contract, when a copy of the tree breaks one: the kit importing a service,
or one service importing another."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support import REPO

# Where the packages live, as pyproject.toml's [tool.setuptools.packages.find] lists them.
PACKAGE_DIRS = ["shared", "services/tasks-api", "services/scoring-api", "services/notify", "deploy"]
KIT = "The kit (luoshi) imports no service and no tooling"
SERVICES = "The three services are independent of each other"
TOOLING = "The tooling (luoshi_ops) is on top: no service imports it"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the tree at `root`, its packages found there and not in the installed checkout."""
    path = os.pathsep.join(str(root / d) for d in PACKAGE_DIRS)
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )


def tree_copy(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for d in ["shared", "services"]:
        shutil.copytree(REPO / d, root / d, ignore=ignore)
    shutil.copytree(REPO / "deploy" / "luoshi_ops", root / "deploy" / "luoshi_ops", ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def inject(module: Path, line: str) -> None:
    module.write_text(module.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_real_tree_keeps_every_contract() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (KIT, SERVICES, TOOLING):
        assert f"{contract} KEPT" in result.stdout


def test_an_import_from_the_kit_into_a_service_fails(tmp_path: Path) -> None:
    root = tree_copy(tmp_path)
    inject(root / "shared" / "luoshi" / "outbox.py", "import luoshi_tasks.naming  # noqa: E402")
    result = lint_imports(root)
    assert result.returncode != 0
    assert f"{KIT} BROKEN" in result.stdout
    assert "luoshi.outbox -> luoshi_tasks.naming" in result.stdout


def test_an_import_between_two_services_fails(tmp_path: Path) -> None:
    root = tree_copy(tmp_path)
    inject(root / "services" / "notify" / "luoshi_notify" / "settings.py", "import luoshi_scoring.rules  # noqa: E402")
    result = lint_imports(root)
    assert result.returncode != 0
    assert f"{SERVICES} BROKEN" in result.stdout
    assert "luoshi_notify.settings -> luoshi_scoring.rules" in result.stdout
    assert f"{KIT} KEPT" in result.stdout


def test_a_service_importing_the_tooling_fails(tmp_path: Path) -> None:
    root = tree_copy(tmp_path)
    inject(root / "services" / "scoring-api" / "luoshi_scoring" / "settings.py", "import luoshi_ops.cli  # noqa: E402")
    result = lint_imports(root)
    assert result.returncode != 0
    assert f"{TOOLING} BROKEN" in result.stdout
