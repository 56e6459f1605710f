"""Text made speakable for the phone line's text-to-speech.

Shared by the action server (the bot's own replies on voice, actions/kernel/channel.py)
and the hub's voice adapter (its own prompts, queue positions and agent text,
integrations/channels/voice/speech.py), so that both say things the same way: no
emoji, markdown or URLs, long numbers (account, ticket) read digit by digit, buttons
as a spoken list of choices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Button = tuple[str, str]  # (title, payload such as "/query_bill")

_URL = re.compile(r"https?://\S+|www\.\S+")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|`|^#+\s*)", re.MULTILINE)
_MASKED_PHONE = re.compile(r"\d{3}\*{4}(\d{4})")
_LONG_NUMBER = re.compile(r"(?<![\d.])([A-Z]*)(\d{7,})(?![\d.])")
_BULLET = re.compile(r"^\s*[·•\-]\s*", re.MULTILINE)


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
