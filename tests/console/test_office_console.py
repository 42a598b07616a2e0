"""The office's console in a real browser, served by the one origin: the office imports a plan from a document
(the job's progress, the draft beside the document, an unknown unit mapped, accept) and finds the plan's task
tree; a leader reads the plan with no button that changes it, and the API refuses the leader's change anyway; a
change made on data someone else changed first is told plainly (412) and succeeds after a reload; a breakdown
table is imported into a plan from the plan's page.
What is checked is what a user sees on the page; the browser reports no error, and the plan page has no serious
accessibility problem (axe-core)."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from tests.conftest import unique
from tests.console.browser import AXE, CHROMIUM, PASSWORD, accessibility_problems, sign_in
from tests.support import REPO, county_plan

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

XIAYI = REPO / "tests" / "fixtures" / "samples" / "xiayi-brand-zone-plan-2015.txt"
PLAN_TITLE = "夏邑县创建河南省知名品牌创建示范产业集聚区实施方案"


@pytest.fixture(scope="module")
def people(origin: str) -> dict[str, Any]:
    """A county (government, office, bureau) and two accounts made by the administrator through the origin: a
    clerk of the county's office (role office) and a leader (read-only)."""
    with httpx.Client(base_url=origin, timeout=30) as http:
        token = http.post("/v1/auth/token", data={"username": "origin-admin", "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        county = county_plan(http, auth, "导")
        accounts = {}
        for role, unit in (("office", county["office"]["id"]), ("leader", None)):
            name = unique(f"console-{role}-")
            made = http.post(
                "/v1/users",
                headers=auth,
                json={"username": name, "password": PASSWORD, "roles": [role], "unit_id": unit, "display_name": name},
            )
            assert made.status_code == 201, made.text
            accounts[role] = name
    # "office" and "leader" name the accounts; the county's office (a unit) is "office_unit"
    return {**county, "office_unit": county["office"], **accounts}


def recording(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    return problems


@pytest.fixture(scope="module")
def imported(origin: str, browser: Any, people: dict[str, Any]) -> dict[str, Any]:
    """The office imports the Xiayi plan on the page; the plan's id, taken from the address the page ends at."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    problems = recording(page)
    try:
        sign_in(page, origin, people["office"], path="/imports")
        expect(page.get_by_role("heading", name="导入计划")).to_be_visible()
        page.locator("input[type=file]").first.set_input_files(str(XIAYI))

        # the job reads the document, then the draft opens beside the document
        page.wait_for_url(re.compile(r"/imports/\d+$"), timeout=60_000)
        expect(page.get_by_role("heading", name=re.compile("草稿审核"))).to_be_visible()
        tasks = page.get_by_test_id("draft-tasks")
        expect(tasks).to_contain_text("全面提升质量管理水平")
        expect(page.get_by_test_id("draft-source")).to_contain_text("夏政〔2015〕29号")

        # a task picked is marked in the document's text
        tasks.get_by_text("全面提升质量管理水平").click()
        expect(page.get_by_test_id("draft-span")).to_contain_text("全面提升质量管理水平")

        # the plan is the county's: names are then matched among its units, and 质监局 is mapped to its bureau
        page.get_by_label("发文单位", exact=True).fill(people["gov"]["name"])
        page.get_by_role("button", name="保存", exact=True).click()
        unknown = page.get_by_test_id("unknown-units")
        expect(unknown).to_contain_text("质监局")
        picker = page.get_by_role("combobox", name="「质监局」对应的单位")
        picker.click()
        picker.fill(people["bureau"]["name"])
        page.get_by_title(people["bureau"]["name"]).click()
        expect(picker).to_have_count(0)  # mapped: no longer among the unknown

        accept = page.get_by_role("button", name="接受并生成计划")
        expect(accept).to_be_disabled()  # other names are still unknown
        page.get_by_role("checkbox", name=re.compile("新建在发文单位下")).check()
        lead = page.get_by_role("checkbox", name=re.compile("允许没有牵头单位的任务"))
        if lead.count():
            lead.check()
        expect(accept).to_be_enabled()
        accept.click()

        page.wait_for_url(re.compile(r"/plans/\d+$"), timeout=30_000)
        expect(page.get_by_text(re.compile(r"已生成计划：\d+ 项任务"))).to_be_visible()
        plan_id = int(page.url.rsplit("/", 1)[1])
        assert problems == []
        return {"plan_id": plan_id}
    finally:
        context.close()


def test_the_office_imports_a_plan_and_finds_its_task_tree(origin: str, browser: Any, people, imported) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    problems = recording(page)
    try:
        sign_in(page, origin, people["office"], path=f"/plans/{imported['plan_id']}")
        expect(page.get_by_role("heading", name=PLAN_TITLE)).to_be_visible()
        tree = page.get_by_test_id("task-tree")
        expect(tree).to_contain_text("工作重点")
        expect(tree).to_contain_text("全面提升质量管理水平")
        expect(page.get_by_role("button", name="归档")).to_be_visible()  # the office may change it

        # a search narrows the tree and stays in the address, so a reload shows the same
        page.get_by_label("搜索任务").fill("品牌带动")
        page.get_by_label("搜索任务").press("Enter")
        expect(tree).not_to_contain_text("全面提升质量管理水平")
        expect(page).to_have_url(re.compile(r"q=%E5%93%81%E7%89%8C"))
        page.reload()
        expect(page.get_by_test_id("task-tree")).to_contain_text("品牌带动")
        expect(page.get_by_test_id("task-tree")).not_to_contain_text("全面提升质量管理水平")

        page.get_by_role("tab", name="单位看板").click()
        expect(page).to_have_url(re.compile(r"tab=board"))
        expect(page.get_by_text("按时汇报率")).to_be_visible()
        expect(page.get_by_text("没有逾期任务")).to_be_visible()  # a plan made today
        assert problems == []
    finally:
        context.close()


def test_a_leader_reads_the_plan_and_finds_nothing_to_change(origin: str, browser: Any, people, imported) -> None:
    from playwright.sync_api import expect

    plan_id = imported["plan_id"]
    # bypass_csp: the accessibility check injects axe-core's script inline
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=AXE.exists())
    page = context.new_page()
    problems = recording(page)
    try:
        sign_in(page, origin, people["leader"], path=f"/plans/{plan_id}")
        expect(page.get_by_role("heading", name=PLAN_TITLE)).to_be_visible()
        expect(page.get_by_test_id("task-tree")).to_contain_text("全面提升质量管理水平")
        nav = page.get_by_role("navigation", name="主菜单")
        expect(nav).to_contain_text("计划")
        expect(nav).not_to_contain_text("导入计划")
        for change in ("归档", "导入分解表", "导入计划"):
            expect(page.get_by_role("button", name=change)).to_have_count(0)
        if AXE.exists():
            assert accessibility_problems(page) == []

        page.get_by_role("link", name="计划", exact=True).click()
        expect(page.get_by_role("link", name=PLAN_TITLE).first).to_be_visible()
        expect(page.get_by_role("button", name="导入计划")).to_have_count(0)
        assert problems == []
    finally:
        context.close()

    # and the API refuses the leader's change whatever the page shows
    with httpx.Client(base_url=origin, timeout=30) as http:
        token = http.post("/v1/auth/token", data={"username": people["leader"], "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        plan = http.get(f"/v1/plans/{plan_id}", headers=auth)
        assert plan.status_code == 200
        refused = http.post(f"/v1/plans/{plan_id}/archive", headers={**auth, "If-Match": plan.headers["etag"]})
        assert refused.status_code == 403, refused.text


def test_the_draft_review_has_no_serious_accessibility_problem(origin: str, browser: Any, people) -> None:
    """The review as the office works on it (a task picked, its editor open, the unknown units' pickers)."""
    from playwright.sync_api import expect

    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci in web/console)")
    with httpx.Client(base_url=origin, timeout=30) as http:
        token = http.post("/v1/auth/token", data={"username": people["office"], "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        started = http.post(
            "/v1/plan-drafts", headers=auth, json={"text": XIAYI.read_text("utf-8"), "source_name": "xiayi.txt"}
        )
        assert started.status_code == 202, started.text
        for _ in range(120):
            job = http.get(started.headers["location"], headers=auth).json()
            if job["status"] in ("succeeded", "failed"):
                break
            time.sleep(0.5)
        assert job["status"] == "succeeded", job

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, origin, people["office"], path=f"/imports/{job['result']['draft_id']}")
        page.get_by_test_id("draft-tasks").get_by_text("全面提升质量管理水平").click()
        expect(page.get_by_role("button", name="保存任务")).to_be_visible()
        assert accessibility_problems(page) == []
    finally:
        context.close()


def test_the_office_imports_a_breakdown_table_into_a_plan(origin: str, browser: Any, people, tmp_path) -> None:
    from playwright.sync_api import expect

    with httpx.Client(base_url=origin, timeout=30) as http:
        token = http.post("/v1/auth/token", data={"username": "origin-admin", "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        body = {
            "title": unique("导县标准化工作方案-"),
            "issuer": people["gov"]["name"],
            "status": "active",
            "office_unit": people["office_unit"]["id"],
        }
        plan = http.post("/v1/plans", headers=auth, json=body).json()
    bureau = people["bureau"]["name"]
    table = tmp_path / "分解表.csv"
    table.write_text(
        "序号,工作任务,牵头单位,完成时限\n"
        f"1,开展标准化示范企业创建,{bureau},2027年6月底前\n"
        f"2,组织企业标准自我声明公开,{bureau},2027年12月底前\n",
        encoding="utf-8",
    )

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    problems = recording(page)
    try:
        sign_in(page, origin, people["office"], path=f"/plans/{plan['id']}")
        expect(page.get_by_test_id("task-tree")).to_contain_text("没有符合条件的任务")
        page.get_by_role("button", name="导入分解表").click()
        expect(page.get_by_role("tab", name="导入任务分解表")).to_have_attribute("aria-selected", "true")
        expect(page.get_by_text(plan["title"])).to_be_visible()  # the plan it came from is chosen
        page.locator("input[type=file][accept='.xlsx,.csv']").set_input_files(str(table))

        # the job imports the table, then the plan's page shows its tasks
        page.wait_for_url(re.compile(rf"/plans/{plan['id']}$"), timeout=60_000)
        tree = page.get_by_test_id("task-tree")
        expect(tree).to_contain_text("开展标准化示范企业创建")
        expect(tree).to_contain_text("组织企业标准自我声明公开")
        expect(tree).to_contain_text(bureau)
        assert problems == []
    finally:
        context.close()


def test_a_change_on_stale_data_is_told_plainly_and_succeeds_after_a_reload(origin: str, browser: Any, people) -> None:
    from playwright.sync_api import expect

    plan = people["plan"]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    problems = recording(page)
    try:
        sign_in(page, origin, people["office"], path=f"/plans/{plan['id']}")
        expect(page.get_by_role("heading", name=plan["title"])).to_be_visible()

        # someone else changes the plan after the page read it
        with httpx.Client(base_url=origin, timeout=30) as http:
            token = http.post("/v1/auth/token", data={"username": "origin-admin", "password": PASSWORD}).json()
            auth = {"Authorization": f"Bearer {token['access_token']}"}
            etag = http.get(f"/v1/plans/{plan['id']}", headers=auth).headers["etag"]
            changed = http.patch(
                f"/v1/plans/{plan['id']}", headers={**auth, "If-Match": etag}, json={"summary": "另一位同事改过"}
            )
            assert changed.status_code == 200, changed.text

        archive = page.get_by_role("main").get_by_role("button", name="归档")
        confirm = page.get_by_role("tooltip").get_by_role("button", name="归档")  # the confirmation's own button
        archive.click()
        confirm.click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("数据已被他人修改，请刷新后重试")
        problems = [p for p in problems if "412" not in p]  # the browser logs the refused request itself

        alert.get_by_role("button", name="刷新").click()
        expect(page.get_by_role("alert")).to_have_count(0)
        archive.click()
        confirm.click()
        expect(page.get_by_text("已归档", exact=True)).to_be_visible()
        expect(archive).to_have_count(0)  # nothing changes in an archived plan
        assert problems == []
    finally:
        context.close()
