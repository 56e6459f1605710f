"""The business figures replies quote (prices, hours, time limits, identity limits),
asked of the core and never typed in the action server.

The core reads them from the same data files it bills and counts deadlines from
(``service_facts`` and ``tariff_facts`` on the gateway), so a utility that changes a
tariff or a commitment changes one file. They change rarely: each process keeps them
for a few minutes rather than asking on every reply.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from actions.kernel.gateway import get_gateway
from backend_core.gateway.interfaces import CoreGateway, ServiceFacts, TariffFacts

KEEP_S = 300.0
T = TypeVar("T")
_lock = threading.Lock()
_kept: dict[tuple[str, int], tuple[float, object]] = {}


def _kept_for_a_while(name: str, fetch: Callable[[CoreGateway], T]) -> T:
    """``fetch`` of the current gateway, reused for KEEP_S (a new gateway asks again)."""
    gateway = get_gateway()
    key = (name, id(gateway))
    with _lock:
        entry = _kept.get(key)
        if entry is not None and time.monotonic() - entry[0] < KEEP_S:
            return entry[1]  # type: ignore[return-value]
    value = fetch(gateway)
    with _lock:
        _kept[key] = (time.monotonic(), value)
    return value


def service_facts() -> ServiceFacts:
    return _kept_for_a_while("service", lambda gateway: gateway.service_facts())


def tariff_facts() -> TariffFacts:
    return _kept_for_a_while("tariff", lambda gateway: gateway.tariff_facts())
