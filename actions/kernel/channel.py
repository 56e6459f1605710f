"""Channel-aware replies: one text for web/WeChat, a speakable one for the phone line.

The hub sends ``metadata.channel`` (web | wechat | voice) with every message. On voice
the text goes to text-to-speech: no emoji, markdown, URLs or buttons, and long
numbers (account, ticket) are read digit by digit, so buttons become "您可以说…".
Pictures (a bill card, a usage chart: ``custom`` payloads) go only to the web chat;
the text sent before them always says the same in words.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.kernel.events import latest_metadata

CHANNELS = ("web", "wechat", "voice")
# Channels that draw ``custom`` payloads. WeChat text replies cannot carry them and the
# phone line only speaks, so there the text alone is the answer.
PICTURE_CHANNELS = ("web",)
Button = tuple[str, str]  # (title, payload such as "/query_bill")

_URL = re.compile(r"https?://\S+|www\.\S+")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|`|^#+\s*)", re.MULTILINE)
_MASKED_PHONE = re.compile(r"\d{3}\*{4}(\d{4})")
_LONG_NUMBER = re.compile(r"(?<![\d.])([A-Z]*)(\d{7,})(?![\d.])")
_BULLET = re.compile(r"^\s*[·•\-]\s*", re.MULTILINE)


def channel_of(tracker: Tracker) -> str:
    """The channel of the latest user message (web when the hub did not say)."""
    channel = latest_metadata(tracker).get("channel")
    return channel if channel in CHANNELS else "web"


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 or 0x2600 <= code <= 0x27BF or code in (0xFE0F, 0x200D, 0x2B50)


def _spell(match: re.Match) -> str:
    letters, digits = match.group(1), match.group(2)
    spelled = " ".join(digits)
    return f"{' '.join(letters)} {spelled}" if letters else spelled


def for_voice(text: str, buttons: Sequence[Button] = ()) -> str:
    """Make ``text`` speakable; buttons become a spoken list of choices."""
    text = _MASKED_PHONE.sub(r"尾号\1", text)
    text = _URL.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub("", text).replace("*", "")
    text = "".join(c for c in text if not _is_emoji(c))
    text = _LONG_NUMBER.sub(_spell, text)
    text = _BULLET.sub("", text).replace("×", "乘以").replace("元/度", "元每度").replace(" = ", "，共")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    spoken = "".join(line if line[-1] in "。！？，；：" else line + "。" for line in lines)
    if buttons:
        choices = "、".join(f"“{title}”" for title, _ in buttons)
        spoken += f"您可以说{choices}。"
    return spoken


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
