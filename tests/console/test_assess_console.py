"""考核, 管理 and 总览 in a real browser, served by the one origin: the administrator starts an assessment on the
page, follows its job to the ranking, reads a unit's scorecard with its explanations and publishes it; the unit's
own user then signs in and finds that scorecard. The administrator creates an API key and sees its secret once.
A leader opens the overview and finds no button that changes anything. On 指标, a unit enters its value of an
indicator with a note and an evidence file; the office finds it, downloads the file and verifies the value; a leader
reads it with no button. What is checked is what a user sees."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import unique
from tests.console.browser import CHROMIUM, PASSWORD, accessibility_problems, sign_in
from tests.support import county_plan

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def county(origin: str) -> dict[str, Any]:
    """A county with a plan, one task led by its bureau, an assessment scheme of the plan, and two accounts: the
    bureau's user (role unit) and a leader."""
    with httpx.Client(base_url=origin, timeout=30) as http:
        token = http.post("/v1/auth/token", data={"username": "origin-admin", "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        made = county_plan(http, auth, "考")
        plan, bureau = made["plan"], made["bureau"]
        task = {"number": "1", "title": "提升抽查合格率", "lead_unit": bureau["id"]}
        assert http.post(f"/v1/plans/{plan['id']}/tasks", json=task, headers=auth).status_code == 201
        performance = [{"metric": "on_time_completion_rate", "points": 10}]
        scheme = http.post(
            "/v1/schemes",
            json={"plan_id": plan["id"], "name": unique("年度考核-"), "performance": performance},
            headers=auth,
        )
        assert scheme.status_code == 201, scheme.text
        accounts = {}
        for role, unit in (("unit", bureau["id"]), ("leader", None)):
            name = unique(f"assess-{role}-")
            body = {"username": name, "password": PASSWORD, "roles": [role], "unit_id": unit, "display_name": name}
            answer = http.post("/v1/users", headers=auth, json=body)
            assert answer.status_code == 201, answer.text
            accounts[role] = name
    return {**made, "scheme": scheme.json(), "auth": auth, **accounts}


@pytest.fixture(scope="module")
def measured(origin: str, county: dict[str, Any]) -> dict[str, Any]:
    """A plan of its own (the first test publishes the county plan's 2026, which locks its values) with a task led
    by its bureau, an indicator that bureau reports (a percentage, yearly) and the bureau's user."""
    auth = county["auth"]
    with httpx.Client(base_url=origin, timeout=30) as http:
        made = county_plan(http, auth, "标")
        plan, bureau = made["plan"], made["bureau"]
        task = {"number": "1", "title": "提升抽查合格率", "lead_unit": bureau["id"]}
        assert http.post(f"/v1/plans/{plan['id']}/tasks", json=task, headers=auth).status_code == 201
        body = {
            "plan_id": plan["id"],
            "name": unique("主导产品监督抽查合格率-"),
            "unit": "%",
            "comparator": ">=",
            "target": 90,
            "baseline": 80,
            "period": "yearly",
            "weight": 10,
            "rule": {"kind": "linear"},
            "unit_ids": [bureau["id"]],
        }
        indicator = http.post("/v1/indicators", json=body, headers=auth)
        assert indicator.status_code == 201, indicator.text
        name = unique("measure-unit-")
        user = {
            "username": name,
            "password": PASSWORD,
            "roles": ["unit"],
            "unit_id": bureau["id"],
            "display_name": name,
        }
        answer = http.post("/v1/users", headers=auth, json=user)
        assert answer.status_code == 201, answer.text
    return {**made, "indicator": indicator.json(), "unit": name}


def _page(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True).new_page()


def test_an_assessment_is_run_published_and_read_by_its_unit(origin: str, browser: Any, county: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    bureau = county["bureau"]["name"]
    page = _page(browser)
    sign_in(page, origin, "origin-admin", path="/assess")
    expect(page.get_by_role("heading", name="考核")).to_be_visible()
    page.get_by_label("考核方案").click()
    page.get_by_title(county["scheme"]["name"]).click()
    page.get_by_label("考核期").fill("2026")
    page.get_by_role("button", name="开始考核").click()

    # the run's page follows the job, then ranks the units
    page.wait_for_url(re.compile(r"/assess/\d+"))
    expect(page.get_by_role("heading", name="排名")).to_be_visible(timeout=60_000)
    page.get_by_role("link", name=bureau).click()
    card = page.get_by_role("region", name="评分卡")
    expect(card).to_contain_text(bureau)
    assessment_id = int(re.search(r"/assess/(\d+)", page.url).group(1))
    with httpx.Client(base_url=origin, timeout=30) as http:
        answer = http.get(
            f"/v1/assessments/{assessment_id}/scorecards/{county['bureau']['id']}", headers=county["auth"]
        )
    explanations = [line["explain_zh"] for line in answer.json()["lines"]]
    assert explanations, answer.text
    for words in explanations:
        expect(card).to_contain_text(words)
    # the pointer off the ranking: a hovered row's background is not what the page shows at rest
    page.mouse.move(0, 0)
    assert accessibility_problems(page) == []

    page.get_by_role("button", name=re.compile(r"^发\s?布$")).click()
    page.get_by_role("tooltip").get_by_role("button", name=re.compile(r"发\s?布")).click()
    expect(page.get_by_text(re.compile("已发布"))).to_be_visible()
    page.context.close()

    # the bureau's user finds the published run and only its own scorecard
    page = _page(browser)
    sign_in(page, origin, county["unit"], path="/assess")
    page.get_by_role("link", name=re.compile("2026")).first.click()
    card = page.get_by_role("region", name="评分卡")
    for words in explanations:
        expect(card).to_contain_text(words)
    expect(page.get_by_role("heading", name="排名")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^发\s?布$"))).to_have_count(0)
    page.context.close()


def test_the_admin_sees_a_new_api_keys_secret_once(origin: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _page(browser)
    sign_in(page, origin, "origin-admin", path="/admin?tab=keys")
    name = unique("督查平台-")
    page.get_by_label("名称").fill(name)
    page.get_by_role("button", name="创建密钥").click()
    secret = page.get_by_test_id("api-key-secret")
    expect(secret).to_be_visible()
    key = secret.inner_text().strip()
    assert len(key) > 16
    page.reload()
    expect(page.get_by_role("cell", name=name)).to_be_visible()
    expect(page.get_by_text(key)).to_have_count(0)  # never shown again
    assert accessibility_problems(page) == []
    page.context.close()


def test_a_leader_reads_the_overview_without_change_buttons(origin: str, browser: Any, county: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page = _page(browser)
    sign_in(page, origin, county["leader"], path="/overview")
    expect(page.get_by_role("heading", name="总览")).to_be_visible()
    expect(page.get_by_role("link", name=county["plan"]["title"])).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    assert accessibility_problems(page) == []
    page.context.close()


def test_a_unit_enters_a_value_with_evidence_and_the_office_verifies_it(
    origin: str, browser: Any, county: dict[str, Any], measured: dict[str, Any], tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    indicator, plan = measured["indicator"], measured["plan"]
    evidence = tmp_path / "抽查报告.txt"
    evidence.write_text("2026年省级监督抽查：合格率 92.5%", encoding="utf-8")

    # the unit picks the plan, opens the indicator and enters its 2026 value with a note and the report
    page = _page(browser)
    sign_in(page, origin, measured["unit"], path="/indicators")
    expect(page.get_by_role("heading", name="指标")).to_be_visible()
    page.get_by_role("combobox", name="计划").click()
    page.get_by_title(plan["title"]).click()
    page.wait_for_url(re.compile(rf"plan={plan['id']}"))
    expect(page.get_by_role("cell", name=re.compile("不低于 90%"))).to_be_visible()
    page.get_by_role("link", name=indicator["name"]).click()
    expect(page.get_by_role("heading", name=indicator["name"])).to_be_visible()
    page.get_by_label("期别", exact=True).fill("2026")
    page.get_by_label("数值", exact=True).fill("92.5")
    page.get_by_label("证据说明", exact=True).fill("2026年省级监督抽查报告")
    page.get_by_label("证据文件", exact=True).set_input_files(str(evidence))
    page.get_by_role("button", name="提交数值").click()
    values = page.get_by_role("table").last
    expect(values).to_contain_text("92.5%")
    expect(values).to_contain_text("待核实")
    page.get_by_role("button", name="展开行").first.click()
    expect(page.get_by_role("region", name="证据：2026")).to_contain_text("抽查报告.txt")
    page.mouse.move(0, 0)
    assert accessibility_problems(page) == []
    page.context.close()

    # the office reads the value and its evidence, downloads the file and verifies the value
    page = _page(browser)
    sign_in(page, origin, "origin-admin", path=f"/indicators/{indicator['id']}")
    expect(page.get_by_role("table").last.get_by_role("cell", name=measured["bureau"]["name"])).to_be_visible()
    expect(page.get_by_role("button", name="提交数值")).to_have_count(0)  # the unit's form, not the office's
    page.get_by_role("button", name="展开行").first.click()
    region = page.get_by_role("region", name="证据：2026")
    expect(region).to_contain_text("2026年省级监督抽查报告")
    with page.expect_download() as download:
        region.get_by_role("button", name="下载 抽查报告.txt").click()
    assert download.value.suggested_filename == "抽查报告.txt"
    assert open(download.value.path(), encoding="utf-8").read() == evidence.read_text(encoding="utf-8")
    page.mouse.move(0, 0)
    assert accessibility_problems(page) == []
    page.get_by_role("button", name=re.compile(r"^核\s?实$")).click()
    expect(page.get_by_role("table").last).to_contain_text("已核实")
    expect(page.get_by_role("table").last).to_contain_text("origin-admin")
    page.context.close()

    # a leader reads the same with no button that changes anything
    page = _page(browser)
    sign_in(page, origin, county["leader"], path=f"/indicators/{indicator['id']}")
    expect(page.get_by_role("table").last).to_contain_text("已核实")
    expect(page.get_by_role("button", name=re.compile(r"核\s?实|修\s?改|提交数值|上\s?传"))).to_have_count(0)
    page.context.close()
