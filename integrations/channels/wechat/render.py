"""The bot's and the hub's messages as WeChat text.

A WeChat text message has no buttons and no cards, and WeChat cuts a reply at 2048
bytes: buttons become numbered choices the customer answers with the number (the
channel maps the number back, :func:`choice_number` and :func:`chosen`), pictures are left out (the bot's text
before a card already says what it shows), and long text is split at line or sentence
ends within the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from integrations.schemas import OutgoingMessage

MAX_BYTES = 2048
_SENTENCE_END = re.compile(r"(?<=[。！？；\n])")
_NUMBER = re.compile(r"^\s*([1-9])\s*[.。、号]?\s*$")


def as_text(text: str | None, buttons: Iterable[Any] | None) -> str:
    """One message's text with its buttons as numbered choices."""
    lines = [text.strip()] if text and text.strip() else []
    titles = [_title(b) for b in buttons or ()]
    if titles:
        lines.append("请回复数字选择：" + "  ".join(f"{i}. {t}" for i, t in enumerate(titles, 1)))
    return "\n".join(lines)


def texts(replies: Iterable[OutgoingMessage]) -> list[str]:
    """The texts to send for a turn's replies, in order, each within WeChat's limit."""
    out: list[str] = []
    for reply in replies:
        text = as_text(reply.text, reply.buttons)
        if text:
            out.extend(split(text))
    return out


def merged(parts: list[str]) -> list[str]:
    """As few messages as the limit allows (a passive reply carries only one)."""
    out: list[str] = []
    for part in parts:
        if out and _size(out[-1] + "\n\n" + part) <= MAX_BYTES:
            out[-1] += "\n\n" + part
        else:
            out.append(part)
    return out


def split(text: str) -> list[str]:
    """``text`` in pieces of at most MAX_BYTES, cut after a sentence or line where possible."""
    pieces: list[str] = []
    current = ""
    for sentence in filter(None, _SENTENCE_END.split(text)):
        while _size(sentence) > MAX_BYTES:  # one endless sentence: cut it by size
            cut = _fit(sentence)
            pieces, current = _flush(pieces, current), ""
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        if _size(current + sentence) > MAX_BYTES:
            pieces, current = _flush(pieces, current), ""
        current += sentence
    return _flush(pieces, current)


def choice_number(text: str) -> int | None:
    """The number ``text`` is, when it is nothing but one (「2」, 「2号」): a pick of a choice."""
    match = _NUMBER.match(text)
    return int(match.group(1)) if match else None


def chosen(number: int, buttons: list[dict[str, Any]] | None) -> str | None:
    """The payload of choice ``number`` of ``buttons``, if there is one."""
    if not buttons or number > len(buttons):
        return None
    return str(buttons[number - 1].get("payload") or _title(buttons[number - 1]))


def _title(button: Any) -> str:
    return str(button.get("title") if isinstance(button, dict) else getattr(button, "title", ""))


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _fit(text: str) -> int:
    """How many characters of ``text`` fit in MAX_BYTES."""
    size = 0
    for index, char in enumerate(text):
        size += len(char.encode("utf-8"))
        if size > MAX_BYTES:
            return index
    return len(text)


def _flush(pieces: list[str], current: str) -> list[str]:
    return pieces + [current.strip()] if current.strip() else pieces
