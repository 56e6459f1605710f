"""A throw-away PostgreSQL cluster for the tests of every package that stores data.

PostgreSQL is used when CORE_TEST_POSTGRES=1 (CI: then a missing PostgreSQL fails the
run rather than skipping) or when ``pg_ctl`` is found; the ``postgres`` fixture lives in
tests/conftest.py. The cluster itself is scripts/servers.py's, as in the scaled mode.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.ports import free_port
from scripts.servers import PostgresCluster, ServerUnavailable, postgres_bin

POSTGRES_REQUIRED = os.environ.get("CORE_TEST_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgres"] if POSTGRES_REQUIRED or postgres_bin() else ["sqlite"]


def pg_admin(cluster: PostgresCluster, statement: str) -> None:
    cluster.admin(statement)


def start_cluster(prefix: str = "test-pg-") -> Iterator[PostgresCluster]:
    """A cluster in a temp dir on a free port, without fsync (nothing here must survive)."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        cluster = PostgresCluster.at(base, free_port())
        cluster.start(fsync=False)
    except ServerUnavailable as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"PostgreSQL could not start: {exc}")
    yield cluster
    try:
        cluster.stop("immediate")
    except ServerUnavailable:
        pass  # a test stopped it already
    shutil.rmtree(base, ignore_errors=True)
