"""Length-preserving character folds: full-width forms and digits spoken one by one.

Customers (and the ASR of the voice line) write account numbers, phone numbers and
meter numbers as 幺三三零零零幺二三四五 or in full-width digits. The NLU model and the
actions want ASCII digits, and entity offsets in the training data must stay valid, so
every function here maps one character to exactly one character.
"""

from __future__ import annotations

import re

# The one table of digits read out one by one: 幺 is how 一 is read in numbers, 〇 and
# ○ are written zeros, and radio/phone habits say 洞 (0), 拐 (7) and 勾 (9); the
# financial forms (壹, 贰…) appear when people copy numbers from forms.
SPOKEN_DIGITS = {
    "零": "0", "〇": "0", "○": "0", "洞": "0",
    "一": "1", "幺": "1", "壹": "1",
    "二": "2", "两": "2", "贰": "2",
    "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5",
    "六": "6", "陆": "6", "七": "7", "拐": "7", "柒": "7",
    "八": "8", "捌": "8", "九": "9", "勾": "9", "玖": "9",
}

# Digits spoken or typed one by one only make a number in runs: 一户多人口 or 两三天
# must stay words. A run may have single spaces or hyphens between groups of two or
# more digits (三三零零 零幺二 三四七), but a lone digit beside a number is a word
# (张三 13800138000, 一直). ASCII digits never join a run: in 3301100056789九月份 the
# 九 belongs to the month.
MIN_RUN_DIGITS = 4
_D = "".join(SPOKEN_DIGITS)
_RUN = re.compile(f"[{_D}]{{2,}}(?:[ \\-][{_D}]{{2,}})*")

_FULL_WIDTH_OFFSET = 0xFEE0  # U+FF01..U+FF5E are U+0021..U+007E shifted
_IDEOGRAPHIC_SPACE = "\u3000"


def fold_width(text: str) -> str:
    """Full-width ASCII forms (３３００, ＧＤ, ：) become their half-width characters."""
    return "".join(
        " " if ch == _IDEOGRAPHIC_SPACE
        else chr(ord(ch) - _FULL_WIDTH_OFFSET) if "\uff01" <= ch <= "\uff5e"
        else ch
        for ch in text
    )


def convert_spoken_digits(text: str) -> str:
    """Chinese digits in runs of at least four digits become ASCII digits."""

    def convert(match: re.Match[str]) -> str:
        run = match.group(0)
        if sum(ch in SPOKEN_DIGITS for ch in run) < MIN_RUN_DIGITS:
            return run
        return "".join(SPOKEN_DIGITS.get(ch, ch) for ch in run)

    return _RUN.sub(convert, text)
