"""Settings of the conversation hub, from environment variables (prefix HUB_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class HubSettings(BaseSettings):
    """Defaults run everything on one machine with nothing installed."""

    model_config = SettingsConfigDict(env_prefix="HUB_")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'hub.db'}"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_s: float = 30.0
    # Longer messages are kept whole in the conversation store but cut before NLU:
    # nobody describes one problem in more than this, and DIET gains nothing from more.
    max_nlu_chars: int = 500
    max_message_chars: int = 20_000


@lru_cache
def get_settings() -> HubSettings:
    return HubSettings()
