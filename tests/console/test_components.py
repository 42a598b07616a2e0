"""The console's component tests (Vitest, Testing Library, jsdom: web/console/src/**/*.test.tsx), run by make test
through `npm test`: a screen rendered with its service answers stubbed, checked by what it shows and sends. Skipped
where Node.js is not installed, as the TypeScript check is."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.support import REPO

CONSOLE = REPO / "web" / "console"

pytestmark = pytest.mark.skipif(not shutil.which("npm"), reason="Node.js is not installed (make test runs it)")


# ~40 tests in a dozen files, each file's jsdom and Ant Design loaded anew: about two minutes on a quiet machine,
# past pytest's 300 s on two cores shared with browser tests and a build
@pytest.mark.timeout(900)
def test_the_component_tests_pass() -> None:
    assert (CONSOLE / "node_modules" / ".bin" / "vitest").exists(), "run `npm ci --prefix web/console` (make install)"
    done = subprocess.run(
        ["npm", "test", "--silent", "--", "--reporter=dot"],
        cwd=CONSOLE,
        capture_output=True,
        text=True,
        timeout=840,
        env={**os.environ, "CI": "1", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
