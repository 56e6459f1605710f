"""`make run` as a user meets it: four healthy services, a real answer, a clean stop."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx

from scripts.running import ROOT, RunningSystem, marked_pids, start_system


def test_every_service_answers_its_health_check(system: RunningSystem) -> None:
    checks = {"hub": "/healthz", "rasa": "/", "action": "/health", "core": "/healthz"}
    for service, path in checks.items():
        assert httpx.get(system.url(service) + path, timeout=5).status_code == 200, service


def test_startup_prints_where_to_click(system: RunningSystem) -> None:
    printed = "".join(system.output)
    assert f"http://127.0.0.1:{system.ports['hub']}/" in printed
    assert f"http://127.0.0.1:{system.ports['core']}/docs" in printed
    assert f"http://127.0.0.1:{system.ports['hub']}/console/" in printed
    # third-party start-up warnings are filtered where each service starts (docs/architecture.md, 28)
    assert "Warning" not in printed, [line for line in system.output if "Warning" in line]


def test_message_goes_through_rasa_and_an_action_to_the_demo_database(system: RunningSystem) -> None:
    """The walking skeleton: hub → Rasa → action server → billing core → back."""
    sender = f"e2e-{time.time_ns()}"
    post = lambda text: httpx.post(  # noqa: E731
        system.url("hub") + "/webhooks/rest/webhook",
        json={"sender": sender, "message": text, "metadata": {"channel": "web"}},
        timeout=60,
    ).json()
    post("上个月电费多少")
    post("3300012345")
    replies = post("8000")
    text = "".join(r.get("text") or "" for r in replies)
    # 张三's October 2026 bill: 260 kWh, all in tier 2 (2,820 kWh before) at 0.588 → 152.88 yuan
    assert "152.88" in text, text


def test_second_run_refuses_with_a_clear_message_about_the_port(system: RunningSystem) -> None:
    result = subprocess.run(
        [sys.executable, "scripts/supervise.py"], cwd=ROOT, env=system.env,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert f"port {system.ports['hub']}" in result.stderr and "already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_ctrl_c_stops_every_process(tmp_path) -> None:
    running = start_system(tmp_path / "hub.db")
    assert len(marked_pids(running.marker)) >= 5  # supervisor + four services
    assert running.stop() in (0, 130)  # 130: stopped by SIGINT
    deadline = time.monotonic() + 15
    while marked_pids(running.marker) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert marked_pids(running.marker) == []
