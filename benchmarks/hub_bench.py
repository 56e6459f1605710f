"""Hub benchmark: what the conversation hub adds to a turn, and live delivery to many widgets.

1. Overhead per turn: the same turns sent through the hub and straight to Rasa's REST
   channel, interleaved (hub, Rasa, hub, Rasa, …) in one run on the same system so both
   see the same machine load; the hub's overhead is the difference of the p50s, for the
   turns of ongoing conversations (goal ≤ 5 ms) and, apart, for first turns.
2. Live delivery: N web chat sessions hold their socket (WS /ws/chat) open while every
   one of them gets messages: each customer sends one, at a steady --rate per second
   spread over all sessions (500 customers chatting at once send a few messages a
   second between them; --rate 25 is several times that), and we time, per socket, from
   sending to the socket receiving the hub's reply. Goal: p95 ≤ 200 ms with 500 sockets.
   The message is empty, so the hub answers it itself (no Rasa): this measures the hub's
   store-and-push path, not the bot. A burst (all at once) is reported too, as the
   throughput limit.

usage: python benchmarks/hub_bench.py [--conversations 40] [--sockets 500] [--rate 25]
Writes reports/hub_bench.json and reports/hub_bench.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import websockets
from websockets.asyncio.client import ClientConnection

from benchmarks.bot_bench import percentile
from scripts.running import ROOT, RunningSystem, start_system

# Small talk that changes the bot's answer every turn (the hub offers a human after three
# identical answers, which would make the hub's turns different work from Rasa's).
TURNS = ("你好", "谢谢", "你好", "谢谢", "你好")
DELIVERY_TIMEOUT_S = 30.0  # a message not on its socket by then counts as lost (the run fails)


def overhead(system: RunningSystem, conversations: int) -> dict[str, float]:
    """p50 of turns via the hub and via Rasa directly, interleaved turn by turn.

    Each conversation has TURNS turns: the first opens a conversation (the hub creates its
    record), the others are turns of an ongoing one, reported apart."""
    timings: dict[tuple[str, bool], list[float]] = {(s, first): [] for s in ("hub", "rasa") for first in (True, False)}
    with httpx.Client(timeout=60) as client:
        for i in range(conversations):
            senders = {service: f"bench-{service}-{i}-{time.time_ns()}" for service in ("hub", "rasa")}
            for turn, text in enumerate(TURNS):
                for service in ("hub", "rasa"):
                    start = time.perf_counter()
                    client.post(
                        system.url(service) + "/webhooks/rest/webhook",
                        json={"sender": senders[service], "message": text, "metadata": {"channel": "web"}},
                    ).raise_for_status()
                    timings[(service, turn == 0)].append((time.perf_counter() - start) * 1000)

    def p50(service: str, first: bool) -> float:
        return statistics.median(timings[(service, first)])

    return {
        "conversations_each": conversations,
        "hub_turn_p50_ms": round(p50("hub", False), 1),
        "rasa_direct_turn_p50_ms": round(p50("rasa", False), 1),
        "hub_overhead_p50_ms": round(p50("hub", False) - p50("rasa", False), 1),
        "hub_first_turn_p50_ms": round(p50("hub", True), 1),
        "rasa_direct_first_turn_p50_ms": round(p50("rasa", True), 1),
        "hub_overhead_first_turn_p50_ms": round(p50("hub", True) - p50("rasa", True), 1),
    }


async def live_delivery(base_url: str, sockets: int, rate: float) -> dict[str, float]:
    """Open ``sockets`` widget sessions; every customer sends once at ``rate`` a second, then
    all at once."""
    ws_base = base_url.replace("http://", "ws://")
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        sessions = [(await client.post("/api/chat/sessions", json={})).json() for _ in range(sockets)]
        connections = await asyncio.gather(*(
            websockets.connect(f"{ws_base}/ws/chat?token={s['token']}", open_timeout=60, max_queue=None)
            for s in sessions
        ))
        await asyncio.sleep(1.0)  # every socket subscribed

        async def one(session: dict[str, str], connection: ClientConnection) -> float:
            start = time.perf_counter()
            response = await client.post(
                "/webhooks/rest/webhook", json={"sender": session["sender"], "message": "", "metadata": {"channel": "web"}},
                headers={"Authorization": f"Bearer {session['token']}"},
            )
            response.raise_for_status()
            while True:  # the customer's own message first, then the hub's prompt
                frame = json.loads(await asyncio.wait_for(connection.recv(), DELIVERY_TIMEOUT_S))
                if frame["author"] == "bot":
                    return (time.perf_counter() - start) * 1000

        async def paced(index: int, session: dict[str, str], connection: ClientConnection) -> float:
            await asyncio.sleep(index / rate)
            return await one(session, connection)

        steady = await asyncio.gather(*(paced(i, s, c) for i, (s, c) in enumerate(zip(sessions, connections, strict=True))))
        started = time.perf_counter()
        burst = await asyncio.gather(*(one(s, c) for s, c in zip(sessions, connections, strict=True)))
        wall = time.perf_counter() - started
        await asyncio.gather(*(c.close() for c in connections))
    return {
        "sockets": sockets,
        "rate_per_s": rate,
        "delivered": len(steady),
        "delivery_p50_ms": round(statistics.median(steady), 1),
        "delivery_p95_ms": round(percentile(steady, 0.95), 1),
        "delivery_max_ms": round(max(steady), 1),
        "burst_all_at_once_p95_ms": round(percentile(burst, 0.95), 1),
        "burst_all_delivered_in_s": round(wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--rate", type=float, default=25.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        system = start_system(Path(tmp) / "hub.db")
        try:
            figures = {
                **overhead(system, args.conversations),
                **asyncio.run(live_delivery(system.url("hub"), args.sockets, args.rate)),
            }
        finally:
            system.stop()
    figures["overhead_goal_met"] = figures["hub_overhead_p50_ms"] <= 5.0
    figures["delivery_goal_met"] = figures["delivery_p95_ms"] <= 200.0
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "hub_bench.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    rows = "\n".join(f"| {k} | {v} |" for k, v in figures.items())
    (reports / "hub_bench.md").write_text(
        "# Hub benchmark\n\nHub vs Rasa's own REST channel, interleaved in one run; then live delivery to "
        f"{args.sockets} open widget sockets at {args.rate:g} messages a second, and all at once "
        f"(benchmarks/hub_bench.py).\n\n| figure | value |\n|---|---|\n{rows}\n",
        encoding="utf-8",
    )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
