"""The one internal message form every channel adapter speaks (ARCHITECTURE.md, decision 2)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

Channel = Literal["web", "wechat", "voice"]


def unicode_text(value: str) -> str:
    """Refuses a lone surrogate (JSON's ``"\\ud800"`` carries one): it is no character, and
    neither the databases nor the bot can take it, as they cannot take bytes that are not UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text") from None
    return value


def plain_text(value: str) -> str:
    """Unicode text without NUL, which PostgreSQL cannot store (customer messages are
    cleaned of control characters instead, integrations/text.py)."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return unicode_text(value)


def json_data(value: Any) -> Any:
    """JSON as the standard defines it, which the conversation store can keep on every
    backend: finite numbers (no NaN or Infinity) and Unicode text, however deep."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError("numbers must be finite")
        if isinstance(item, str):
            unicode_text(item)
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list):
            pending += item
    return value


UnicodeText = Annotated[str, AfterValidator(unicode_text)]
PlainText = Annotated[str, AfterValidator(plain_text)]
JsonObject = Annotated[dict[str, Any], AfterValidator(json_data)]


class ErrorBody(BaseModel):
    """Every refusal of the hub's API (docs/hub_api.md): a code and one sentence a person can read."""

    error: str
    message: str


REFUSALS = {
    400: "请求格式不正确: malformed JSON, a field of the wrong type or out of range, text that is not Unicode",
    401: "no session: log in again (console), or a missing or wrong chat token (web chat)",
    403: "a missing or wrong X-CSRF-Token (console), or a request not signed by WeChat",
    404: "no such conversation or canned response",
    409: "the conversation is not in a state that allows this (held by another agent, not yours, no rating asked)",
    429: "the sender is sending too fast (see Retry-After)",
    503: "the knowledge base is not built, or the database is unreachable",
}


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route's OpenAPI: the refusals it really answers, in ErrorBody's shape."""
    return {code: {"model": ErrorBody, "description": REFUSALS[code]} for code in codes}


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

    sender: PlainText = Field(min_length=1, max_length=128)
    message: UnicodeText = ""
    metadata: JsonObject = Field(default_factory=dict)
