"""Alembic environment: the URL comes from CoreSettings unless a caller set one.

A caller (tests, ``backend_core.db_setup``) may pass a connection in
``config.attributes["connection"]`` or a URL as ``sqlalchemy.url``.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from backend_core.core.config import CoreSettings
from backend_core.db import Amount, make_engine
from backend_core.models import Base

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render the core's Decimal column type as plain ``sa.Numeric`` in migrations."""
    if type_ == "type" and isinstance(obj, Amount):
        return f"sa.Numeric(precision={obj.precision}, scale={obj.scale})"
    return False


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or CoreSettings().database_url


def run_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True, render_item=render_item
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=True, render_item=render_item
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
