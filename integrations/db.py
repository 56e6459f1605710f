"""Database engine and sessions of the hub's conversation store."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker

from integrations.core.config import get_settings
from integrations.models import Base


def make_engine(url: str) -> Engine:
    """An engine with the schema in place.

    SQLite gets WAL, so readers never block writers, and synchronous=NORMAL, which in
    WAL mode cannot corrupt the file and only risks the last transactions on a power
    cut, instead of an fsync on every message of every turn.
    """
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn, _record) -> None:  # type: ignore[no-untyped-def]
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA synchronous=NORMAL")
    Base.metadata.create_all(engine)
    return engine


@lru_cache
def get_sessionmaker() -> sessionmaker:
    return sessionmaker(make_engine(get_settings().database_url), expire_on_commit=False)
