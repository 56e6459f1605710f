"""Capacity of the whole stack on this machine, embedded (`make run`) and scaled
(`make run-scaled`) side by side in one run, with locust (benchmarks/locustfile.py).

For each mode:
1. quiet turn: one customer, "你好", through the hub, interleaved with a bare Rasa
   ``/model/parse`` of the same text; p50 of each and their ratio (goal ≤ 3×);
2. offered load: customers with think time (THINK_S) sized to offer about --rate turns
   a second; turn p50/p95 (goal p95 ≤ 150 ms at 20 turns/s) and errors;
3. saturation: --users customers with no think time; turns a second and errors
   (goal ≥ 60 turns/s with 0 errors);
4. memory: resident memory of every process of the stack, summed (goal ≤ 3 GiB);
5. where a turn's CPU goes: CPU time of each service's processes during the offered
   run, per turn (CPU time, not wall time, so a busy machine does not inflate it).

Locust's users send far faster than a person; the benchmark's systems lift the hub's
per-sender flood limit (HUB_RATE_*), which otherwise answers them 429.

usage: python -m benchmarks.load_bench [--modes embedded scaled] [--rate 20] [--users 50] [--seconds 60]
Writes reports/load_bench.json and reports/load_bench.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from scripts.running import ROOT, RunningSystem, marked_pids, start_scaled_system, start_system

UNLIMITED = {"HUB_RATE_BURST": "100000", "HUB_RATE_PER_S": "100000", "AGENT_HOURS": "00:00-24:00"}
QUIET_TURNS = 40
MEAN_TURN_GAP_S = 2.0  # a customer's think time between messages in the offered-load run


def quiet(system: RunningSystem) -> dict[str, float]:
    """A turn of an ongoing conversation with nothing else running, against a bare parse."""
    hub, parse = [], []
    with httpx.Client(timeout=60) as client:
        sender = f"quiet-{time.time_ns()}"
        for n in range(QUIET_TURNS + 1):
            text = ("你好", "谢谢")[n % 2]  # alternating: the hub never sees the same answer thrice
            started = time.perf_counter()
            client.post(system.url("hub") + "/webhooks/rest/webhook", json={"sender": sender, "message": text}).raise_for_status()
            elapsed = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            client.post(system.url("rasa") + "/model/parse", json={"text": text}).raise_for_status()
            if n:  # the first turn opens the conversation
                hub.append(elapsed)
                parse.append((time.perf_counter() - started) * 1000)
    return {
        "quiet_turn_p50_ms": round(statistics.median(hub), 1),
        "bare_parse_p50_ms": round(statistics.median(parse), 1),
        "quiet_over_parse": round(statistics.median(hub) / statistics.median(parse), 2),
    }


def locust(system: RunningSystem, users: int, seconds: int, think_s: float, out: Path) -> dict[str, Any]:
    """One locust run; the turn figures and every failure, from its CSV."""
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", system.url("hub"),
         "--csv", str(out), "--only-summary", "--exit-code-on-error", "0"],
        cwd=ROOT, env={**os.environ, "THINK_S": str(think_s)}, check=True, capture_output=True, timeout=seconds + 180,
    )
    rows = {row["Name"]: row for row in csv.DictReader(Path(f"{out}_stats.csv").open(encoding="utf-8"))}
    turn = rows["turn"]
    return {
        "turns": int(turn["Request Count"]),
        "turns_per_s": round(float(turn["Requests/s"]), 1),
        "turn_p50_ms": float(turn["50%"]),
        "turn_p95_ms": float(turn["95%"]),
        "errors": sum(int(r["Failure Count"]) for name, r in rows.items() if name != "Aggregated"),
    }


SERVICES = {  # what a process's command line says it is
    "hub": "integrations.main:app", "rasa": "bot.serve", "actions": "actions.serve", "core": "backend_core.api.main",
    "haproxy": "haproxy", "redis": "redis-server", "postgres": "postgres",
}
REDIS_TITLE = "redis-server 127.0.0.1:"  # redis-server replaces its command line with this


def stack(system: RunningSystem) -> dict[str, list[psutil.Process]]:
    """The stack's processes by service: every marked process, plus the scaled mode's
    PostgreSQL backends (they run as their own user and do not inherit the marker)."""
    pids = set(marked_pids(system.marker))
    scaled_dir = system.env.get("SCALED_DIR")
    found: dict[str, list[psutil.Process]] = {}
    for process in psutil.process_iter(["pid", "name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        ours = process.info["pid"] in pids or bool(scaled_dir and (
            scaled_dir in cmdline or _postgres_of(process, scaled_dir)
            or cmdline.startswith(REDIS_TITLE + system.env.get("SCALED_REDIS_PORT", "-"))))
        service = next((name for name, needle in SERVICES.items() if needle in cmdline), None)
        wrapper = process.info["name"] in ("sh", "bash") or "respawn.py" in cmdline  # honcho's shell, our respawner
        if ours and service and not wrapper:
            found.setdefault(service, []).append(process)
    return found


def _postgres_of(process: psutil.Process, scaled_dir: str) -> bool:
    """A PostgreSQL backend of the scaled mode's cluster (its parent runs from that directory)."""
    try:
        parent = process.parent()
        return parent is not None and scaled_dir in " ".join(parent.cmdline())
    except psutil.Error:
        return False


