"""WeChat benchmark: how often the official account answers within WeChat's five seconds.

The whole system runs (hub, Rasa, actions, core) with the WeChat channel pointed at a
stand-in for WeChat's API on loopback (scripts/wechat_sim.py). Followers send signed
messages at a steady --rate per second for --seconds (open loop: a message goes out on
time whether or not earlier ones were answered, as WeChat's servers do), each follower
a few times, a mix of what followers write most: greetings, bills, outages, prices,
payment channels, account numbers.

Figures: the passive reply's time (the HTTP answer, p50/p95; goal p95 ≤ 1.5 s at 20
messages a second), the share of messages answered "success" because the reply was not
ready within the hub's budget (then it went through the customer-service API), and
how many messages the API carried in all (also the second part of a long answer).

usage: python -m benchmarks.wechat_bench [--rate 8 12 20] [--seconds 30] [--followers 120] [--safe]
Writes reports/wechat_bench.json and reports/wechat_bench.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.bot_bench import percentile
from scripts.ports import free_port
from scripts.running import ROOT, start_system
from scripts.wechat_sim import AES_KEY, APP_ID, APP_SECRET, TOKEN, WeChatServer

# What followers write, in rough proportion (bills and outages lead at 95598).
MESSAGES = (
    "你好", "查电费", "上个月电费多少钱", "我家停电了", "最近有没有停电计划", "电费在哪里交",
    "阶梯电价怎么算", "3300012345", "谢谢", "什么时候来电", "交了钱怎么还没到账", "峰谷电划算吗",
)
GOAL_P95_S = 1.5


async def load(wechat: WeChatServer, rate: float, seconds: float, followers: int,
               prefix: str = "") -> list[tuple[float, bool]]:
    """(seconds to the HTTP answer, answered passively) per message sent."""
    results: list[tuple[float, bool]] = []

    async def one(client: httpx.AsyncClient, index: int) -> None:
        openid = f"oBench{prefix}{index % followers:05d}"
        query, body = wechat.request(wechat.xml(openid, "text", {"Content": MESSAGES[index % len(MESSAGES)]}))
        start = time.perf_counter()
        response = await client.post(wechat.url, params=query, content=body)
        response.raise_for_status()
        results.append((time.perf_counter() - start, response.text != "success"))

    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=200)) as client:
        tasks = []
        started = time.perf_counter()
        for index in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + index / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(client, index)))
        await asyncio.gather(*tasks)
    return results


def drained(hub_db: Path, quiet_s: float = 10.0, limit_s: float = 180.0) -> None:
    """Wait until replies past the budget have stopped going out through the API."""
    deadline, count, since = time.monotonic() + limit_s, -1, time.monotonic()
    while time.monotonic() < deadline:
        if sum(pushes(hub_db)) != count:
            count, since = sum(pushes(hub_db)), time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
        time.sleep(0.2)


def pushes(hub_db: Path) -> tuple[int, int]:
    """(delivered, refused or unanswered) customer-service messages, from the hub's own ledger."""
    with sqlite3.connect(hub_db) as db:
        ok, failed = db.execute("SELECT SUM(errcode = 0), SUM(errcode != 0) FROM wechat_sends").fetchone()
    return ok or 0, failed or 0


def figures_at(wechat: WeChatServer, hub_db: Path, rate: float, seconds: float, followers: int,
               run: int) -> dict[str, object]:
    ok_before, failed_before = pushes(hub_db)
    results = asyncio.run(load(wechat, rate, seconds, followers, prefix=f"r{run}"))
    drained(hub_db)
    ok, failed = pushes(hub_db)
    times = sorted(t for t, _ in results)
    passive = sum(1 for _, p in results if p)
    return {
        "rate_per_s": rate, "messages": len(results),
        "http_answer_p50_s": round(percentile(times, 0.5), 3),
        "http_answer_p95_s": round(percentile(times, 0.95), 3),
        "http_answer_max_s": round(times[-1], 3),
        "answered_passively": passive,
        "share_needing_customer_service_api": round(1 - passive / len(results), 3),
        "customer_service_messages_sent": ok - ok_before,
        "customer_service_messages_failed": failed - failed_before,
        "goal_met": percentile(times, 0.95) <= GOAL_P95_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, nargs="+", default=[8.0, 12.0, 20.0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--followers", type=int, default=120)
    parser.add_argument("--safe", action="store_true", help="safe (AES) mode instead of plaintext")
    args = parser.parse_args()
    port = free_port()
    stand_in = subprocess.Popen(  # its own process, as WeChat's API is
        [sys.executable, "-m", "uvicorn", "--factory", "scripts.wechat_sim:stand_in_app", "--port", str(port),
         "--log-level", "warning"], cwd=ROOT,
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            hub_db = Path(tmp) / "hub.db"
            system = start_system(hub_db, extra_env={
                "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET,
                "WECHAT_ENCODING_AES_KEY": AES_KEY if args.safe else "",
                "WECHAT_API_BASE_URL": f"http://127.0.0.1:{port}/cgi-bin/",
            })
            try:
                wechat = WeChatServer(system.url("hub") + "/wechat", safe=args.safe)
                for text in MESSAGES:  # warm-up: every model loaded (the documents' encoder on first use)
                    wechat.post_xml(wechat.xml("oWarmUp", "text", {"Content": text}), timeout=60).raise_for_status()
                rows = [figures_at(wechat, hub_db, rate, args.seconds, args.followers, run)
                        for run, rate in enumerate(args.rate)]
            finally:
                system.stop()
    finally:
        stand_in.terminate()
        stand_in.wait(timeout=30)
    figures = {"mode": "safe (AES)" if args.safe else "plaintext", "seconds_each": args.seconds,
               "followers": args.followers, "goal_p95_s": GOAL_P95_S, "runs": rows}
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "wechat_bench.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    keys = list(rows[0])
    table = "\n".join("| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows)
    (reports / "wechat_bench.md").write_text(
        f"# WeChat benchmark\n\nSigned {figures['mode']} messages from {args.followers} followers to the whole "
        f"system (hub, Rasa, actions, core) at each rate for {args.seconds:g} s, one system for all runs, "
        f"WeChat's API stood in on loopback (benchmarks/wechat_bench.py). Goal: HTTP answer p95 ≤ "
        f"{GOAL_P95_S} s at 20 messages a second.\n\n| {' | '.join(keys)} |\n|{'---|' * len(keys)}\n{table}\n",
        encoding="utf-8",
    )
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
