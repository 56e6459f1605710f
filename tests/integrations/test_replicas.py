"""Two hub replicas on one database and one Redis, as `make run-scaled` runs them: a
customer's socket on one replica hears what the other stores, an agent's console on
either sees the queue, a sender's flood limit is one bucket, and one replica runs the
desk's clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from redis.asyncio import Redis

from integrations.auth.agents import COOKIE
from integrations.fanout import RedisBus
from integrations.live import Broker
from integrations.ratelimit import RedisRateLimiter
from tests.integrations.test_chat_api import session, wait_until


def in_own_loop(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coroutine`` on a fresh event loop in its own thread: in the whole suite another
    plugin may already run a loop in the test's thread, where asyncio.run refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def replicas(hub, redis_server):
    """Two hubs sharing the test's database and Redis; each with its own fake Rasa."""
    def build(reply=lambda body: [{"text": "好的"}], **settings):
        return hub(reply, redis_url=redis_server.url, **settings), hub(reply, redis_url=redis_server.url, **settings)
    return build


def test_a_customer_socket_on_one_replica_hears_a_turn_served_by_the_other(replicas) -> None:
    first, second = replicas(lambda body: [{"text": f"已收到：{body['message']}"}])
    sender, token = session(first)
    with first.client.websocket_connect(f"/ws/chat?token={token}") as socket:
        wait_until(lambda: first.desk.broker.customer_count == 1)
        for n in range(5):
            assert second.say(f"第{n}句", sender=sender, token=token).status_code == 200
        heard = [socket.receive_json() for _ in range(10)]
    assert [m["text"] for m in heard] == [t for n in range(5) for t in (f"第{n}句", f"已收到：第{n}句")]
    assert [m["author"] for m in heard] == ["customer", "bot"] * 5


def test_an_agent_on_one_replica_reaches_the_customer_on_the_other(replicas) -> None:
    first, second = replicas(lambda body: [{"custom": {"handoff": {"reason": "requested"}}}])
    sender, token = session(first)
    agent = second.login()
    with second.client.websocket_connect("/ws/console", headers={"Cookie": f"{COOKIE}={agent.cookie}"}) as console:
        assert console.receive_json()["type"] == "queue"  # sent once the socket subscribed
        first.say("我要人工", sender=sender, token=token)
        frame = console.receive_json()
        while frame.get("state") != "queued":
            frame = console.receive_json()
    conversation_id = frame["conversation_id"]
    assert agent.call("POST", f"/api/console/conversations/{conversation_id}/claim").status_code == 200
    with first.client.websocket_connect(f"/ws/chat?token={token}") as socket:
        wait_until(lambda: first.desk.broker.customer_count == 1)
        reply = agent.call("POST", f"/api/console/conversations/{conversation_id}/messages", {"text": "您好，我是客服小王"})
        assert reply.status_code == 201
        while (message := socket.receive_json())["author"] != "agent":
            pass
    assert message["text"] == "您好，我是客服小王"


def test_a_flood_is_one_bucket_across_replicas(replicas) -> None:
    first, second = replicas(rate_burst=4, rate_per_s=0.01)
    sender, token = session(first)
    answers = [(first if n % 2 else second).say(f"{n}", sender=sender, token=token).status_code for n in range(6)]
    assert answers == [200, 200, 200, 200, 429, 429]


def test_one_replica_at_a_time_runs_the_desk_clock(redis_server) -> None:
    async def scenario() -> list[bool]:
        redis = Redis.from_url(redis_server.url)
        a, b = RedisBus(redis, Broker(), channel="test:lease"), RedisBus(redis, Broker(), channel="test:lease")
        duty = f"clock-{time.monotonic_ns()}"
        try:
            held = [await a.leads(duty, 0.5), await b.leads(duty, 0.5), await a.leads(duty, 0.5)]
            await asyncio.sleep(0.8)  # a stopped renewing: its lease lapses and b takes over
            return [*held, await b.leads(duty, 0.5), await a.leads(duty, 0.5)]
        finally:
            await redis.aclose()

    assert in_own_loop(scenario()) == [True, False, True, True, False]


def test_an_unreadable_publication_is_ignored_and_the_bus_keeps_delivering(redis_server) -> None:
    async def scenario() -> list[dict[str, Any]]:
        redis = Redis.from_url(redis_server.url)
        local = Broker()
        bus = RedisBus(redis, local, channel=f"test:junk:{time.monotonic_ns()}")
        await bus.start()
        try:
            async with local.customer(7) as queue:
                await redis.publish(bus._channel, b"\xff not json")
                bus.publish_customer(7, {"text": "还在"})
                return [await asyncio.wait_for(queue.get(), 5)]
        finally:
            await bus.stop()
            await redis.aclose()

    assert in_own_loop(scenario()) == [{"text": "还在"}]


def test_the_shared_bucket_lets_messages_through_when_redis_is_gone() -> None:
    async def scenario() -> float:
        redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
        try:
            return await RedisRateLimiter(redis, 1, 0.01).allow("web:u1")
        finally:
            await redis.aclose()

    assert in_own_loop(scenario()) == 0.0
