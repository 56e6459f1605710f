"""Fixtures shared by the packages' tests: one throw-away PostgreSQL cluster per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import PostgresCluster, start_cluster


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    yield from start_cluster()
