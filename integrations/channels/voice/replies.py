"""Short answers to the line's own questions: is the number right, go on reading, which
of the offered choices.

These never reach the bot as they were said: a confirmed number goes to the bot as its
digits, a choice as the payload of the button it stands for (what a click sends on the
web), and "继续" only moves the reading on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_PUNCTUATION = re.compile(r"[\s，。！？、,.!?~～…]+")
_SURELY_YES = re.compile("没错|没问题")
_NO = re.compile("不|错|重新|重输|否")
_YES = re.compile("对|是|正确|确认|嗯|好|可以|行")
_KEY_WORDS = {"1": "1一幺", "2": "2二两"}
_GO_ON = re.compile("^(?:请)?(?:继续|接着)(?:听|说|讲|念|读)?(?:吧|啊|呀)?$")


def _bare(text: str) -> str:
    return _PUNCTUATION.sub("", text)


def yes_or_no(text: str) -> bool | None:
    """True for 对/是的/正确/1, False for 不对/错了/重新输入/2, None for anything else."""
    bare = _bare(text)
    if bare and all(ch in _KEY_WORDS["1"] for ch in bare):
        return True
    if bare and all(ch in _KEY_WORDS["2"] for ch in bare):
        return False
    if _SURELY_YES.search(bare):
        return True
    if _NO.search(bare):
        return False
    return True if _YES.search(bare) else None


def go_on(text: str) -> bool:
    """Whether the caller asks to hear the rest (继续, 接着说)."""
    return bool(_GO_ON.match(_bare(text)))


def picked(text: str, titles: Sequence[str]) -> int | None:
    """The index of the offered choice the caller named, word for word (需要, 不用了).

    Only the whole title counts: 不需要 holds 需要 and means the opposite, so anything
    else goes to the bot as said, whose NLU reads it.
    """
    bare = _bare(text)
    return next((i for i, title in enumerate(titles) if _bare(title) == bare), None)
