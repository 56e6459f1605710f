"""Pinyin-driven correction of domain words misheard by ASR or mistyped with an IME.

ASR and pinyin input methods replace a word by another with the same sound: 店费 for
电费, 户好 for 户号, 风谷电 for 峰谷电, and with southern accents 跳匝 for 跳闸. Instead
of a table of typos, a small list of domain words drives the correction: any span whose
pinyin (without tones, with the usual fuzzy pairs z/zh, c/ch, s/sh, n/l, an/ang, en/eng,
in/ing) equals a domain word's is replaced by it, when

* the span lines up with jieba's segmentation (店费用 is 店 + 费用, not 店费 + 用), and
* jieba does not know the span as a word of its own (保修, 超标, 店家 are what the
  customer meant), unless the domain-word list names that word as replaceable.

Replacements have the length of the span, so entity offsets stay valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jieba
from pypinyin import Style, lazy_pinyin

_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def fuzzy_syllable(syllable: str) -> str:
    """One spelling for syllables that accents and ASR confuse (zha ~ za, ling ~ nin)."""
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long):]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


@lru_cache(maxsize=8192)
def _reading(char: str) -> str:
    """The fuzzy common reading of a character; empty for non-Han characters.

    Only the common reading: rare readings of heteronyms make false matches (能 read
    tái turns 能去 into 台区).
    """
    if not "\u4e00" <= char <= "\u9fff":
        return ""
    return fuzzy_syllable(lazy_pinyin(char, style=Style.NORMAL)[0])


@dataclass(frozen=True)
class DomainWord:
    """A word to restore, its fuzzy pinyin, and real words that still mean it."""

    word: str
    syllables: tuple[str, ...]
    replaceable: frozenset[str]

    @classmethod
    def of(cls, word: str, replaceable: Iterable[str] = ()) -> DomainWord:
        syllables = tuple(fuzzy_syllable(s) for s in lazy_pinyin(word, style=Style.NORMAL))
        return cls(word, syllables, frozenset(replaceable))

    def sounds_like(self, span: str) -> bool:
        # not strict: pinyin need not give one syllable per character of a non-Chinese word
        return all(s == _reading(ch) for s, ch in zip(self.syllables, span, strict=False))


def read_domain_words(path: Path) -> list[DomainWord]:
    """The list file: one domain word per line, then the real words it may replace."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            words.append(DomainWord.of(fields[0], fields[1:]))
    return words


class HomophoneCorrector:
    """Replaces misheard spans of a text by the domain words they sound like."""

    def __init__(self, domain_words: Iterable[DomainWord]) -> None:
        # Longer words first: 一户多人口 before any two-character word inside it.
        self._words = sorted(domain_words, key=lambda w: -len(w.word))

    @staticmethod
    def _is_known_word(span: str) -> bool:
        jieba.dt.check_initialized()
        return jieba.dt.FREQ.get(span, 0) > 0

    def correct(self, text: str) -> str:
        tokens = list(jieba.tokenize(text))
        starts = {start for _, start, _ in tokens}
        ends = {end for _, _, end in tokens}
        chars = list(text)
        replaced = [False] * len(text)
        for domain_word in self._words:
            size = len(domain_word.word)
            for start in range(len(text) - size + 1):
                end = start + size
                if start not in starts or end not in ends or any(replaced[start:end]):
                    continue
                span = text[start:end]
                if span == domain_word.word or not domain_word.sounds_like(span):
                    continue
                if self._is_known_word(span) and span not in domain_word.replaceable:
                    continue
                chars[start:end] = domain_word.word
                replaced[start:end] = [True] * size
        return "".join(chars)
