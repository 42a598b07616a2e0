"""The README's pictures of the console, taken from the demo `make run` loads (a database of its own, the Xiayi
plan through the services' HTTP API), each once its screen shows the demo's data: the office's 待办 and plan tree,
the ranking, a leader's overview, and 质监局's tasks, assignment and inbox at a phone's width. They are written to
a temporary folder; `make screenshots` writes them to docs/screenshots/ (LUOSHI_SCREENSHOTS)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from luoshi_ops.migrate import upgrade
from luoshi_tasks.demo_plan import TITLE, load_demo_plan
from tests.conftest import TEST_DB
from tests.console.browser import CHROMIUM, PASSWORD, sign_in
from tests.support import REPO, fresh_database, running_origin

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

DEMO_PASSWORD = "luoshi-demo-2026"
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, console_dist: Path) -> Iterator[dict[str, Any]]:
    """`make run`'s stack on a database of its own with the demo loaded as `make run` loads it."""
    from luoshi_notify.demo_notify import load_demo_notices
    from luoshi_scoring.demo_scoring import load_demo_scoring

    # in a thread of its own: Playwright's sync API (the browser fixture) keeps an event loop running in this one
    with ThreadPoolExecutor(1) as thread:
        url = thread.submit(fresh_database, f"{TEST_DB}_demo").result()
        thread.submit(upgrade, url).result()
    logs = tmp_path_factory.mktemp("demo")
    with running_origin(url, logs, ("demo-root", PASSWORD)) as (origin, services):
        loaded = subprocess.run(
            [sys.executable, "-m", "luoshi_ops.cli", "demo"], env=services.env, cwd=REPO, capture_output=True
        )
        assert loaded.returncode == 0, loaded.stderr.decode()
        urls = services.urls
        plan = load_demo_plan(urls["tasks"], "office", DEMO_PASSWORD)
        load_demo_notices(urls["tasks"], urls["notify"], "office", DEMO_PASSWORD, plan["plan_id"])
        scored = load_demo_scoring(urls["tasks"], urls["scoring"], "office", DEMO_PASSWORD, plan["plan_id"])
        yield {"origin": origin, "plan_id": plan["plan_id"], "assessment_id": scored["assessment_id"]}


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("LUOSHI_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser: Any, size: dict[str, int]) -> Any:
    return browser.new_context(viewport=size, locale="zh-CN", device_scale_factor=1).new_page()


def _shoot(page: Any, pictures: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    path = pictures / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")  # not half-way through Ant Design's fade-ins
    assert path.stat().st_size > 10_000, f"{name}.png is nearly empty"


def test_the_office_sees_its_todo_and_the_plan_tree(browser: Any, demo: dict[str, Any], pictures: Path) -> None:
    from playwright.sync_api import expect

    page = _page(browser, DESK)
    sign_in(page, demo["origin"], "office", DEMO_PASSWORD)
    expect(page.get_by_test_id("todo")).to_be_visible()
    expect(page.get_by_test_id("todo").locator(".ant-list-item").first).to_be_visible()
    _shoot(page, pictures, "todo")

    page.goto(f"{demo['origin']}/plans/{demo['plan_id']}")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("产业集聚发展迅速").first).to_be_visible()
    _shoot(page, pictures, "plan")

    page.goto(f"{demo['origin']}/assess/{demo['assessment_id']}")
    expect(page.get_by_role("heading", name="排名")).to_be_visible()
    expect(page.get_by_role("table").locator(".ant-table-row").first).to_be_visible()
    _shoot(page, pictures, "ranking")
    page.context.close()


def test_a_unit_sees_its_tasks_an_assignment_and_its_inbox_on_a_phone(
    browser: Any, demo: dict[str, Any], pictures: Path
) -> None:
    from playwright.sync_api import expect

    page = _page(browser, PHONE)
    sign_in(page, demo["origin"], "zhijian", DEMO_PASSWORD, path="/my-tasks")
    tasks = page.get_by_test_id("my-tasks")
    expect(tasks.get_by_role("link").first).to_be_visible()
    _shoot(page, pictures, "my-tasks")

    tasks.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/assignments/\d+$"))
    expect(page.get_by_test_id("assignment").get_by_role("button", name="签收")).to_be_visible()
    _shoot(page, pictures, "assignment")

    page.goto(f"{demo['origin']}/inbox")
    expect(page.get_by_text(re.compile(r"未读 [1-9]\d* 条"))).to_be_visible()
    _shoot(page, pictures, "inbox")
    page.context.close()


def test_a_leader_reads_the_overview(browser: Any, demo: dict[str, Any], pictures: Path) -> None:
    from playwright.sync_api import expect

    page = _page(browser, DESK)
    sign_in(page, demo["origin"], "leader", DEMO_PASSWORD, path="/overview")
    expect(page.get_by_role("heading", name="总览")).to_be_visible()
    expect(page.get_by_text(TITLE).first).to_be_visible()
    _shoot(page, pictures, "overview")
    page.context.close()
