"""Helpers of the console's browser tests: where Chromium is, the test users' password, signing in on the page,
and the accessibility check (axe-core, from web/console/node_modules)."""

from __future__ import annotations

import shutil
from typing import Any

from tests.support import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PASSWORD = "Lantern-maple-2026!"
AXE = REPO / "web" / "console" / "node_modules" / "axe-core" / "axe.min.js"


def sign_in(page: Any, origin: str, username: str, password: str = PASSWORD, path: str = "/") -> None:
    """Open `path` and sign in on the form it shows; the address is kept, so the page asked for then shows."""
    from playwright.sync_api import expect

    page.goto(origin + path)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def accessibility_problems(page: Any) -> list[str]:
    """The serious and critical WCAG 2 A/AA violations axe-core finds on the page as it stands. Its script is
    injected inline, so the page's context must bypass the Content-Security-Policy (`bypass_csp=True`)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
            return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")})`);
        }"""
    )
