"""Action tests: real actions, rasa_sdk trackers, and a real core seeded with the demo customers.

The core is seeded once per session with ``python -m backend_core.seed`` into a
temporary SQLite file, then served in-process by the embedded gateway on a clock
pinned to ``NOW`` (a Saturday morning, agents on duty). Each test talks as its own
conversation (sender id), so identity locks never leak between tests.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from actions.kernel import clock
from actions.kernel.gateway import use_gateway
from backend_core.core.clock import Clock
from backend_core.db import make_engine, make_session_factory
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.services.context import CoreContext
from tests.actions.support import NOW, REPO_ROOT


@pytest.fixture(scope="session")
def core_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('core') / 'core.db'}"
    subprocess.run(
        [sys.executable, "-m", "backend_core.seed", "--customers", "0", "--database-url", url, "--today", NOW.date().isoformat()],
        cwd=REPO_ROOT, check=True, capture_output=True, timeout=300,
    )
    return url


@pytest.fixture(scope="session")
def core_clock() -> Clock:
    return Clock(fixed=NOW.replace(tzinfo=None))


@pytest.fixture(scope="session")
def gateway(core_url: str, core_clock: Clock) -> EmbeddedGateway:
    return EmbeddedGateway(make_session_factory(make_engine(core_url)), CoreContext(clock=core_clock))


@pytest.fixture(autouse=True)
def pinned_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "pinned", NOW)


@pytest.fixture
def core(gateway: EmbeddedGateway, core_clock: Clock) -> Iterator[EmbeddedGateway]:
    """The seeded core as the actions' gateway; its clock is put back after the test."""
    use_gateway(gateway)
    fixed = core_clock._fixed
    yield gateway
    core_clock._fixed = fixed
    use_gateway(None)
