"""A token bucket per sender: a flood from one sender is slowed, nobody else notices.

In-process (one hub process); several hub processes would keep the buckets in Redis
behind the same ``allow`` (issue 13).
"""

from __future__ import annotations

import time
from collections import OrderedDict

SLOW_DOWN = "您发送得太快了，请稍等几秒再发。"  # what a slowed sender reads, on every channel
MAX_SENDERS = 100_000  # least recently seen buckets are forgotten beyond this


class RateLimiter:
    def __init__(self, burst: int, per_s: float, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._burst, self._rate, self._clock = float(burst), per_s, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, key: str) -> float:
        """0 when ``key`` may send now, else the seconds until it may."""
        now = self._clock()
        tokens, then = self._buckets.pop(key, (self._burst, now))
        tokens = min(self._burst, tokens + (now - then) * self._rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self._rate
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > MAX_SENDERS:
            self._buckets.popitem(last=False)
        return wait
