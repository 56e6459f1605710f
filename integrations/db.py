"""Database engine and sessions of the hub's conversation store."""

from __future__ import annotations

import logging
import sqlite3
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from integrations.core.config import get_settings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"
log = logging.getLogger(__name__)


def upgrade_to_head(url: str) -> None:
    """``alembic upgrade head`` on ``url``: the schema comes from the migrations only."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///").split("?")[0])
        path.parent.mkdir(parents=True, exist_ok=True)
        _set_aside_unversioned(path)
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def _set_aside_unversioned(path: Path) -> None:
    """A local SQLite file made before the hub had migrations (by ``create_all``) cannot be
    upgraded; it is renamed, not deleted, and the hub starts a new one."""
    if not path.is_file():
        return
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and "alembic_version" not in tables:
        aside = path.with_name(path.name + ".before-migrations")
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(path) + suffix)
            if source.exists():
                source.replace(Path(str(aside) + suffix))
        log.warning("hub database %s predates the migrations; kept as %s, starting a new one", path, aside)


def make_engine(url: str) -> Engine:
    """An engine on a database brought to the latest schema.

    SQLite gets WAL, so readers never block writers, and synchronous=NORMAL, which in
    WAL mode cannot corrupt the file and only risks the last transactions on a power
    cut, instead of an fsync on every message of every turn.
    """
    upgrade_to_head(url)
    # A ping before each checkout guards against dropped server connections; SQLite has none.
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA synchronous=NORMAL")
    return engine


@lru_cache
def get_sessionmaker() -> sessionmaker:
    return sessionmaker(make_engine(get_settings().database_url), expire_on_commit=False)
