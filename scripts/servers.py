"""PostgreSQL and Redis from the Debian packages, run by the project itself.

The scaled mode (scripts/scaled.py) keeps them under var/scaled/; the tests start
throw-away ones in temporary directories (tests/postgres.py, tests/redis_server.py).
Neither needs a system service: CI starts with none running.
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text


class ServerUnavailable(RuntimeError):
    """A server could not be started; the message says what to install or look at."""


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


@dataclass
class PostgresCluster:
    """One cluster in ``base`` (data, socket, log), trust authentication on loopback."""

    bin_dir: Path
    base: Path
    port: int
    as_user: list[str] = field(default_factory=list)

    @classmethod
    def at(cls, base: Path, port: int) -> PostgresCluster:
        """A cluster in ``base``; PostgreSQL refuses to run as root, so as ``postgres`` then."""
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise ServerUnavailable("PostgreSQL is not installed (apt-get install postgresql)")
        base.mkdir(parents=True, exist_ok=True)
        as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(base, "postgres", "postgres")
            as_user = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else ["su", "postgres", "-c"]
        return cls(bin_dir, base, port, as_user)

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    def run(self, *args: str) -> None:
        command = [*self.as_user, shlex.join(args)] if self.as_user[:1] == ["su"] else [*self.as_user, *args]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=120)
        except subprocess.CalledProcessError as exc:
            raise ServerUnavailable(f"{Path(args[0]).name} failed: {exc.stderr.decode(errors='replace')[-500:]}") from None

    def start(self, fsync: bool = True) -> None:
        """initdb when the data directory is new, then start and wait until it accepts."""
        if not (self.data_dir / "PG_VERSION").exists():
            self.run(str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1" + ("" if fsync else " -c fsync=off")
        self.run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-o", options, "-l", str(self.base / "log"),
                 "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", mode, "stop")

    def url(self, database: str, driver: str = "psycopg") -> str:
        return f"postgresql+{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, statement: str) -> None:
        """One statement outside a transaction (CREATE DATABASE cannot run in one)."""
        engine = create_engine(self.url("postgres")).execution_options(isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()

    def ensure_database(self, name: str) -> None:
        engine = create_engine(self.url("postgres"))
        try:
            with engine.connect() as conn:
                exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        finally:
            engine.dispose()
        if not exists:
            self.admin(f'CREATE DATABASE "{name}"')


@dataclass
class RedisServer:
    """``redis-server`` on loopback, nothing persisted: live messages, locks, leases and
    flood buckets are all worth losing on a restart."""

    port: int
    base: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServerUnavailable("Redis is not installed (apt-get install redis-server)")
        return [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(self.base), "--protected-mode", "yes"]

    def start(self, timeout_s: float = 10.0) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        log = (self.base / "redis.log").open("ab")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT)
        if not wait_for_redis(self.url, timeout_s):
            self.stop()
            raise ServerUnavailable(f"redis-server did not answer on port {self.port} (see {self.base / 'redis.log'})")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


def wait_for_redis(url: str, timeout_s: float) -> bool:
    from redis import Redis
    from redis.exceptions import RedisError

    deadline = time.monotonic() + timeout_s
    client = Redis.from_url(url, socket_connect_timeout=1)
    try:
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return True
            except RedisError:
                time.sleep(0.1)
        return False
    finally:
        client.close()
