"""One running system (as `make run` starts it) shared by the end-to-end tests."""

from __future__ import annotations

from typing import Iterator

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
