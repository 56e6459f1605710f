"""Start and stop the whole system as `make run` does, for tests and benchmarks.

Every process started here carries a marker in its environment, so a caller can prove
that none is left behind after Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from scripts.ports import free_port
from scripts.supervise import READY_LINE  # the last line of the ready table

ROOT = Path(__file__).resolve().parent.parent
MARKER = "POWERDESK_RUN_MARKER"


class StartFailed(RuntimeError):
    """The system did not become ready; the message holds the end of its output."""


def marked_pids(marker: str) -> list[int]:
    """Processes whose environment holds this marker."""
    needle = f"{MARKER}={marker}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes():
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
    output: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None  # collects the output once the system is ready

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def keep_reading(self) -> None:
        """Collect the services' output from now on: a pipe nobody reads fills up, and then
        every service that logs a line blocks."""
        stdout = self.process.stdout
        assert stdout is not None
        self.reader = threading.Thread(target=lambda: self.output.extend(stdout), daemon=True)
        self.reader.start()

    def stop(self) -> int:
        """Ctrl-C, as a person would; returns the supervisor's exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        assert self.process.stdout is not None
        if self.reader is None:
            self.output.extend(self.process.stdout.readlines())
        status = self.process.wait(timeout=60)
        if self.reader is not None:
            self.reader.join(timeout=10)
        return status


def start_system(
    hub_db: Path, ready_timeout_s: int = 300, extra_env: dict[str, str] | None = None, module: str = "scripts.supervise"
) -> RunningSystem:
    """Run `make run`'s supervisor (or ``module``, e.g. the scaled mode's) on free ports and
    wait for its ready line."""
    ports = {name: free_port() for name in ("HUB_PORT", "RASA_PORT", "ACTION_PORT", "CORE_PORT")}
    marker = uuid.uuid4().hex
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        MARKER: marker,
        "HUB_DATABASE_URL": f"sqlite:///{hub_db}",
        "RASA_TRACKER_DB": str(hub_db.with_name("rasa-trackers.db")),  # Rasa's conversations, beside the hub's
        "READY_TIMEOUT_S": str(ready_timeout_s),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    system = RunningSystem(process, {k.removesuffix("_PORT").lower(): v for k, v in ports.items()}, marker, env)
    assert process.stdout is not None
    deadline = time.monotonic() + ready_timeout_s + 30
    for line in process.stdout:
        system.output.append(line)
        if READY_LINE in line or time.monotonic() > deadline:
            break
    if not any(READY_LINE in line for line in system.output):
        system.stop()
        raise StartFailed("".join(system.output[-80:]))
    system.keep_reading()
    return system


def start_scaled_system(base: Path, ready_timeout_s: int = 600, extra_env: dict[str, str] | None = None) -> RunningSystem:
    """`make run-scaled` on free ports, its PostgreSQL and Redis in ``base``."""
    servers = {"SCALED_DIR": str(base), "SCALED_POSTGRES_PORT": str(free_port()), "SCALED_REDIS_PORT": str(free_port())}
    return start_system(base / "hub.db", ready_timeout_s, {**servers, **(extra_env or {})}, module="scripts.scaled")
