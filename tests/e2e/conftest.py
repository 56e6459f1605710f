"""One running system (as `make run` starts it) shared by the end-to-end tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from scripts.running import RunningSystem, StartFailed, start_scaled_system, start_system
from scripts.serving import ServedApi
from scripts.wechat_sim import APP_ID, APP_SECRET, TOKEN, WeChatApiStandIn


@pytest.fixture(scope="session")
def wechat_api() -> Iterator[WeChatApiStandIn]:
    """WeChat's API stood in on loopback, for the running system's official account."""
    stand_in = WeChatApiStandIn()
    with ServedApi(stand_in.app()) as served:
        stand_in.url = served.base_url + "/cgi-bin/"
        yield stand_in


@pytest.fixture(scope="session")
def embedded_system(tmp_path_factory: pytest.TempPathFactory, wechat_api: WeChatApiStandIn) -> Iterator[RunningSystem]:
    env = {
        "AGENT_HOURS": "00:00-24:00",  # agents on duty at any hour: hand-over checks do not depend on the clock
        "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_API_BASE_URL": wechat_api.url,
        "HUB_WECHAT_REPLY_BUDGET_S": "30",  # answers in the request, however busy the machine is
    }
    try:
        running = start_system(tmp_path_factory.mktemp("system") / "hub.db", extra_env=env)
    except StartFailed as exc:
        pytest.fail(f"system did not start:\n{exc}")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def system(embedded_system: RunningSystem) -> RunningSystem:
    """The system most end-to-end tests use: `make run`'s."""
    return embedded_system


@pytest.fixture(scope="session")
def scaled_system() -> Iterator[RunningSystem]:
    """`make run-scaled` on free ports: PostgreSQL, Redis, HAProxy, two replicas each of hub,
    Rasa and actions. Its directory is not under pytest's temporary root, which only we
    may enter: PostgreSQL runs as its own user."""
    base = Path(tempfile.mkdtemp(prefix="test-scaled-"))
    base.chmod(0o755)
    try:
        running = start_scaled_system(base, extra_env={"AGENT_HOURS": "00:00-24:00"})
    except StartFailed as exc:
        pytest.fail(f"the scaled system did not start:\n{exc}")
    yield running
    running.stop()
    leftovers = [p.info["name"] for p in psutil.process_iter(["name", "cmdline"])
                 if str(base) in " ".join(p.info["cmdline"] or [])]
    shutil.rmtree(base, ignore_errors=True)
    assert not leftovers, f"outlived Ctrl-C: {leftovers}"


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
