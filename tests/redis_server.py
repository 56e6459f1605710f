"""A throw-away Redis for the tests of the hub's replicated mode (scripts/servers.py)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.ports import free_port
from scripts.servers import RedisServer, ServerUnavailable


def start_redis() -> Iterator[RedisServer]:
    """CI installs redis-server (.ci/run); a machine without it fails the tests that need it."""
    base = Path(tempfile.mkdtemp(prefix="test-redis-"))
    server = RedisServer(free_port(), base)
    try:
        server.start()
    except ServerUnavailable as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(str(exc))
    yield server
    server.stop()
    shutil.rmtree(base, ignore_errors=True)
