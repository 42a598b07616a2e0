"""The web console in a real browser (headless Chromium, driven with Playwright), served by the one origin as
`make run` serves it: a user signs in on the page, and the page shows what the three services answer for them.
A wrong password is told in Chinese; a reload keeps the tab signed in (its refresh token); signing out ends it.
Nothing the page does may be blocked by its Content-Security-Policy or raise in the browser."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import unique
from tests.console.browser import CHROMIUM, PASSWORD, accessibility_problems, sign_in
from tests.support import county_plan

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def county(origin: str) -> dict[str, Any]:
    """A plan and an indicator the administrator will see on the page, made through the origin's APIs."""
    with httpx.Client(base_url=origin, timeout=30) as http:
        token = http.post("/v1/auth/token", data={"username": "origin-admin", "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}

        county = county_plan(http, auth, "页")
        plan, bureau = county["plan"], county["bureau"]
        indicator = http.post(
            "/v1/indicators",
            headers=auth,
            json={
                "plan_id": plan["id"],
                "unit_ids": [bureau["id"]],
                "name": unique("监督抽查合格率-"),
                "unit": "%",
                "comparator": ">=",
                "target": 95,
                "weight": 10,
                "rule": {"kind": "pass_fail"},
            },
        )
        assert indicator.status_code == 201, indicator.text
        # a task for the bureau: its people will have it to sign for; the administrator's own queue, as the API
        # gives it, is what the page must show
        task = {"number": "1", "title": "开展质量提升行动", "lead_unit": bureau["id"], "deadline": "2027年6月底前"}
        assert http.post(f"/v1/plans/{plan['id']}/tasks", json=task, headers=auth).status_code == 201
        todo = http.get("/v1/me/todo/all?limit=20", headers=auth).json()
        assert all(source["ok"] for source in todo["sources"]), todo["sources"]
    return {
        "plan": plan["title"],
        "indicator": indicator.json()["name"],
        "todo": [item["title"] for item in todo["items"]],
    }


def test_a_user_signs_in_and_sees_all_three_services(origin: str, browser: Any, county: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    try:
        page.goto(origin)
        expect(page.get_by_role("button", name="登录")).to_be_visible()

        # a wrong password: the service's Chinese text, and still on the sign-in form
        page.get_by_label("用户名").fill("origin-admin")
        page.get_by_label("密码").fill("not-the-password")
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码")
        problems = [p for p in problems if "401" not in p]  # the browser logs the refused sign-in itself

        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_test_id("me")).to_contain_text("origin-admin")  # tasks-api: /v1/me
        expect(page.get_by_test_id("plans")).to_contain_text(county["plan"])  # tasks-api: /v1/plans
        expect(page.get_by_test_id("indicators")).to_contain_text(county["indicator"])  # scoring-api
        expect(page.get_by_test_id("inbox")).to_contain_text("未读")  # notify: /v1/inbox
        todo = page.get_by_test_id("todo")  # 待办: the three services' queues in one call
        for title in county["todo"] or ["暂无待办"]:
            expect(todo).to_contain_text(title)
        expect(todo.get_by_role("alert")).to_have_count(0)  # no problem, no service missing

        # a reload keeps the tab signed in: the access token was in memory only, the refresh token renews it
        page.reload()
        expect(page.get_by_test_id("indicators")).to_contain_text(county["indicator"])

        page.get_by_role("button", name="退出").click()
        expect(page.get_by_role("button", name="登录")).to_be_visible()
        page.reload()
        expect(page.get_by_role("button", name="登录")).to_be_visible()
        assert problems == []
    finally:
        context.close()


def test_the_console_reads_in_english_and_remembers_it(origin: str, browser: Any, county: dict[str, Any]) -> None:
    """The language switch: menu, headings and the services' own words in English, kept across a reload, and
    axe-core finds no serious violation in English either."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, origin, "origin-admin")
        page.get_by_text("English", exact=True).click()
        nav = page.get_by_role("navigation", name="Main menu")
        for name in ("To do", "Overview", "Plans", "Assessment", "Indicators", "Messages", "Administration"):
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        expect(page.get_by_test_id("todo")).to_contain_text("To do")
        assert accessibility_problems(page) == []

        page.reload()
        expect(
            page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Plans", exact=True)
        ).to_be_visible()
        page.goto(f"{origin}/plans")
        expect(page.get_by_role("link", name=county["plan"])).to_be_visible()
        assert accessibility_problems(page) == []

        page.get_by_text("中文", exact=True).click()
        expect(
            page.get_by_role("navigation", name="主菜单").get_by_role("link", name="计划", exact=True)
        ).to_be_visible()
    finally:
        context.close()
