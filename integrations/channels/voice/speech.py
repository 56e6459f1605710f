"""What the caller hears: any message made speakable, and cut to what the ear holds.

The shared rules (textnorm.voice: no emoji, markdown or URLs, long numbers digit by
digit, buttons as spoken choices) apply to every message the line speaks, the hub's own
ones too (queue positions, the call-back offer, agent text). On top, the line reads
figures as a person would say them: ¥12.50 as 12元5角, 2026-11-25 as 2026年11月25日,
08:30 as 8点30分, 123.4 kWh as 123.4度, 95598 digit by digit; a text-to-speech engine
reads "12.50" as "十二点五零", "2026-11-25" as a subtraction and 95598 as a quantity. Tables become one sentence per row.

A listener keeps about two sentences; a longer answer is read in pieces, each ending
with the offer to go on (calls.py keeps the place in the next hook's URL).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textnorm.voice import Button, for_voice

# The utility's hotline is said digit by digit (九五五九八), never as a quantity.
HOTLINE = "9 5 5 9 8"
EAR_SENTENCES = 2
EAR_CHARS = 80  # about 20 seconds of Mandarin text-to-speech
MORE = "需要继续听请说“继续”，或按星号键。"

_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}.*$", re.MULTILINE)
_TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.MULTILINE)
_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_MONTH = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})(?![\d-])")
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])")
_TIME_RANGE = re.compile(r"([点分])\s*[-~～至]\s*(?=\d)")
_YUAN_SIGN = re.compile(r"[¥￥]\s*(\d+)(?:\.(\d{1,2}))?(?:\s*元)?")
# 152.88元, but not a price per kWh (0.588元/度 keeps its decimals, as said at the counter)
_YUAN = re.compile(r"(?<![\d.])(\d+)\.(\d{1,2})\s*元(?![/每])")
_HOTLINE = re.compile(r"(?<![\d.])95598(?![\d.])")
_KWH = re.compile(r"(\d+(?:\.\d+)?)\s*(?:kWh|kwh|KWh|KWH|千瓦时)")
_SENTENCE_END = re.compile(r"[。！？；!?;]+")


def speakable(text: str, buttons: Sequence[Button] = ()) -> str:
    """``text`` as the caller should hear it."""
    text = _TABLE_RULE.sub("", text)
    text = _TABLE_ROW.sub(lambda m: "，".join(c.strip() for c in m.group(1).split("|") if c.strip()), text)
    text = _DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)
    text = _MONTH.sub(lambda m: f"{m[1]}年{int(m[2])}月", text)
    text = _TIME.sub(lambda m: f"{int(m[1])}点" + (f"{int(m[2])}分" if int(m[2]) else ""), text)
    text = _TIME_RANGE.sub(r"\1到", text)
    text = _YUAN_SIGN.sub(lambda m: yuan(m[1], m[2]), text)
    text = _YUAN.sub(lambda m: yuan(m[1], m[2]), text)
    text = _KWH.sub(r"\1度", text)
    text = _HOTLINE.sub(HOTLINE, text)
    return for_voice(text, buttons)


def yuan(whole: str, cents: str | None) -> str:
    """An amount in the words of money: 12.50 → 12元5角, 12.05 → 12元零5分, 0.8 → 8角."""
    units = int(whole)
    jiao, fen = (int(d) for d in (cents or "").ljust(2, "0"))
    words = f"{units}元" if units or not (jiao or fen) else ""
    if jiao:
        words += f"{jiao}角"
    elif fen and units:
        words += "零"
    return words + (f"{fen}分" if fen else "")


def keys_for(buttons: Sequence[Button]) -> str:
    """The keys that stand for the choices, after their spoken list: 需要按1，不用了按2."""
    return "也可以按键：" + "，".join(f"{title}按{i}" for i, (title, _) in enumerate(buttons, start=1)) + "。"


def piece_end(text: str, start: int = 0) -> int:
    """Where the piece of ``text`` read from ``start`` ends: at most two sentences and
    about 80 characters (the first sentence whole, however long). A rest shorter than
    the offer to go on is read at once."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start)]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    end = ends[0]
    for count, candidate in enumerate(ends[1:], start=2):
        if count > EAR_SENTENCES or candidate - start > EAR_CHARS:
            break
        end = candidate
    return len(text) if len(text) - end <= len(MORE) else end
