"""Starts the whole system as `make run` does (scripts/supervise.py), on free ports.

The processes carry a marker in their environment so the tests can prove that none is
left behind after Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = "POWERDESK_TEST_RUN"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def marked_pids(marker: str) -> list[int]:
    """Processes whose environment holds this run's marker."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"{MARKER}={marker}".encode() in (entry / "environ").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


@dataclass
class RunningSystem:
    process: subprocess.Popen
    ports: dict[str, int]
    marker: str
    env: dict[str, str]
    output: list[str]

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"


def start_system(tmp: Path, ready_timeout_s: int = 300) -> RunningSystem:
    ports = {name: free_port() for name in ("HUB_PORT", "RASA_PORT", "ACTION_PORT", "CORE_PORT")}
    marker = uuid.uuid4().hex
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        MARKER: marker,
        "HUB_DATABASE_URL": f"sqlite:///{tmp / 'hub.db'}",
        "READY_TIMEOUT_S": str(ready_timeout_s),
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "scripts/supervise.py"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output: list[str] = []
    deadline = time.monotonic() + ready_timeout_s + 30
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        if "All services are ready" in line or time.monotonic() > deadline:
            break
    if not any("All services are ready" in line for line in output):
        process.kill()
        pytest.fail("system did not start:\n" + "".join(output[-80:]))
    system = RunningSystem(process, {k.removesuffix("_PORT").lower(): v for k, v in ports.items()}, marker, env, output)
    return system


def stop_system(system: RunningSystem) -> int:
    system.process.send_signal(signal.SIGINT)
    assert system.process.stdout is not None
    system.output.extend(system.process.stdout.readlines())
    return system.process.wait(timeout=60)


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    running = start_system(tmp_path_factory.mktemp("system"))
    yield running
    if running.process.poll() is None:
        stop_system(running)
