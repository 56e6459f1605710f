"""Live delivery between hub replicas over Redis pub/sub.

A customer's widget may hold its socket on one replica while the agent's reply, or the
bot's answer to a REST turn, is stored by another. Every publication therefore goes to
one Redis channel, and every replica, the publisher included, hands what it hears to
the sockets it holds (its own live.Broker). One writer task publishes in order, so a
socket sees a conversation's messages in the order they were stored.

Redis pub/sub delivers at most once: a replica that loses its Redis connection misses
what was published meanwhile. The pages already catch up from the store
(``/api/chat/messages?after=``) when their socket reconnects, which is what makes that
acceptable here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from integrations.live import Broker

log = logging.getLogger(__name__)

CHANNEL = "hub:live"
OUTBOX_LIMIT = 10_000  # publications waiting for Redis; beyond this they are dropped, logged
RECONNECT_S = 1.0


class RedisBus:
    """The ``Bus`` of a replicated hub: publish to Redis, deliver what Redis sends."""

    def __init__(self, redis: Redis, local: Broker | None = None, channel: str = CHANNEL) -> None:
        self._redis, self._local, self._channel = redis, local or Broker(), channel
        self._outbox: asyncio.Queue[str] = asyncio.Queue(OUTBOX_LIMIT)
        self._tasks: list[asyncio.Task[None]] = []
        self._subscribed = asyncio.Event()
        self.replica = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    async def start(self) -> None:
        """Subscribe and start publishing; returns once this replica hears the channel."""
        self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._publish_outbox())]
        await asyncio.wait_for(self._subscribed.wait(), timeout=10)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- the Bus protocol ------------------------------------------------------------

    def publish_customer(self, conversation_id: int, message: dict[str, Any]) -> None:
        self._send({"to": "customer", "conversation_id": conversation_id, "body": message})

    def publish_console(self, frame: dict[str, Any]) -> None:
        self._send({"to": "console", "body": frame})

    @property
    def console_count(self) -> int:
        """Consoles may be open on any replica; the desk builds queue frames regardless."""
        return max(1, self._local.console_count)

    @property
    def customer_count(self) -> int:
        return self._local.customer_count

    def customer(self, conversation_id: int) -> Any:
        return self._local.customer(conversation_id)

    def console(self) -> Any:
        return self._local.console()

    async def leads(self, duty: str, for_s: float) -> bool:
        """A lease in Redis: the replica that holds ``duty`` keeps it while it renews it."""
        key = f"hub:lead:{duty}"
        try:
            if await self._redis.set(key, self.replica, nx=True, px=int(for_s * 1000)):
                return True
            held = await self._redis.get(key)
            if (held.decode() if isinstance(held, bytes) else held) == self.replica:
                await self._redis.pexpire(key, int(for_s * 1000))
                return True
        except RedisError as exc:
            log.warning("Redis unreachable for the %s lease (%s); this replica skips the round", duty, exc)
        return False

    # -- plumbing --------------------------------------------------------------------

    def _send(self, envelope: dict[str, Any]) -> None:
        try:
            self._outbox.put_nowait(json.dumps(envelope, ensure_ascii=False, default=str))
        except asyncio.QueueFull:
            log.error("live fan-out: %d publications wait for Redis; this one is dropped", OUTBOX_LIMIT)

    async def _publish_outbox(self) -> None:
        while True:
            data = await self._outbox.get()
            while True:
                try:
                    await self._redis.publish(self._channel, data)
                    break
                except RedisError as exc:
                    log.warning("live fan-out: Redis publish failed (%s); retrying", exc)
                    await asyncio.sleep(RECONNECT_S)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._subscription() as messages:
                    async for data in messages:
                        self._deliver(data)
            except (RedisError, OSError) as exc:
                log.warning("live fan-out: Redis subscription lost (%s); resubscribing", exc)
                await asyncio.sleep(RECONNECT_S)

    @asynccontextmanager
    async def _subscription(self) -> AsyncIterator[AsyncIterator[bytes]]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._channel)
        self._subscribed.set()

        async def messages() -> AsyncIterator[bytes]:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield message["data"]

        try:
            yield messages()
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()

    def _deliver(self, data: bytes) -> None:
        try:
            envelope = json.loads(data)
            if envelope["to"] == "customer":
                self._local.publish_customer(int(envelope["conversation_id"]), envelope["body"])
            else:
                self._local.publish_console(envelope["body"])
        except (ValueError, KeyError, TypeError):
            log.error("live fan-out: an unreadable publication on %s was ignored", self._channel)
