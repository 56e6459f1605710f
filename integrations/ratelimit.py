"""A token bucket per sender: a flood from one sender is slowed, nobody else notices.

In-process for one hub process; with several replicas behind a load balancer the
buckets live in Redis (RedisRateLimiter), or each replica would grant its own burst.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

SLOW_DOWN = "您发送得太快了，请稍等几秒再发。"  # what a slowed sender reads, on every channel
MAX_SENDERS = 100_000  # least recently seen buckets are forgotten beyond this


class RateLimiter:
    def __init__(self, burst: int, per_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._burst, self._rate, self._clock = float(burst), per_s, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def allow(self, key: str) -> float:
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


# The same bucket, kept in Redis and updated atomically, on Redis's clock (replicas'
# clocks may differ). Idle buckets expire once they would be full again.
BUCKET = """
local burst, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local kept = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = math.min(burst, (tonumber(kept[1]) or burst) + (now - (tonumber(kept[2]) or now)) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return tostring(wait)
"""


class RedisRateLimiter:
    """The token bucket shared by every hub replica."""

    def __init__(self, redis: Redis, burst: int, per_s: float, prefix: str = "hub:rate:") -> None:
        self._bucket = redis.register_script(BUCKET)
        self._burst, self._rate, self._prefix = burst, per_s, prefix

    async def allow(self, key: str) -> float:
        """As RateLimiter.allow; when Redis cannot answer, the sender is let through (a
        flood limit must not take the service down with it)."""
        try:
            return float(await self._bucket(keys=[self._prefix + key], args=[self._burst, self._rate]))
        except RedisError as exc:
            log.warning("Redis unreachable for the flood limit (%s); letting the message through", exc)
            return 0.0


Limiter = RateLimiter | RedisRateLimiter
