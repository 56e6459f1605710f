"""Settings of the conversation hub, from environment variables (prefix HUB_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class HubSettings(BaseSettings):
    """Defaults run everything on one machine with nothing installed."""

    model_config = SettingsConfigDict(env_prefix="HUB_")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'hub.db'}"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_s: float = 30.0
    # The billing core, for the agent's customer panel (the same variable the actions read).
    core_url: str = Field("http://127.0.0.1:8100", validation_alias=AliasChoices("HUB_CORE_URL", "CORE_BASE_URL"))
    core_timeout_s: float = 5.0
    # Longer messages are kept whole in the conversation store but cut before NLU:
    # nobody describes one problem in more than this, and DIET gains nothing from more.
    max_nlu_chars: int = 500
    max_message_chars: int = 20_000
    max_agent_chars: int = 2_000

    # -- hand-over ------------------------------------------------------------------
    # A queued customer waiting longer than this is moved up and shown in red.
    sla_wait_s: int = 120
    # An agent who claimed a conversation and wrote nothing for this long loses it.
    claim_timeout_s: int = 180
    # Average handling time of one conversation, for the customer's estimated wait.
    handle_time_s: int = 240
    # The customer hears a changed queue position no more often than this.
    announce_every_s: int = 60
    # An agent counts as online while the console was seen this recently.
    agent_online_s: int = 90
    supervise_every_s: float = 5.0

    # -- sessions and abuse ---------------------------------------------------------
    agent_session_hours: int = 12
    cookie_secure: bool = False  # true behind HTTPS
    # Per sender: a burst of this many messages, refilled at this rate.
    rate_burst: int = 20
    rate_per_s: float = 1.0


@lru_cache
def get_settings() -> HubSettings:
    return HubSettings()
