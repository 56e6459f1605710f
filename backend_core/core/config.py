"""Settings of the core, from environment variables prefixed ``CORE_`` (pydantic-settings).

| variable | default | meaning |
|---|---|---|
| CORE_DATABASE_URL | sqlite:///var/core.db (under the repository root) | SQLAlchemy URL; PostgreSQL works too |
| CORE_SERVICE_TOKEN | dev-core-token | bearer token the HTTP API requires (production refuses the default) |
| CORE_HOST / CORE_PORT | 127.0.0.1 / 8100 | where ``uvicorn`` serves the API |
| CORE_GATEWAY | embedded | ``embedded`` (in-process) or ``http`` for :func:`make_gateway` |
| CORE_BASE_URL | http://127.0.0.1:8100 | the API the ``http`` gateway calls |
| CORE_TODAY | (real date) | fixed business date, for demos and tests |
| CORE_TIMEZONE | Asia/Shanghai | local time of meters, bills and deadlines |
| CORE_SQL_ECHO | false | log every SQL statement |
| AGENT_HOURS | service_rules.yml handoff.hours (08:00-20:00) | agents' local hours ``HH:MM-HH:MM``; 00:00-24:00: always staffed |
| POWERDESK_ENV | development | ``production``: the API refuses to start with the default service token |

``AGENT_HOURS`` has no ``CORE_`` prefix: interfaces.md names it for every service
that decides between the agents' queue and a call-back order. A malformed value
stops the settings from loading with a message naming the expected form.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend_core.core.production import DEFAULT_SERVICE_TOKEN

REPO_ROOT = Path(__file__).resolve().parents[2]


def resolve_sqlite_path(url: str, root: Path = REPO_ROOT) -> str:
    """Make a relative SQLite file path absolute against the repository root."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:" or url.startswith("sqlite:////"):
        return url
    path, _, query = url.removeprefix(prefix).partition("?")
    absolute = (root / path).resolve()
    return f"{prefix}{absolute}" + (f"?{query}" if query else "")


class CoreSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CORE_", extra="ignore")

    database_url: str = "sqlite:///var/core.db"
    service_token: str = DEFAULT_SERVICE_TOKEN  # POWERDESK_ENV=production refuses it (core/production.py)
    host: str = "127.0.0.1"
    port: int = 8100
    gateway: Literal["embedded", "http"] = "embedded"
    base_url: str = "http://127.0.0.1:8100"
    today: date | None = None
    timezone: str = "Asia/Shanghai"
    sql_echo: bool = False
    agent_hours: str | None = Field(default=None, validation_alias=AliasChoices("AGENT_HOURS", "agent_hours"))

    @field_validator("agent_hours")
    @classmethod
    def _valid_agent_hours(cls, value: str | None) -> str | None:
        """Empty means unset (the file's hours); anything else must parse, or start-up fails clearly."""
        from backend_core.gateway.interfaces import AgentHours

        if value is None or not value.strip():
            return None
        try:
            return str(AgentHours.parse(value, source="AGENT_HOURS"))
        except ValueError as exc:
            raise ValueError(f"AGENT_HOURS: {exc}") from None

    @field_validator("database_url")
    @classmethod
    def _absolute_sqlite(cls, value: str) -> str:
        return resolve_sqlite_path(value)
