"""Digits as customers type or say them: 幺三八, full-width ３３００, "3300 0123 45".

Account numbers and phone digits reach the bot in many shapes (typed, read out to the
IVR's speech recogniser, pasted from a bill). These helpers turn them into plain ASCII
digit strings so the identity check sees what the customer meant. The table of spoken
digits is the one the NLU pipeline uses (:mod:`textnorm.digits`).
"""

from __future__ import annotations

import re
import unicodedata

from textnorm.digits import convert_spoken_digits

_SEPARATED_RUN = re.compile(r"\d(?:[ \-—_.·]?\d)+")
MOBILE = re.compile(r"1[3-9]\d{9}")
ACCOUNT_LENGTHS = (10, 13)  # 户号: the old 10 digits, or a 3-digit provincial prefix + those 10
# How people point at the last digits of the registered phone, before the digits.
_LAST4_MARK = re.compile(
    r"(?:尾号|尾数|后四位|后4位|末四位|末4位|最后四位|最后4位|后面四位|后面4位|后四个|后4个|手机后|号码后)"
    r"[^\d]{0,6}?(\d{4})(?!\d)"
)


def normalize_digits(text: str) -> str:
    """ASCII digits for full-width digits and for runs of four or more spoken digits.

    Short runs stay as they are, so that 四位 ("four digits") or 十月 keep their meaning.
    """
    return convert_spoken_digits(unicodedata.normalize("NFKC", text or ""))


def digit_runs(text: str) -> list[str]:
    """Maximal runs of digits, first as written, then with spaces/dashes inside removed."""
    plain = re.findall(r"\d+", text)
    joined = [re.sub(r"\D", "", m.group()) for m in _SEPARATED_RUN.finditer(text)]
    return plain + [run for run in joined if run not in plain]


def _account_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of every 10- or 13-digit number, written whole or in groups."""
    spans = []
    for match in _SEPARATED_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) in ACCOUNT_LENGTHS:
            spans.append((match.start(), match.end(), digits))
    for match in re.finditer(r"\d+", text):
        if len(match.group()) in ACCOUNT_LENGTHS and not any(s <= match.start() < e for s, e, _ in spans):
            spans.append((match.start(), match.end(), match.group()))
    return sorted(spans)


def find_account_no(text: str) -> str | None:
    """A 10- or 13-digit account number (户号) in ``text``, or None.

    Any prefix counts: a real utility has many. An 11-digit mobile, an 18-digit ID or a
    16-19-digit bank card is never mistaken for one, spaced or not.
    """
    spans = _account_spans(normalize_digits(text))
    return spans[0][2] if spans else None


def find_mobile(text: str) -> str | None:
    """An 11-digit mainland mobile number in ``text``, or None."""
    for run in digit_runs(normalize_digits(text)):
        if len(run) == 11 and MOBILE.fullmatch(run):
            return run
    return None


def find_last4(text: str, asked: bool = False) -> str | None:
    """The last four digits of the registered mobile in ``text``, or None.

    Named as such (尾号8000, 后四位8000) they count in any message. A bare group of four
    digits counts when the bot asked for them, or beside an account number in the same
    message (3300012345 8000). Several groups of four ("3300 0123 45") are an account
    number typed in pieces, not a phone's tail. A whole mobile number gives its last four
    only when they were asked for: in a message that also gives an account it is more
    likely a contact number.
    """
    digits = normalize_digits(text)
    marked = _LAST4_MARK.search(digits)
    if marked:
        return marked.group(1)
    spans = _account_spans(digits)
    rest = digits
    for start, end, _ in reversed(spans):
        rest = rest[:start] + " " + rest[end:]
    groups = [run for run in re.findall(r"\d+", rest) if len(run) == 4]
    if len(groups) == 1 and (asked or spans):
        return groups[0]
    mobile = find_mobile(rest) if asked else None
    return mobile[-4:] if mobile else None
