"""What the caller said: one transcript out of the recognizer's n-best list, with the
line's own words put right.

A general-purpose recognizer hears 电费 as 点费 and 停电 as 停店: same sounds, more
common characters. Every alternative is corrected towards the line's vocabulary by
pinyin (pypinyin), then rescored: the recognizer's confidence plus a bonus for each
vocabulary word it holds, so that a close second naming 停电 wins over a first that
names nothing. The bot then reads words its NLU was trained on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

# The words callers of a power utility's line say most, which the recognizer gets as
# hints and the hearing corrects towards.
VOCABULARY = (
    "电费", "欠费", "余额", "停电", "户号", "报修", "缴费", "阶梯", "峰谷", "人工",
    "电价", "电表", "账单", "抢修", "跳闸", "电量", "预付费",
)
_BY_LENGTH = sorted(VOCABULARY, key=len, reverse=True)  # 预付费 before any two-character word
# Each vocabulary word is worth this much confidence (two words at most): enough for a
# close second to win, not enough to overturn a clear first.
WORD_BONUS = 0.15
MAX_BONUS_WORDS = 2
# A vendor that gives no confidence has no doubt to report.
UNKNOWN_CONFIDENCE = 1.0


@dataclass(frozen=True)
class Heard:
    text: str  # the chosen transcript, corrected
    confidence: float  # the recognizer's, for that transcript
    score: float  # confidence plus the vocabulary bonus: what decides whether we ask again


def choose(alternatives: Sequence[Any]) -> Heard | None:
    """The best reading of jambonz's ``speech.alternatives`` (None when there is none)."""
    heard: list[tuple[float, int, Heard]] = []
    for rank, alternative in enumerate(alternatives):
        if not isinstance(alternative, dict) or not isinstance(alternative.get("transcript"), str):
            continue
        transcript = alternative["transcript"].strip()
        if not transcript:
            continue
        confidence = alternative.get("confidence")
        if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
            confidence = UNKNOWN_CONFIDENCE
        text = correct(transcript)
        words = sum(word in text for word in VOCABULARY)
        score = float(confidence) + WORD_BONUS * min(words, MAX_BONUS_WORDS)
        heard.append((score, -rank, Heard(text, float(confidence), score)))
    return max(heard, key=lambda item: item[:2])[2] if heard else None


def correct(text: str) -> str:
    """``text`` with misheard vocabulary words put right (点费 → 电费, 区费 → 欠费).

    A stretch of the text becomes a vocabulary word when it sounds the same (pinyin
    without tones: 点费, 停店, 欠飞), or, for two characters, when it keeps one of the
    word's characters and the other starts with the same sound (区费 for 欠费) and is
    no word of its own: 通电 (power back on) must not become 停电.
    """
    sounds = _syllables(text, Style.NORMAL)
    starts = _syllables(text, Style.INITIALS)
    if len(sounds) != len(text) or len(starts) != len(text):
        return text  # pypinyin grouped some characters: leave the text as heard
    out: list[str] = []
    i = 0
    while i < len(text):
        word = next((w for w in _BY_LENGTH if _sounds_like(text, sounds, starts, i, w)), None)
        if word is None:
            out.append(text[i])
            i += 1
        else:
            out.append(word)
            i += len(word)
    return "".join(out)


def _sounds_like(text: str, sounds: list[str], starts: list[str], i: int, word: str) -> bool:
    heard = text[i:i + len(word)]
    if len(heard) < len(word):
        return False
    if heard == word or sounds[i:i + len(word)] == _word_sounds(word):
        return True
    if len(word) != 2 or _is_word(heard):
        return False
    word_starts = _word_starts(word)
    return any(
        heard[same] == word[same] and starts[i + other] and starts[i + other] == word_starts[other]
        for same, other in ((0, 1), (1, 0))
    )


def _syllables(text: str, style: Style) -> list[str]:
    # one item per character: characters without pinyin come back as themselves. pypinyin
    # takes a list from the errors callback (its documentation); its stub says str only.
    return lazy_pinyin(text, style=style, strict=False, errors=list)  # type: ignore[arg-type]


@cache
def _word_sounds(word: str) -> list[str]:
    return _syllables(word, Style.NORMAL)


@cache
def _word_starts(word: str) -> list[str]:
    return _syllables(word, Style.INITIALS)


def _is_word(chars: str) -> bool:
    """Whether ``chars`` is a Chinese word of its own (jieba's dictionary)."""
    return bool(_dictionary().get(chars))


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    # jieba's dictionary takes a second or so to load: once per process, on first need
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ
