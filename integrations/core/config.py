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
    # Empty: one hub process (live delivery in memory). Set (redis://host:port/db) when
    # several replicas run: live delivery between them, one replica's desk clock, the
    # WeChat access token and the senders' flood limits are shared through it.
    redis_url: str = ""
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

    # -- WeChat official account (interfaces.md fixes the names, without the HUB_ prefix) --
    wechat_token: str = Field("", validation_alias=AliasChoices("WECHAT_TOKEN", "HUB_WECHAT_TOKEN"))
    wechat_app_id: str = Field("", validation_alias=AliasChoices("WECHAT_APP_ID", "HUB_WECHAT_APP_ID"))
    wechat_app_secret: str = Field("", validation_alias=AliasChoices("WECHAT_APP_SECRET", "HUB_WECHAT_APP_SECRET"))
    # Empty: plaintext mode; 43 characters: safe (AES) mode.
    wechat_encoding_aes_key: str = Field(
        "", validation_alias=AliasChoices("WECHAT_ENCODING_AES_KEY", "HUB_WECHAT_ENCODING_AES_KEY")
    )
    wechat_api_base_url: str = Field(
        "https://api.weixin.qq.com/cgi-bin/",
        validation_alias=AliasChoices("WECHAT_API_BASE_URL", "HUB_WECHAT_API_BASE_URL"),
    )
    # WeChat waits 5 s for a passive reply, then retries; past this budget the hub answers
    # "success" and sends the bot's reply through the customer-service message API.
    wechat_reply_budget_s: float = 4.0
    # WeChat's own XML messages are a few hundred bytes; anything far bigger is refused.
    wechat_max_body_bytes: int = 64_000
    # Customer-service messages may go out only this long after the follower last wrote,
    # and WeChat refuses more than its per-user cap in that window (errcode 45047): the
    # hub stops at this many and logs it rather than have WeChat refuse them.
    wechat_push_window_h: int = 48
    wechat_push_limit: int = 20
    wechat_api_timeout_s: float = 5.0

    # -- voice line (jambonz application webhooks) ---------------------------------------
    voice_language: str = "zh-CN"
    # Below this ASR confidence the caller is asked again (twice at most, then an agent).
    voice_min_confidence: float = 0.5
    # Hand-over: ``enqueue`` into this jambonz queue, or ``dial`` this SIP URI when set.
    voice_queue: str = "95598"
    voice_agent_sip_uri: str = ""
    # The recognizer of every gather; "default" is the speech vendor chosen for the
    # application in the jambonz portal.
    voice_asr_vendor: str = "default"
    # Non-empty: every webhook must carry a valid Jambonz-Signature made with this secret.
    voice_webhook_secret: str = ""
    # jambonz's payloads are a few kilobytes (the SIP INVITE, the n-best list); more is refused.
    voice_max_body_bytes: int = 256_000


@lru_cache
def get_settings() -> HubSettings:
    return HubSettings()
