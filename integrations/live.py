"""Live delivery to open websockets: the customer's widget and the agents' consoles.

In-process publish/subscribe on asyncio queues: every message the hub stores is
published here after its transaction commits. One hub process holds the sockets it
accepted; with several hub replicas, fanout.py's RedisBus carries each publication to
every replica, whose Broker hands it to the sockets it holds. The desk sees either
through the ``Bus`` protocol.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

log = logging.getLogger(__name__)
QUEUE_LIMIT = 500  # a socket this far behind is dropped; the page catches up from history


class Bus(Protocol):
    """What the desk and the socket routes need from live delivery."""

    def publish_customer(self, conversation_id: int, message: dict[str, Any]) -> None: ...

    def publish_console(self, frame: dict[str, Any]) -> None: ...

    @property
    def console_count(self) -> int: ...

    def customer(self, conversation_id: int) -> Any: ...

    def console(self) -> Any: ...

    async def leads(self, duty: str, for_s: float) -> bool:
        """Whether this process should do ``duty`` (one replica's clock) for the next ``for_s``."""
        ...


class Broker:
    """Live delivery within one process (the embedded default, and each replica's sockets)."""

    def __init__(self) -> None:
        self._customers: dict[int, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)
        self._consoles: set[asyncio.Queue[dict[str, Any]]] = set()

    def publish_customer(self, conversation_id: int, message: dict[str, Any]) -> None:
        for queue in list(self._customers.get(conversation_id, ())):
            self._put(queue, message)

    def publish_console(self, frame: dict[str, Any]) -> None:
        for queue in list(self._consoles):
            self._put(queue, frame)

    @property
    def console_count(self) -> int:
        return len(self._consoles)

    @property
    def customer_count(self) -> int:
        return sum(len(queues) for queues in self._customers.values())

    @asynccontextmanager
    async def customer(self, conversation_id: int) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        self._customers[conversation_id].add(queue)
        try:
            yield queue
        finally:
            self._customers[conversation_id].discard(queue)
            if not self._customers[conversation_id]:
                del self._customers[conversation_id]

    @asynccontextmanager
    async def console(self) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        self._consoles.add(queue)
        try:
            yield queue
        finally:
            self._consoles.discard(queue)

    async def leads(self, duty: str, for_s: float) -> bool:
        return True  # the only process

    @staticmethod
    def _put(queue: asyncio.Queue[dict[str, Any]], item: dict[str, Any]) -> None:
        try:
            queue.put_nowait(item)
        except asyncio.QueueFull:
            log.warning("a live socket fell %d messages behind; it will catch up from history", QUEUE_LIMIT)
