"""Channel-aware replies: one text for web/WeChat, a speakable one for the phone line.

The hub sends ``metadata.channel`` (web | wechat | voice) with every message. On voice
the text goes to text-to-speech: no emoji, markdown, URLs or buttons, and long
numbers (account, ticket) are read digit by digit, so buttons become "您可以说…"
(textnorm.voice, which the hub's voice line uses for its own messages too).
Pictures (a bill card, a usage chart: ``custom`` payloads) go only to the web chat;
the text sent before them always says the same in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.kernel.events import latest_metadata
from textnorm.voice import Button, for_voice

CHANNELS = ("web", "wechat", "voice")
# Channels that draw ``custom`` payloads. WeChat text replies cannot carry them and the
# phone line only speaks, so there the text alone is the answer.
PICTURE_CHANNELS = ("web",)


def channel_of(tracker: Tracker) -> str:
    """The channel of the latest user message (web when the hub did not say)."""
    channel = latest_metadata(tracker).get("channel")
    return channel if channel in CHANNELS else "web"


def say(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    text: str,
    buttons: Sequence[Button] = (),
) -> None:
    """Send ``text`` (and buttons where the channel shows them)."""
    if channel_of(tracker) == "voice":
        dispatcher.utter_message(text=for_voice(text, buttons))
    elif buttons:
        dispatcher.utter_message(
            text=text, buttons=[{"title": title, "payload": payload} for title, payload in buttons]
        )
    else:
        dispatcher.utter_message(text=text)


def show(dispatcher: CollectingDispatcher, tracker: Tracker, payload: dict[str, Any]) -> None:
    """Send a ``custom`` payload (docs/hub_api.md) where the channel draws it; call after
    :func:`say`, whose text must already say everything the picture shows."""
    if channel_of(tracker) in PICTURE_CHANNELS:
        dispatcher.utter_message(json_message=payload)
