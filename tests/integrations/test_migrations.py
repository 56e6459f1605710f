"""The hub's schema comes from its Alembic migrations, and they match the models."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from integrations.db import upgrade_to_head
from integrations.models import Base


def test_migrations_build_exactly_the_models_schema(hub_database: str) -> None:
    upgrade_to_head(hub_database)
    engine = create_engine(hub_database)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()


def test_a_local_database_from_before_the_migrations_is_set_aside_not_lost(tmp_path) -> None:
    old = tmp_path / "hub.db"
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE conversations (id INTEGER PRIMARY KEY)")
    upgrade_to_head(f"sqlite:///{old}")
    assert (tmp_path / "hub.db.before-migrations").exists()
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
