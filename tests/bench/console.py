"""`make bench`'s console figures: what the sign-in page makes a phone download, and how long a user waits from
opening the console to seeing their 待办. Both are reported as is, against a budget, not a baseline."""

from __future__ import annotations

import gzip
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

from tests.support import REPO, running_origin

DIST = REPO / "web" / "console" / "dist"
BUDGET_KB = 400
PASSWORD = "Lantern-maple-2026!"


class _Scripts(HTMLParser):
    """The JavaScript index.html makes the browser fetch before the app runs: module scripts and modulepreloads."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("type") == "module" and a.get("src"):
            self.paths.append(a["src"])
        elif tag == "link" and a.get("rel") == "modulepreload" and a.get("href"):
            self.paths.append(a["href"])


def sign_in_js(dist: Path = DIST) -> tuple[int, list[str]]:
    """Gzipped bytes of the sign-in page's JavaScript (level 6, what nginx's `gzip_comp_level` is usually set to)
    and the files counted; lazily loaded chunks are left out, as the page does not wait for them."""
    parser = _Scripts()
    parser.feed((dist / "index.html").read_text())
    total = 0
    for path in parser.paths:
        total += len(gzip.compress((dist / path.lstrip("/")).read_bytes(), compresslevel=6))
    return total, parser.paths


def bundle_figure(dist: Path = DIST) -> str:
    total, paths = sign_in_js(dist)
    kb = total / 1024
    verdict = "ok" if kb <= BUDGET_KB else "OVER BUDGET"
    return (
        f"console sign-in page JavaScript: {kb:,.0f} KB gzipped in {len(paths)} files "
        f"(budget {BUDGET_KB} KB, {verdict})"
    )


def _time_to_todo(origin: str, runs: int) -> list[float]:
    """Seconds from opening the origin, signed out, through signing in, until 待办 has finished loading; a fresh
    browser context each run, so nothing is cached between them."""
    from playwright.sync_api import sync_playwright

    from tests.console.browser import CHROMIUM

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
                page = context.new_page()
                started = time.perf_counter()
                page.goto(origin)
                page.get_by_label("用户名").fill("bench-console")
                page.get_by_label("密码").fill(PASSWORD)
                page.get_by_role("button", name="登录").click()
                # the card shows at once with a spinner; "shown" is the list itself, once its data arrived
                page.wait_for_function(
                    """() => { const c = document.querySelector('[data-testid="todo"]');
                               return c && !c.querySelector('.ant-spin-spinning'); }""",
                    timeout=30_000,
                )
                times.append(time.perf_counter() - started)
                context.close()
        finally:
            browser.close()
    return times


def todo_figure(database_url: str, runs: int = 5) -> str:
    """The origin as `make run` starts it (services + the console), on the bench's database."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_origin(database_url, Path(tmp), ("bench-console", PASSWORD)) as (
            url,
            _services,
        ),
    ):
        times = _time_to_todo(url, runs)
    median = sorted(times)[len(times) // 2]
    return (
        f"console: opening it to 待办 shown (sign-in included, headless Chromium, 1366×768): "
        f"median {median * 1000:,.0f} ms, max {max(times) * 1000:,.0f} ms over {runs} runs"
    )
