"""The whole system, started for an evaluation on a pinned business day.

Evaluations play conversations through the real hub, Rasa server, action server and
core, as `make run` starts them, on a fresh core database seeded for the day the test
sets were written for, with agents on duty, so that every run sees the same world.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scripts.running import ROOT, start_system

WORLD_DAY = "2026-11-25"  # evaluation/conversations/FORMAT.md: "today" of every test set
ALWAYS_STAFFED = "00:00-24:00"


@dataclass(frozen=True)
class World:
    urls: dict[str, str]  # service name (hub, rasa, actions, core) -> base URL
    core_url: str  # the seeded core database, for reading work orders and account data

    def url(self, service: str) -> str:
        return self.urls[service]


def attached_world(core_url: str, hub: str = "http://127.0.0.1:8000", rasa: str = "http://127.0.0.1:5005") -> World:
    """A world already running (started by hand while developing), on a core seeded for WORLD_DAY."""
    return World({"hub": hub, "rasa": rasa}, core_url)


def seed_core(database_url: str, day: str = WORLD_DAY) -> None:
    """The demo customers only (generated ones change nothing the checks look at)."""
    subprocess.run(
        [sys.executable, "-m", "backend_core.seed", "--customers", "0", "--database-url", database_url, "--today", day],
        cwd=ROOT, check=True, capture_output=True, timeout=600,
    )


@contextmanager
def running_world(day: str = WORLD_DAY) -> Iterator[World]:
    with tempfile.TemporaryDirectory(prefix="powerdesk-eval-") as tmp:
        core_url = f"sqlite:///{Path(tmp) / 'core.db'}"
        seed_core(core_url, day)
        system = start_system(
            Path(tmp) / "hub.db",
            extra_env={"CORE_DATABASE_URL": core_url, "CORE_TODAY": day, "AGENT_HOURS": ALWAYS_STAFFED},
        )
        try:
            yield World({name: system.url(name) for name in system.ports}, core_url)
        finally:
            system.stop()
