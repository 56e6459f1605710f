"""`make run-scaled` from this clone: PostgreSQL, Redis, HAProxy and two replicas each of
hub, Rasa and actions. A conversation goes through the load balancer, and the load test
passes through it while a hub replica and a Rasa replica are killed half-way."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from scripts.running import ROOT, RunningSystem

LOAD_USERS = 12
LOAD_SECONDS = 50


@pytest.fixture
def scaled(scaled_system: RunningSystem) -> tuple[RunningSystem, Path]:
    return scaled_system, Path(scaled_system.env["SCALED_DIR"])


def replica_ports(base: Path) -> dict[str, int]:
    """Where each replica listens, from the HAProxy configuration the scaled mode wrote."""
    config = (base / "haproxy.cfg").read_text(encoding="utf-8")
    return {name: int(port) for name, port in re.findall(r"server (\S+) 127\.0\.0\.1:(\d+)", config)}


def listener(port: int) -> psutil.Process:
    [pid] = {c.pid for c in psutil.net_connections("tcp") if c.status == "LISTEN" and c.laddr.port == port and c.pid}
    return psutil.Process(pid)


def healthy(url: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(1)
    return False


def test_a_conversation_through_the_balancer_is_one_conversation_across_replicas(scaled) -> None:
    """Round robin sends consecutive turns to different hub and Rasa replicas: identity
    checked on one, the bill answered by the other, from PostgreSQL and Redis."""
    system, _base = scaled
    session = httpx.post(system.url("hub") + "/api/chat/sessions", json={}, timeout=30).json()
    headers = {"Authorization": f"Bearer {session['token']}"}

    def say(text: str) -> str:
        response = httpx.post(system.url("hub") + "/webhooks/rest/webhook", headers=headers, timeout=90,
                              json={"sender": session["sender"], "message": text})
        assert response.status_code == 200, response.text
        return "".join(r.get("text") or "" for r in response.json())

    say("上个月电费多少")
    say("3300012345")
    assert "152.88" in say("8000")
    history = httpx.get(system.url("hub") + "/api/chat/messages", headers=headers, timeout=30).json()
    assert [m["text"] for m in history["messages"] if m["author"] == "customer"] == ["上个月电费多少", "3300012345", "8000"]


def test_the_load_test_passes_with_a_hub_and_a_rasa_replica_killed_half_way(scaled, tmp_path: Path) -> None:
    system, base = scaled
    ports = replica_ports(base)
    victims = [listener(ports["hub-1"]), listener(ports["rasa-1"])]
    stats = tmp_path / "load"
    load = subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
         "-u", str(LOAD_USERS), "-r", str(LOAD_USERS), "-t", f"{LOAD_SECONDS}s", "--host", system.url("hub"),
         "--csv", str(stats), "--only-summary", "--exit-code-on-error", "0"],
        cwd=ROOT, env={**os.environ, "THINK_S": "1"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    killer = threading.Timer(LOAD_SECONDS / 2, lambda: [v.send_signal(signal.SIGKILL) for v in victims])
    killer.start()
    output, _ = load.communicate(timeout=LOAD_SECONDS + 120)
    killer.join()
    rows = {row["Name"]: row for row in csv.DictReader((stats.parent / "load_stats.csv").open(encoding="utf-8"))}
    turns = rows["turn"]
    # Nothing a customer would notice as wrong: no reply to someone else, no silence, no message lost.
    assert {name: rows[name]["Failure Count"] for name in ("crosstalk", "silence", "lost") if name in rows} == {}, output
    # Only what was inside a killed replica failed: at most one turn per customer per kill.
    assert int(turns["Failure Count"]) <= 2 * LOAD_USERS, output
    assert int(turns["Request Count"]) >= 4 * LOAD_USERS, output
    # The respawn wrapper starts both replicas again and HAProxy takes them back.
    assert healthy(f"http://127.0.0.1:{ports['hub-1']}/healthz", 120)
    assert healthy(f"http://127.0.0.1:{ports['rasa-1']}/", 300)
