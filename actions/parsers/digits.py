"""Digits as customers type or say them: 幺三八, full-width ３３００, "3300 0123 45".

Account numbers and phone digits reach the bot in many shapes (typed, read out to the
IVR's speech recogniser, pasted from a bill). These helpers turn them into plain ASCII
digit strings so the identity check sees what the customer meant.
"""

from __future__ import annotations

import re
import unicodedata

# Digit-by-digit readings, including the radio/phone habits 幺 (1), 两 (2), 洞 (0), 拐 (7), 勾 (9).
_SPOKEN = {
    "零": "0", "〇": "0", "○": "0", "洞": "0",
    "一": "1", "幺": "1", "壹": "1",
    "二": "2", "两": "2", "贰": "2",
    "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5",
    "六": "6", "陆": "6", "七": "7", "拐": "7", "柒": "7",
    "八": "8", "捌": "8", "九": "9", "勾": "9", "玖": "9",
}
_SPOKEN_RUN = re.compile("[0-9%s]{4,}" % "".join(_SPOKEN))
_SEPARATED_RUN = re.compile(r"\d(?:[ \-—_.·]?\d)+")
MOBILE = re.compile(r"1[3-9]\d{9}")


def normalize_digits(text: str) -> str:
    """ASCII digits for full-width digits and for runs of four or more spoken digits.

    Short runs stay as they are, so that 四位 ("four digits") or 十月 keep their meaning.
    """
    text = unicodedata.normalize("NFKC", text or "")
    return _SPOKEN_RUN.sub(lambda m: "".join(_SPOKEN.get(c, c) for c in m.group()), text)


def digit_runs(text: str) -> list[str]:
    """Maximal runs of digits, first as written, then with spaces/dashes inside removed."""
    plain = re.findall(r"\d+", text)
    joined = [re.sub(r"\D", "", m.group()) for m in _SEPARATED_RUN.finditer(text)]
    return plain + [run for run in joined if run not in plain]


def find_account_no(text: str) -> str | None:
    """A 10- or 13-digit account number (户号) in ``text``, or None."""
    for run in digit_runs(normalize_digits(text)):
        if len(run) in (10, 13):
            return run
    return None


def find_mobile(text: str) -> str | None:
    """An 11-digit mainland mobile number in ``text``, or None."""
    for run in digit_runs(normalize_digits(text)):
        if len(run) == 11 and MOBILE.fullmatch(run):
            return run
    return None


def find_last4(text: str) -> str | None:
    """The last four digits of a mobile: one group of four digits, or the end of a full number.

    Several groups of four ("3300 0123 45") are an account number typed in pieces, not
    the last four digits of a phone, so they give None.
    """
    groups = [run for run in re.findall(r"\d+", normalize_digits(text)) if len(run) == 4]
    if len(groups) == 1:
        return groups[0]
    mobile = find_mobile(text)
    return mobile[-4:] if mobile else None
