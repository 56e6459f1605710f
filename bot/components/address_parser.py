"""Rule-based address spans with spaCy (Chinese, jieba segmenter) and an EntityRuler.

An address is a chain of parts with nothing but spaces between them, starting with a
place: 示例市 城东区 平阳路 12号 3单元 501, 青山镇 石桥村 4组 17号. The ruler labels
the parts:

* PLACE: a known place of the territory (from the lookup tables), or an unknown
  road/小区/村 name when a house or building number follows it (和平街16号);
* DETAIL: a number with its unit (12号, 6栋, 3单元, 2号楼, 4组);
* NUMBER: a bare number of up to four digits, kept only right after a number with
  its unit (the room in 6栋302).

Known names must be jieba words (bot/components/data/jieba/) so that the ruler's
tokens line up with the text.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import spacy
from spacy.language import Language
from spacy.tokens import Span

PLACE, DETAIL, NUMBER = "PLACE", "DETAIL", "NUMBER"
MAX_ROOM_DIGITS = 4  # 1102 is a room; 3300012345 after an address is an account

UNITS = ["号", "栋", "幢", "单元", "室", "组", "号楼", "楼", "层", "号院", "排"]
_HAN = "\u4e00-\u9fff"
# An unknown place name: a few characters and a place suffix, as one jieba token
# (和平街) or as name + suffix tokens (和平 + 街).
_PLACE_SUFFIXES = ["路", "街", "大街", "大道", "巷", "弄", "小区", "花园", "新村", "家园", "花苑", "苑", "村", "镇", "乡"]
_PLACE_WORD = f"^[{_HAN}]{{1,6}}({'|'.join(_PLACE_SUFFIXES)})$"
_NAME_WORD = f"^[{_HAN}]{{1,4}}$"
# Words before 小区/村 that say whose it is, not which: 我们小区5栋 is no address.
_NOT_NAMES = ["我们", "我家", "咱们", "咱", "你们", "他们", "这个", "那个", "这", "那", "隔壁", "附近", "整个", "本"]


def _number_with_unit() -> list[list[dict]]:
    return [
        [{"LIKE_NUM": True}, {"TEXT": {"IN": UNITS}}],
        [{"TEXT": {"REGEX": f"^\\d+({'|'.join(UNITS)})$"}}],
    ]


def _patterns(places: Iterable[str]) -> list[dict]:
    patterns: list[dict] = [{"label": PLACE, "pattern": name} for name in places]
    for detail in _number_with_unit():
        patterns.append({"label": DETAIL, "pattern": detail})
        patterns.append(
            {"label": PLACE, "pattern": [{"TEXT": {"REGEX": _PLACE_WORD, "NOT_IN": _NOT_NAMES}}, *detail]}
        )
        patterns.append(
            {
                "label": PLACE,
                "pattern": [
                    {"TEXT": {"REGEX": _NAME_WORD, "NOT_IN": _NOT_NAMES}},
                    {"TEXT": {"IN": _PLACE_SUFFIXES}},
                    *detail,
                ],
            }
        )
    patterns.append({"label": NUMBER, "pattern": [{"IS_DIGIT": True}]})
    return patterns


def _ends_with_unit(part: Span) -> bool:
    return part[-1].text.endswith(tuple(UNITS))


def build_pipeline(places: Iterable[str]) -> Language:
    """A blank Chinese spaCy pipeline (jieba segmenter) with the address ruler."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(_patterns(sorted(set(places))))
    return nlp


class AddressParser:
    """Finds address spans (character offsets) in a text."""

    def __init__(self, places_by_kind: Mapping[str, Iterable[str]]) -> None:
        self._nlp = build_pipeline(name for names in places_by_kind.values() for name in names)

    def find(self, text: str) -> list[tuple[int, int]]:
        doc = self._nlp(text)
        spans: list[tuple[int, int]] = []
        chain: list = []  # the parts of the address being read

        def close() -> None:
            if chain:
                spans.append((chain[0].start_char, chain[-1].end_char))
                chain.clear()

        for part in doc.ents:
            gap = text[chain[-1].end_char : part.start_char] if chain else None
            if (gap is not None and not gap.strip() and part.label_ in (PLACE, DETAIL)) or (
                gap == "" and part.label_ == NUMBER and _ends_with_unit(chain[-1])
                and len(part.text) <= MAX_ROOM_DIGITS
            ):
                chain.append(part)
                continue
            close()
            if part.label_ == PLACE:
                chain.append(part)
        close()
        return spans
