"""One running system (as `make run` starts it) shared by the end-to-end tests."""

from __future__ import annotations

import os
import shutil
from typing import Any, Iterator

import pytest

from scripts.running import RunningSystem, StartFailed, start_system


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    try:
        # Agents on duty at any hour, so hand-over checks do not depend on the clock.
        running = start_system(tmp_path_factory.mktemp("system") / "hub.db", extra_env={"AGENT_HOURS": "00:00-24:00"})
    except StartFailed as exc:
        pytest.fail(f"system did not start:\n{exc}")
    yield running
    running.stop()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but Chromium is not installed")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
