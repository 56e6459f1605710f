"""Fixtures shared by the packages' tests: one throw-away PostgreSQL cluster and one Redis per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts.servers import PostgresCluster, RedisServer
from tests.postgres import start_cluster
from tests.redis_server import start_redis


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    yield from start_cluster()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    yield from start_redis()
