"""Numbers a caller keys in or says: account numbers, the last 4 digits of a phone, a
phone number.

On the phone a number comes as DTMF (``3300012345`` before ``#``) or as ASR text: in
digits (``3300 0123 45``), in Chinese digits read one by one (幺三三零…, with 幺 for 1
and 两 for 2: the shared table in textnorm.digits), or as an amount (三千三百零一 is
3301, which cn2an reads). The caller hears the number back digit by digit before the
bot gets it, because a misheard digit sends an identity check the wrong way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from textnorm.digits import convert_spoken_digits, fold_width


@dataclass(frozen=True)
class NumberKind:
    """A number the bot asks for, how it asks, and how many digits it has."""

    name: str  # carried in the gather's hook URL
    label: str  # what the caller hears: 户号
    lengths: tuple[int, ...]
    asked: re.Pattern[str]  # the bot's question for it

    @property
    def length_words(self) -> str:
        return "或".join(f"{n}位" for n in self.lengths)


ACCOUNT = NumberKind("account", "户号", (10, 13), re.compile(r"(?:提供|输入|告诉我|说出|报一下)(?:您的|一下)?户号"))
LAST4 = NumberKind("last4", "手机号后4位", (4,), re.compile(r"后[4四]位"))
PHONE = NumberKind("phone", "手机号", (11,), re.compile(r"(?:留|告诉我|提供|输入)[^。？！]{0,10}(?:手机号|电话号码)"))
# In this order: the bot's first identity question names the account and the last 4
# digits, and it wants the account first.
KINDS = {kind.name: kind for kind in (ACCOUNT, LAST4, PHONE)}

_CN_NUMBER = re.compile("[零〇一幺二两三四五六七八九十百千万]+")
_UNITS = re.compile("[十百千万]")
# Digit groups the ASR split with spaces or punctuation: 3300 0123 45, 3300，012345.
_GROUP = re.compile(r"\d+(?:[\s,，、\-]+\d+)*")
_DIGITS = re.compile(r"\d+")


def asked_for(text: str) -> NumberKind | None:
    """The number the bot's ``text`` asks for, if it asks for one."""
    return next((kind for kind in KINDS.values() if kind.asked.search(text)), None)


def keyed(digits: str) -> str:
    """The digits of DTMF input (``#`` and ``*`` are keys, not digits)."""
    return "".join(ch for ch in digits if ch.isdigit())


def spoken(text: str, kind: NumberKind) -> str:
    """The number in ASR ``text``: a run of ``kind``'s length if one was said, else the
    longest run heard ("" when the caller said no number at all)."""
    text = convert_spoken_digits(_CN_NUMBER.sub(_amount, fold_width(text)))
    merged = [re.sub(r"\D", "", group) for group in _GROUP.findall(text)]
    candidates = merged + _DIGITS.findall(text)  # 3300012345，8000 holds the account and the last 4
    fitting = [digits for digits in candidates if len(digits) in kind.lengths]
    return fitting[0] if fitting else max(candidates, key=len, default="")


def read_back(digits: str) -> str:
    """``3301`` as the caller should hear it: 3 3 0 1, one digit at a time."""
    return " ".join(digits)


def _amount(match: re.Match[str]) -> str:
    """三千三百零一 → 3301; digits read one by one (三三零一) are left to the digit table."""
    words = match.group(0)
    if not _UNITS.search(words):
        return words
    try:
        return str(cn2an.cn2an(words.replace("幺", "一"), "smart"))
    except ValueError:  # 千万 in 千万别挂: words, not a number
        return words
