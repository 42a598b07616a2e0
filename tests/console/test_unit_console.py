"""A responsible unit's console in a real browser, served by the one origin, at a phone's width (375 px): the unit
signs for its task in 我的任务 and reports with an attachment; the county's office reads the 签收 in the history in
words, downloads the file and returns the report with a reason, which the unit then reads in its 待办; the unit
asks for more time and the office grants it, and the unit sees the new deadline. What is checked is what a user
sees; the browser reports no error."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import unique
from tests.console.browser import CHROMIUM, PASSWORD, accessibility_problems, sign_in
from tests.support import county_plan

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

PHONE = {"width": 375, "height": 740}
TASK = "开展质量提升行动（单位端）"


@pytest.fixture(scope="module")
def county(origin: str) -> dict[str, Any]:
    """A county with a plan, a task led by its bureau, and two accounts made through the origin: a clerk of the
    bureau (role unit) and a clerk of the county's office (role office)."""
    with httpx.Client(base_url=origin, timeout=30) as http:
        token = http.post("/v1/auth/token", data={"username": "origin-admin", "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        county = county_plan(http, auth, "单")
        accounts = {}
        for role, unit in (("unit", county["bureau"]["id"]), ("office", county["office"]["id"])):
            name = unique(f"console-{role}-")
            body = {"username": name, "password": PASSWORD, "roles": [role], "unit_id": unit, "display_name": name}
            made = http.post("/v1/users", headers=auth, json=body)
            assert made.status_code == 201, made.text
            accounts[role] = name
        task = {"number": "1", "title": TASK, "lead_unit": county["bureau"]["id"], "deadline": "2027年6月底前"}
        made = http.post(f"/v1/plans/{county['plan']['id']}/tasks", json=task, headers=auth)
        assert made.status_code == 201, made.text
        whose = {"unit_id": county["bureau"]["id"], "plan_id": county["plan"]["id"]}
        mine = http.get("/v1/me/assignments", params=whose, headers=auth).json()
    return {**county, **accounts, "assignment": mine["items"][0]}


def recording(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    return problems


def test_a_unit_reports_the_office_returns_it_and_grants_more_time(
    origin: str, browser: Any, county: dict[str, Any], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    evidence = tmp_path / "抽查报告.txt"
    evidence.write_text("监督抽查 120 批次，合格 111 批次。", encoding="utf-8")
    assignment = f"/assignments/{county['assignment']['id']}"

    unit = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)  # axe-core is injected inline
    office = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page, desk = unit.new_page(), office.new_page()
    problems = recording(page) + recording(desk)
    try:
        # 我的任务: the task, unsigned, with a 签收 button; signing for it moves it on
        sign_in(page, origin, county["unit"], path="/my-tasks")
        mine = page.get_by_test_id("my-tasks")
        expect(mine).to_contain_text(TASK)
        expect(mine).to_contain_text("待签收")
        mine.get_by_role("button", name="签收").click()
        expect(mine).to_contain_text("已签收")
        expect(mine.get_by_role("button", name="签收")).to_have_count(0)
        assert accessibility_problems(page) == []

        # the assignment: a report with a file
        mine.get_by_role("link", name=TASK).click()
        expect(page.get_by_test_id("assignment")).to_contain_text("已签收")
        reports = page.get_by_test_id("reports")
        reports.get_by_label("进展情况").fill("已完成主导产品监督抽查，合格率92.5%。")
        reports.get_by_label("附件").set_input_files(str(evidence))
        reports.get_by_role("button", name="提交报告").click()
        expect(reports).to_contain_text("待审核")
        expect(reports).to_contain_text("抽查报告.txt")
        assert accessibility_problems(page) == []

        # the office returns the report with a reason: 退回报告 waits for one
        sign_in(desk, origin, county["office"], path=assignment)
        review = desk.get_by_test_id("reports")
        expect(review).to_contain_text("已完成主导产品监督抽查")
        expect(review.get_by_role("button", name="退回报告")).to_be_disabled()
        review.get_by_label("退回理由").fill("请补充抽查明细表")
        review.get_by_role("button", name="退回报告").click()
        expect(review).to_contain_text("已退回")
        history = desk.get_by_test_id("history")
        expect(history).to_contain_text(county["unit"])  # its 签收, in the audit, named in words
        expect(history).to_contain_text("签收 → 已承办")
        expect(history).not_to_contain_text("transition:")
        # the report's file downloads under its name, fetched with the office's token
        with desk.expect_download() as got:
            review.get_by_role("button", name="下载附件 抽查报告.txt").click()
        assert got.value.suggested_filename == "抽查报告.txt"
        assert Path(got.value.path()).read_text(encoding="utf-8") == evidence.read_text(encoding="utf-8")

        # the unit reads the reason in its 待办
        page.goto(origin + "/")
        # the merged 待办 asks all three services: slower than one read on a busy machine
        expect(page.get_by_test_id("todo")).to_contain_text("请补充抽查明细表", timeout=20_000)

        # more time: asked by the unit, granted by the office, the new deadline shown to the unit
        page.goto(origin + assignment)
        extensions = page.get_by_test_id("extensions")
        extensions.get_by_label("申请延期至").fill("2027-09-30")
        extensions.get_by_label("延期理由").fill("抽查样品检测周期延长")
        extensions.get_by_role("button", name="申请延期").click()
        expect(extensions).to_contain_text("待审批")

        desk.reload()
        decide = desk.get_by_test_id("extensions")
        expect(decide).to_contain_text("抽查样品检测周期延长")
        decide.get_by_role("button", name="同意延期").click()
        expect(decide).to_contain_text("已同意")

        page.reload()
        expect(page.get_by_test_id("extensions")).to_contain_text("已同意")
        expect(page.get_by_test_id("assignment")).to_contain_text("2027-09-30")
        assert problems == []
    finally:
        unit.close()
        office.close()


def test_the_inbox_shows_the_unit_its_reminders(origin: str, browser: Any, county: dict[str, Any]) -> None:
    """The office urges (催办) the unit and a full sweep runs; the unit's 消息 lists what notify holds for it, with
    the unread count, and 全部已读 clears the count."""
    from playwright.sync_api import expect

    with httpx.Client(base_url=origin, timeout=30) as http:

        def headers(username: str) -> dict[str, str]:
            token = http.post("/v1/auth/token", data={"username": username, "password": PASSWORD}).json()
            return {"Authorization": f"Bearer {token['access_token']}"}

        admin, office, unit = headers("origin-admin"), headers(county["office"]), headers(county["unit"])
        urged = http.post(
            f"/v1/assignments/{county['assignment']['id']}/urgings", json={"note": "请尽快报送进展"}, headers=office
        )
        assert urged.status_code in (200, 201), urged.text
        assert http.post("/v1/sweeps", params={"full": "true"}, headers=admin).status_code < 300
        # in-app messages are written by notify's delivery loop, one after another: wait for the 催办
        deadline, urging = time.monotonic() + 30, None
        while urging is None and time.monotonic() < deadline:
            items = http.get("/v1/inbox", headers=unit).json()["items"]
            urging = next((i["subject"] for i in items if "催办" in i["subject"]), None)
            time.sleep(0.5)
        assert urging, "notify wrote no 催办 for the unit"

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    problems = recording(page)
    try:
        sign_in(page, origin, county["unit"], path="/inbox")
        messages = page.get_by_test_id("messages")
        expect(messages).to_contain_text(urging)
        expect(messages).to_contain_text(re.compile(r"未读 [1-9]\d* 条"))  # the 交办 may be there too
        messages.get_by_role("button", name="全部已读").click()
        expect(messages).to_contain_text("未读 0 条")
        expect(page.get_by_test_id("preferences")).to_contain_text("免打扰开始")
        assert problems == []
    finally:
        context.close()
