"""Start every service of the Procfile under one supervisor and report when they are ready.

honcho runs the processes (each in its own process group, so Ctrl-C or SIGTERM stops
them and their children); this script adds what honcho lacks for a demo: a clear
refusal when a port is taken (a second `make run`), health checks with a deadline, and
the URLs to open once everything answers. Each Procfile command runs under
scripts/respawn.py, so a service that crashes is started again (with back-off) instead
of honcho stopping everything when one process exits; Ctrl-C still stops them all.
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from honcho.environ import parse_procfile
from honcho.manager import Manager

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = float(os.environ.get("READY_TIMEOUT_S", "300"))
READY_LINE = "Press Ctrl-C to stop them all."  # scripts/running.py waits for it


@dataclass(frozen=True)
class Service:
    name: str
    port_var: str
    default_port: int
    health_path: str

    @property
    def port(self) -> int:
        return int(os.environ.get(self.port_var, self.default_port))


SERVICES = (
    Service("hub", "HUB_PORT", 8000, "/healthz"),
    Service("rasa", "RASA_PORT", 5005, "/"),
    Service("actions", "ACTION_PORT", 5055, "/health"),
    Service("core", "CORE_PORT", 8100, "/healthz"),
)


def service_environment() -> dict[str, str]:
    """The variables every process needs to find the others (defaults: one machine)."""
    host = os.environ.get("BIND_HOST", "127.0.0.1")
    ports = {s.port_var: str(s.port) for s in SERVICES}
    local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    env = {
        "BIND_HOST": host,
        **ports,
        "ACTION_SERVER_URL": f"http://{local}:{ports['ACTION_PORT']}/webhook",
        "HUB_RASA_URL": f"http://{local}:{ports['RASA_PORT']}",
        "CORE_BASE_URL": f"http://{local}:{ports['CORE_PORT']}",
        # Rasa's conversations survive a restart of Rasa (bot/stores.py)
        "RASA_TRACKER_DB": str(ROOT / "var" / "rasa-trackers.db"),
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    return {**env, **{k: v for k, v in os.environ.items() if k in env and k != "PYTHONPATH"}}


def respawned(name: str, command: str) -> str:
    """The Procfile command under the respawn wrapper (the shell still expands its $VARS)."""
    wrapper = shlex.join([sys.executable, str(ROOT / "scripts" / "respawn.py"), "--name", name, "--"])
    return f"{wrapper} {command}"


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def wait_until_ready(manager: Manager, host: str) -> None:
    """Poll each service's health check; print the URLs, or stop everything on timeout."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    pending = list(SERVICES)
    with httpx.Client(timeout=2.0) as client:
        while pending and time.monotonic() < deadline:
            for service in list(pending):
                try:
                    if client.get(f"http://{host}:{service.port}{service.health_path}").status_code == 200:
                        pending.remove(service)
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
    if pending:
        names = ", ".join(s.name for s in pending)
        print(f"\n!! not ready after {READY_TIMEOUT_S:.0f} s: {names}; stopping everything.\n", flush=True)
        manager.terminate()
        return
    print(ready_table(host), flush=True)


def demo_login() -> str:
    """The demo agent to log in as; the password only while it is the documented default."""
    return "(agent01, $CONSOLE_DEMO_PASSWORD)" if os.environ.get("CONSOLE_DEMO_PASSWORD") else "(agent01 / demo-agent-01)"


def ready_table(host: str) -> str:
    """What runs where, what to open, how to stop: the last thing `make run` prints."""
    port = {s.name: s.port for s in SERVICES}
    rows = [
        ("web chat demo", f"http://{host}:{port['hub']}/", "hub"),
        ("agent console", f"http://{host}:{port['hub']}/console/  {demo_login()}", "hub"),
        ("hub API docs", f"http://{host}:{port['hub']}/docs", "hub"),
        ("billing core API docs", f"http://{host}:{port['core']}/docs", "core"),
        ("Rasa server", f"http://{host}:{port['rasa']}/", "rasa"),
        ("action server", f"http://{host}:{port['actions']}/health", "actions"),
    ]
    width = max(len(name) for name, _, _ in rows)
    lines = ["", "  All services are ready.", ""]
    lines += [f"  {name.ljust(width)}  {url}" for name, url, _ in rows]
    lines += ["", f"  {READY_LINE}", ""]
    return "\n".join(lines)


def main() -> int:
    env = service_environment()
    os.environ.update(env)
    host = env["BIND_HOST"]
    check_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    taken = [s for s in SERVICES if port_in_use(host, s.port)]
    if taken:
        for s in taken:
            print(
                f"error: port {s.port} ({s.name}) is already in use on {host}. "
                f"Is another `make run` running? Stop it, or set {s.port_var} to a free port.",
                file=sys.stderr,
            )
        return 1
    procfile = parse_procfile((ROOT / "Procfile").read_text(encoding="utf-8"))
    manager = Manager()
    for name, command in procfile.processes.items():
        manager.add_process(name, respawned(name, command), env={**os.environ}, cwd=str(ROOT))
    threading.Thread(target=wait_until_ready, args=(manager, check_host), daemon=True).start()
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
