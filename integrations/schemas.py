"""The one internal message form every channel adapter speaks (ARCHITECTURE.md, decision 2)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Channel = Literal["web", "wechat", "voice"]


class Button(BaseModel):
    title: str
    payload: str


class IncomingMessage(BaseModel):
    """A customer's turn, whatever channel it came from."""

    channel: Channel
    sender: str
    text: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    # How the bot words its replies when the REST channel imitates WeChat or the phone
    # (evaluation, tests); the conversation itself stays a web one, so nobody can write
    # into a real WeChat follower's conversation through the REST channel.
    style: Channel | None = None
    # Set only by the WeChat adapter, from its bindings: the follower proved this account.
    bound_account: str | None = None
    # A picture or a place the customer sent instead of words (WeChat): kept with the
    # message for the agent, {"type": "image", "url", "media_id"} or
    # {"type": "location", "label", "lat", "lng"}.
    attachment: dict[str, Any] | None = None


class OutgoingMessage(BaseModel):
    """One reply in Rasa's REST channel shape; adapters render it for their channel."""

    recipient_id: str
    text: str | None = None
    buttons: list[Button] | None = None
    image: str | None = None
    custom: dict[str, Any] | None = None


class RestWebhookRequest(BaseModel):
    """Rasa's REST channel input: {"sender", "message", "metadata"}."""

    sender: str = Field(min_length=1, max_length=128)
    message: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)
