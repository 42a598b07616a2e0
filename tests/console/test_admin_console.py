"""管理 in a real browser, served by the one origin: the administrator creates a unit and a user of it, who then
signs in; renames the unit; edits a notification channel without its secret ever being in the page; and adds a
day to the working-day calendar and removes it again. Each tab passes axe-core's serious and critical checks."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import unique
from tests.console.browser import CHROMIUM, PASSWORD, accessibility_problems, sign_in

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

SECRET = "hook-signing-secret-7f3a"


def _page(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True).new_page()


def _admin(http: httpx.Client) -> dict[str, str]:
    token = http.post("/v1/auth/token", data={"username": "origin-admin", "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_the_admin_creates_a_unit_and_its_user_who_signs_in(origin: str, browser: Any) -> None:
    from playwright.sync_api import expect

    unit, username = unique("测试县档案馆-"), unique("dangan-")
    page = _page(browser)
    sign_in(page, origin, "origin-admin", path="/admin?tab=units")
    new_unit = page.get_by_role("form", name="新建单位")
    new_unit.get_by_label("单位全称").fill(unit)
    new_unit.get_by_label("简称").fill("档案馆")
    new_unit.get_by_role("button", name="新建单位").click()
    expect(new_unit.get_by_label("单位全称")).to_have_value("")  # cleared once created
    page.get_by_label("查找单位").fill(unit)
    page.get_by_label("查找单位").press("Enter")
    expect(page.get_by_role("cell", name=unit, exact=True)).to_be_visible()
    assert accessibility_problems(page) == []

    # renamed with the ETag read
    page.get_by_role("button", name=f"改名「{unit}」").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("单位全称").fill(unit + "（新）")
    dialog.get_by_role("button", name=re.compile(r"^保\s?存$")).click()
    expect(page.get_by_role("cell", name=unit + "（新）", exact=True)).to_be_visible()
    unit += "（新）"

    # a user of it: a weak password is refused with the field at fault, a good one makes the user
    page.get_by_role("tab", name="用户").click()
    form = page.get_by_role("form", name="新建用户")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("姓名").fill("档案馆联络员")
    form.get_by_label("所属单位").fill(unit[:8])
    page.get_by_title(re.compile(re.escape(unit))).click()
    # the page at rest: Ant Design's closing list keeps options axe-core faults (aria-selected without a role)
    expect(page.locator(".ant-select-dropdown:visible")).to_have_count(0)
    form.get_by_label("初始密码").fill("short")
    form.get_by_role("button", name="新建用户").click()
    expect(form.get_by_role("alert")).to_contain_text("password")
    assert accessibility_problems(page) == []
    form.get_by_label("初始密码").fill(PASSWORD)
    form.get_by_role("button", name="新建用户").click()
    expect(form.get_by_text(f"已创建用户「{username}」")).to_be_visible()
    page.context.close()

    page = _page(browser)
    sign_in(page, origin, username)
    expect(page.get_by_role("main")).to_contain_text(unit)  # 我的账号: the unit it was made for
    page.context.close()


def test_the_admin_edits_a_channel_without_seeing_its_secret(origin: str, browser: Any) -> None:
    from playwright.sync_api import expect

    name = unique("督查平台推送-")
    with httpx.Client(base_url=origin, timeout=30) as http:
        auth = _admin(http)
        # switched off: an enabled channel would take every later test's notices (and fail them, on port 9)
        body = {
            "name": name,
            "kind": "webhook",
            "config": {"url": "http://127.0.0.1:9/hook", "secret": SECRET},
            "enabled": False,
        }
        made = http.post("/v1/channels", json=body, headers=auth)
        assert made.status_code == 201, made.text
        channel = made.json()

    page = _page(browser)
    sign_in(page, origin, "origin-admin", path="/admin?tab=channels")
    page.get_by_role("button", name=f"修改「{name}」").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("密钥 secret")).to_have_value("")
    assert SECRET not in page.content() and "********" not in page.content()
    assert accessibility_problems(page) == []
    dialog.get_by_label("名称").fill(name + "（改）")
    dialog.get_by_role("button", name=re.compile(r"^保\s?存$")).click()
    expect(page.get_by_role("cell", name=name + "（改）", exact=True)).to_be_visible()
    assert SECRET not in page.content()
    page.context.close()

    with httpx.Client(base_url=origin, timeout=30) as http:
        auth = _admin(http)
        read = http.get(f"/v1/channels/{channel['id']}", headers=auth).json()
        assert read["name"] == name + "（改）" and read["version"] == channel["version"] + 1
        assert read["enabled"] is False  # the dialog kept it off
        # the secret field left empty: the channel still has one (notify kept the stored value)
        assert read["config"]["secret"] == "********"


def test_the_admin_sees_the_calendar_and_adds_and_removes_a_day(origin: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _page(browser)
    sign_in(page, origin, "origin-admin", path="/admin?tab=calendar&year=2026")
    # 2026 as loaded from the State Council's notice: 春节 off, a Saturday worked
    expect(page.get_by_role("row", name=re.compile("2026-02-17"))).to_contain_text("春节")
    expect(page.get_by_role("row", name=re.compile("2026-02-14"))).to_contain_text("调休上班")
    expect(page.get_by_text("已载入")).to_be_visible()
    assert accessibility_problems(page) == []

    # a provisional year no other test reads: the day added, then removed, leaves it as it was
    year = 2029
    page.goto(f"{origin}/admin?tab=calendar&year={year}")
    expect(page.get_by_text("暂按周一至周五")).to_be_visible()
    form = page.get_by_role("form", name="添加日期")
    form.get_by_label("日期").fill(f"{year}-03-12")
    form.get_by_label("节日名称").fill("植树节")
    form.get_by_role("button", name=re.compile(r"^添\s?加$")).click()
    row = page.get_by_role("row", name=re.compile(f"{year}-03-12"))
    expect(row).to_contain_text("植树节")
    expect(row).to_contain_text("放假")
    assert accessibility_problems(page) == []

    row.get_by_role("button", name=f"删除 {year}-03-12").click()
    page.get_by_role("tooltip").get_by_role("button", name=re.compile(r"删\s?除")).click()
    expect(page.get_by_role("row", name=re.compile(f"{year}-03-12"))).to_have_count(0)
    page.context.close()
