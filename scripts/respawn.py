"""Run one service and start it again when it crashes: what keeps `make run` alive.

    python scripts/respawn.py [--name NAME] [--first-delay S] [--max-delay S]
                              [--healthy-after S] -- COMMAND [ARG ...]

A crash is the command exiting with a non-zero status or being killed by a signal this
wrapper did not send. The wrapper then prints one line and starts the command again
after 1, 2, 4 … up to 30 s; a run that lasted 60 s or more was healthy, and the next
crash waits 1 s again. Two exits are not crashes and end the wrapper with the command's
status: 0 (the service stopped on purpose) and 78 (EX_CONFIG: the service refused its
settings, and would refuse them again every time).

SIGTERM or SIGINT to the wrapper goes on to the command, once, and the wrapper waits
for it to stop and exits without starting it again (a signal during a back-off pause
ends the wrapper at once). The command runs in a process group of its own, so a signal
meant for the wrapper's group (honcho's, a terminal's Ctrl-C) reaches it only through
the wrapper, exactly once (a second SIGINT tells uvicorn to skip its clean shutdown);
and it dies with the wrapper (Linux's parent-death signal), so honcho's last resort,
SIGKILL to the wrapper's group, still leaves nothing behind.

Signals are blocked and taken with ``sigtimedwait``, never in a handler, so a stop that
arrives together with the command's exit is always seen as a stop, not as a crash.
Standard library only: it runs under any of the project's interpreters.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import partial

STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})
WATCHED = STOP_SIGNALS | {signal.SIGCHLD}
EX_CONFIG = 78  # sysexits.h: configuration error, as systemd's RestartPreventExitStatus uses it


@dataclass
class Backoff:
    """Delays before each restart: doubling from ``first`` up to ``longest``, and back to
    ``first`` after a run of at least ``healthy_after`` seconds."""

    first: float = 1.0
    longest: float = 30.0
    healthy_after: float = 60.0
    _next: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._next = self.first

    def after_crash(self, uptime_s: float) -> float:
        if uptime_s >= self.healthy_after:
            self._next = self.first
        delay = self._next
        self._next = min(self._next * 2, self.longest)
        return delay


def describe(status: int) -> str:
    """``exited with status 1`` / ``was killed by SIGKILL``."""
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"was killed by {name}"
    return f"exited with status {status}"


def exit_code(status: int) -> int:
    """The wrapper's own status for a command's: as a shell reports it."""
    return 128 - status if status < 0 else status


PR_SET_PDEATHSIG = 1
try:
    _libc: ctypes.CDLL | None = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
except OSError:
    _libc = None


def _prepare_child(wrapper_pid: int) -> None:
    """Runs in the child between fork and exec: a process group of its own, no blocked
    signals, and SIGKILL should the wrapper die first."""
    os.setpgid(0, 0)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    if _libc is not None:
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != wrapper_pid:  # the wrapper died before prctl took effect
            os._exit(1)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Respawner:
    def __init__(self, command: list[str], name: str, backoff: Backoff) -> None:
        self.command = command
        self.name = name
        self.backoff = backoff

    def log(self, text: str) -> None:
        print(f"respawn: {self.name} {text}", file=sys.stderr, flush=True)

    def run(self) -> int:
        signal.pthread_sigmask(signal.SIG_BLOCK, WATCHED)
        while True:
            started = time.monotonic()
            try:
                wrapper = os.getpid()
                child = subprocess.Popen(self.command, preexec_fn=partial(_prepare_child, wrapper))  # noqa: PLW1509 (one thread)
            except OSError as exc:
                self.log(f"cannot be started: {exc}")
                return 127
            status, stopped = self._wait(child)
            if stopped:
                return exit_code(status)
            if status == 0:
                return 0
            if status == EX_CONFIG:
                self.log("refused its settings (exit status 78); not starting it again")
                return EX_CONFIG
            uptime = time.monotonic() - started
            _kill_group(child.pid)  # whatever the crashed run started must not hold its port
            delay = self.backoff.after_crash(uptime)
            self.log(f"{describe(status)} after {uptime:.1f} s; starting it again in {delay:g} s")
            received = signal.sigtimedwait(STOP_SIGNALS, delay)
            if received is not None:
                return 128 + received.si_signo

    @staticmethod
    def _wait(child: subprocess.Popen[bytes]) -> tuple[int, bool]:
        """The command's status, and whether we stopped it. Each stop signal is passed on
        to the command's group (a second Ctrl-C still means "now" to uvicorn)."""
        stopped = False
        while True:
            received = signal.sigtimedwait(WATCHED, 1.0)
            if received is not None and received.si_signo in STOP_SIGNALS:
                stopped = True
                try:
                    os.killpg(child.pid, received.si_signo)
                except (ProcessLookupError, PermissionError):
                    pass
            status = child.poll()
            if status is not None:
                return status, stopped


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", help="how the log line names the service (default: the command)")
    parser.add_argument("--first-delay", type=float, default=1.0, help="seconds before the first restart (1)")
    parser.add_argument("--max-delay", type=float, default=30.0, help="longest pause between restarts (30)")
    parser.add_argument("--healthy-after", type=float, default=60.0,
                        help="a run this long resets the pause to --first-delay (60)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("no command given")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    backoff = Backoff(args.first_delay, args.max_delay, args.healthy_after)
    return Respawner(args.command, args.name or os.path.basename(args.command[0]), backoff).run()


if __name__ == "__main__":
    sys.exit(main())
