"""A throw-away PostgreSQL cluster for the tests of every package that stores data.

PostgreSQL is used when CORE_TEST_POSTGRES=1 (CI: then a missing PostgreSQL fails the
run rather than skipping) or when ``pg_ctl`` is found; the ``postgres`` fixture lives in
tests/conftest.py.
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from scripts.ports import free_port


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


POSTGRES_REQUIRED = os.environ.get("CORE_TEST_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgres"] if POSTGRES_REQUIRED or postgres_bin() else ["sqlite"]


@dataclass
class PostgresCluster:
    bin_dir: Path
    data_dir: Path
    port: int
    as_user: list[str]

    def run(self, *args: str) -> None:
        command = [*self.as_user, shlex.join(args)] if self.as_user[:1] == ["su"] else [*self.as_user, *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def pg_admin(cluster: PostgresCluster, statement: str) -> None:
    admin = create_engine(cluster.url("postgres")).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


def start_cluster() -> Iterator[PostgresCluster]:
    """A cluster in a temp dir on a free port (initdb run as ``postgres`` when we are root)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.fail("CORE_TEST_POSTGRES=1 but no PostgreSQL (pg_ctl) is installed")
    base = Path(tempfile.mkdtemp(prefix="test-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else ["su", "postgres", "-c"]
    cluster = PostgresCluster(bin_dir, base / "data", free_port(), as_user)
    try:
        cluster.run(str(bin_dir / "initdb"), "-D", str(cluster.data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {cluster.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        cluster.run(str(bin_dir / "pg_ctl"), "-D", str(cluster.data_dir), "-o", options, "-l", str(base / "log"), "-w", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')[-500:]}")
    yield cluster
    cluster.run(str(bin_dir / "pg_ctl"), "-D", str(cluster.data_dir), "-m", "immediate", "stop")
    shutil.rmtree(base, ignore_errors=True)