def cpu_seconds(processes: dict[str, list[psutil.Process]]) -> dict[str, float]:
    totals = {}
    for service, members in processes.items():
        total = 0.0
        for process in members:
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        totals[service] = total
    return totals


def memory_gib(processes: dict[str, list[psutil.Process]]) -> float:
    total = 0
    for members in processes.values():
        for process in members:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
    return round(total / 2**30, 2)


def database_bytes(system: RunningSystem) -> dict[str, int]:
    """Size of each of the scaled mode's PostgreSQL databases (empty for the embedded mode)."""
    if "SCALED_DIR" not in system.env:
        return {}
    from sqlalchemy import create_engine, text

    from scripts.scaled import DATABASES

    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{system.env['SCALED_POSTGRES_PORT']}/postgres")
    try:
        with engine.connect() as conn:
            return {name: int(conn.execute(text("SELECT pg_database_size(:d)"), {"d": db}).scalar_one())
                    for name, db in DATABASES.items()}
    finally:
        engine.dispose()


def measure(mode: str, rate: float, users: int, seconds: int, work: Path) -> dict[str, Any]:
    base = work / mode
    base.mkdir(mode=0o755)
    system = (start_scaled_system(base, extra_env=UNLIMITED) if mode == "scaled"
              else start_system(base / "hub.db", extra_env=UNLIMITED))
    try:
        figures: dict[str, Any] = {"mode": mode, **quiet(system)}
        offered_users = max(1, round(rate * MEAN_TURN_GAP_S))
        processes = stack(system)
        before, stored_before = cpu_seconds(processes), database_bytes(system)
        offered = locust(system, offered_users, seconds, MEAN_TURN_GAP_S, base / "offered")
        after, stored_after = cpu_seconds(processes), database_bytes(system)
        figures.update({f"offered_{k}": v for k, v in offered.items()}, offered_users=offered_users)
        # Where a turn's CPU goes (all replicas of a service together), from the offered run.
        for service in sorted(after):
            figures[f"cpu_ms_per_turn_{service}"] = round((after[service] - before[service]) * 1000 / max(1, offered["turns"]), 1)
        for name in stored_after:  # what a turn adds to each database (docs/scaling.md sizes them)
            figures[f"db_bytes_per_turn_{name}"] = round((stored_after[name] - stored_before[name]) / max(1, offered["turns"]))
        figures["memory_gib"] = memory_gib(processes)
        saturated = locust(system, users, seconds, 0, base / "saturation")
        figures.update({f"saturation_{k}": v for k, v in saturated.items()}, saturation_users=users)
    finally:
        system.stop()
    figures["goals"] = {
        "saturation_ge_60_turns_per_s_0_errors": figures["saturation_turns_per_s"] >= 60 and figures["saturation_errors"] == 0,
        "offered_p95_le_150_ms": figures["offered_turn_p95_ms"] <= 150,
        "quiet_le_3x_parse": figures["quiet_over_parse"] <= 3,
        "memory_le_3_gib": figures["memory_gib"] <= 3,
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", nargs="+", default=["embedded", "scaled"], choices=["embedded", "scaled"])
    parser.add_argument("--rate", type=float, default=20.0, help="turns a second offered with think time")
    parser.add_argument("--users", type=int, default=50, help="customers with no think time (saturation)")
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="load-bench-"))
    work.chmod(0o755)  # the scaled mode's PostgreSQL runs as its own user
    try:
        results = [measure(mode, args.rate, args.users, args.seconds, work) for mode in args.modes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {"machine": f"{os.cpu_count()} cores", "rate": args.rate, "seconds": args.seconds, "results": results}
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "load_bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    keys = list(dict.fromkeys(k for r in results for k in r if k not in ("mode", "goals")))
    table = ["| figure | " + " | ".join(r["mode"] for r in results) + " |", "|---|" + "---|" * len(results)]
    table += [f"| {k} | " + " | ".join(str(r.get(k, "–")) for r in results) + " |" for k in keys]
    table += [f"| goal: {g} | " + " | ".join(str(r["goals"][g]) for r in results) + " |" for g in results[0]["goals"]]
    (reports / "load_bench.md").write_text(
        "# Load benchmark (locust, whole stack)\n\n"
        f"One run on this machine ({report['machine']}), the modes one after the other; offered load "
        f"{args.rate} turns/s with think time, saturation {args.users} customers without, {args.seconds} s each.\n\n"
        + "\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
