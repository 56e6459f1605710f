"""scripts/respawn.py with tiny fake services: restarts after crashes, back-off, stops."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scripts.respawn import Backoff, describe, exit_code

WRAPPER = Path(__file__).resolve().parents[2] / "scripts" / "respawn.py"

# A service that crashes (status 3) on its first CRASHES starts, then stays up, writing its
# pid; a stop signal is written down (one line per signal) and ends it with status 0.
FAKE_SERVICE = """
import os, signal, sys, time
from pathlib import Path
work, crashes = Path(sys.argv[1]), int(sys.argv[2])
starts = work / "starts"
n = len(starts.read_text().split()) + 1 if starts.exists() else 1
starts.write_text((starts.read_text() if starts.exists() else "") + f"{os.getpid()}\\n")
if n <= crashes:
    sys.exit(3)
def stop(signum, _frame):
    with open(work / "signals", "a") as fh:
        fh.write(signal.Signals(signum).name + "\\n")
    time.sleep(0.2)  # a second signal forwarded now would be written too
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
(work / "up").write_text(str(os.getpid()))
while True:
    time.sleep(0.05)
"""


class Wrapped:
    """The wrapper around the fake service, its stderr collected in a file."""

    def __init__(self, work: Path, *command: str, first_delay: float = 0.05, max_delay: float = 0.4,
                 healthy_after: float = 60.0) -> None:
        self.work = work
        self.log = work / "wrapper.log"
        self.process = subprocess.Popen(
            [sys.executable, str(WRAPPER), "--name", "fake", "--first-delay", str(first_delay),
             "--max-delay", str(max_delay), "--healthy-after", str(healthy_after), "--", *command],
            stderr=self.log.open("w"), start_new_session=True,
        )

    def starts(self) -> list[int]:
        path = self.work / "starts"
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines()

    def signals(self) -> list[str]:
        path = self.work / "signals"
        return path.read_text().split() if path.exists() else []

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[Callable[..., Wrapped]]:
    script = tmp_path / "fake_service.py"
    script.write_text(FAKE_SERVICE)
    started: list[Wrapped] = []

    def wrap(crashes: int = 0, **options: float) -> Wrapped:
        wrapped = Wrapped(tmp_path, sys.executable, str(script), str(tmp_path), str(crashes), **options)
        started.append(wrapped)
        return wrapped

    yield wrap
    for wrapped in started:
        wrapped.stop()


def test_backoff_doubles_up_to_the_longest_pause() -> None:
    backoff = Backoff(first=1, longest=30, healthy_after=60)
    assert [backoff.after_crash(uptime_s=2) for _ in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]


def test_backoff_starts_again_after_a_healthy_run() -> None:
    backoff = Backoff(first=1, longest=30, healthy_after=60)
    assert [backoff.after_crash(5), backoff.after_crash(5), backoff.after_crash(5)] == [1, 2, 4]
    assert backoff.after_crash(uptime_s=60) == 1
    assert backoff.after_crash(uptime_s=1) == 2


def test_statuses_read_as_a_shell_reads_them() -> None:
    assert describe(1) == "exited with status 1"
    assert describe(-signal.SIGKILL) == "was killed by SIGKILL"
    assert exit_code(-signal.SIGTERM) == 143 and exit_code(2) == 2


def test_a_service_that_crashes_twice_is_started_until_it_stays_up(fake: Callable[..., Wrapped]) -> None:
    wrapped = fake(crashes=2)
    until((wrapped.work / "up").exists)
    time.sleep(0.3)  # no further start once it is up
    assert len(wrapped.starts()) == 3
    lines = wrapped.lines()
    assert len(lines) == 2, lines  # one plain line per crash
    assert all(re.fullmatch(r"respawn: fake exited with status 3 after [0-9.]+ s; starting it again in [0-9.]+ s", line)
               for line in lines), lines
    assert wrapped.process.poll() is None


def test_the_pause_doubles_between_crashes_up_to_the_longest(fake: Callable[..., Wrapped]) -> None:
    wrapped = fake(crashes=100, first_delay=0.05, max_delay=0.2)
    until(lambda: len(wrapped.lines()) >= 5)
    pauses = [float(re.search(r"again in ([0-9.]+) s", line).group(1)) for line in wrapped.lines()[:5]]  # type: ignore[union-attr]
    assert pauses == [0.05, 0.1, 0.2, 0.2, 0.2]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_is_passed_on_once_and_nothing_restarts(fake: Callable[..., Wrapped], stop: signal.Signals) -> None:
    wrapped = fake()
    until((wrapped.work / "up").exists)
    service = wrapped.starts()[0]
    wrapped.process.send_signal(stop)
    assert wrapped.process.wait(timeout=5) == 0  # the service's own status
    assert wrapped.signals() == [stop.name]
    assert not alive(service)
    assert wrapped.starts() == [service] and wrapped.lines() == []


def test_a_stop_during_the_pause_ends_the_wrapper_at_once(fake: Callable[..., Wrapped]) -> None:
    wrapped = fake(crashes=100, first_delay=30)
    until(wrapped.lines)
    began = time.monotonic()
    wrapped.process.send_signal(signal.SIGTERM)
    assert wrapped.process.wait(timeout=5) == 128 + signal.SIGTERM
    assert time.monotonic() - began < 2
    assert len(wrapped.starts()) == 1


def test_a_service_killed_by_someone_else_is_started_again(fake: Callable[..., Wrapped]) -> None:
    wrapped = fake()
    until((wrapped.work / "up").exists)
    first = wrapped.starts()[0]
    os.kill(first, signal.SIGKILL)
    until(lambda: len(wrapped.starts()) == 2 and (wrapped.work / "up").read_text() != str(first))
    assert "was killed by SIGKILL" in wrapped.lines()[0]


@pytest.mark.parametrize("status", [0, 78])
def test_a_clean_exit_or_a_refused_configuration_is_not_restarted(tmp_path: Path, status: int) -> None:
    log = tmp_path / "wrapper.log"
    result = subprocess.run(
        [sys.executable, str(WRAPPER), "--first-delay", "0.01", "--", sys.executable, "-c", f"raise SystemExit({status})"],
        stderr=log.open("w"), timeout=10, check=False,
    )
    assert result.returncode == status
    assert ("not starting it again" in log.read_text()) == (status == 78)


def test_the_service_dies_with_the_wrapper(fake: Callable[..., Wrapped]) -> None:
    wrapped = fake()
    until((wrapped.work / "up").exists)
    service = wrapped.starts()[0]
    wrapped.process.kill()  # the wrapper alone, as honcho's last resort would
    wrapped.process.wait()
    until(lambda: not alive(service), timeout=5)
