"""Billing periods as customers say them (上个月, 10月份, 2026年9月, 九月, 今年) -> YYYY-MM.

Everything is relative to ``today``: a month named without a year is the most recent
such month that has begun (in November, 十二月 means last December).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

import cn2an

_CN_NUM = "零〇一二两三四五六七八九十"
_YEAR_DIGITS = str.maketrans("零〇一二三四五六七八九", "00123456789")
_NUM = rf"(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})"

_ABSOLUTE = re.compile(rf"(\d{{4}}|\d{{2}}|[{_CN_NUM}]{{4}})\s*年\s*({_NUM})\s*月")
_ISO = re.compile(r"(20\d{2})\s*[-/.]\s*(\d{1,2})(?!\d)")
_RELATIVE_YEAR_MONTH = re.compile(rf"(今年|去年|前年|明年)\s*({_NUM})\s*月")
_MONTH = re.compile(rf"({_NUM})\s*月")
_RECENT = re.compile(rf"(?:最近|近|过去)\s*({_NUM})\s*个\s*月")
_MONTHS_AGO = {"上上个月": 2, "上上月": 2, "上个月": 1, "上一个月": 1, "上月": 1, "前一个月": 1}
_THIS_MONTH = ("这个月", "这月", "本月", "当月", "今个月")
_DAYS_AGO = {"大前天": 3, "前天": 2, "昨天": 1, "昨日": 1, "今天": 0, "今日": 0}
_YEAR_OFFSET = {"今年": 0, "去年": -1, "前年": -2, "明年": 1}


@dataclass(frozen=True)
class MonthSpan:
    """An inclusive range of billing months, YYYY-MM each."""

    first: str
    last: str

    @property
    def single(self) -> bool:
        return self.first == self.last

    def months(self) -> list[str]:
        """Every YYYY-MM from first to last."""
        year, month = map(int, self.first.split("-"))
        out = []
        while f"{year:04d}-{month:02d}" <= self.last:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift(period: str, months: int) -> str:
    """YYYY-MM moved by ``months`` (negative: back)."""
    year, month = map(int, period.split("-"))
    index = year * 12 + (month - 1) + months
    return _ym(index // 12, index % 12 + 1)


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    try:
        return int(cn2an.cn2an(token.replace("两", "二"), "smart"))
    except (ValueError, KeyError):
        return None


def _year(token: str, today: date) -> int | None:
    if token.isdigit():
        value = int(token)
    else:
        digits = token.translate(_YEAR_DIGITS)
        if not digits.isdigit():
            return None
        value = int(digits)
    if value < 100:
        value += 2000
    return value if 2000 <= value <= today.year + 1 else None


def _month(token: str) -> int | None:
    value = _number(token)
    return value if value is not None and 1 <= value <= 12 else None


# 「那前一个月的呢」 after October's bill means September: relative to the month just shown.
_BEFORE_SHOWN = re.compile(r"前一个月|上一个月|再往前|再前一个月|再上一个月|前一期|上一期|之前那个月|前面那个月|前面一个月")
_AFTER_SHOWN = re.compile(r"后一个月|下一个月|后一期|下一期")


def parse_period(text: str | None, today: date, shown: str | None = None) -> MonthSpan | None:
    """The months ``text`` refers to, or None when it names no period.

    ``shown`` (YYYY-MM) is the month the previous answer was about: 「前一个月」 and
    「下一个月」 count from it.
    """
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    current = _ym(today.year, today.month)
    if shown:
        for cue, step in ((_BEFORE_SHOWN, -1), (_AFTER_SHOWN, 1)):
            if cue.search(text):
                period = shift(shown, step)
                return MonthSpan(period, period)

    match = _ABSOLUTE.search(text)
    if match:
        year, month = _year(match.group(1), today), _month(match.group(2))
        if year and month:
            return MonthSpan(_ym(year, month), _ym(year, month))
    match = _ISO.search(text)
    if match and 1 <= int(match.group(2)) <= 12:
        period = _ym(int(match.group(1)), int(match.group(2)))
        return MonthSpan(period, period)
    match = _RELATIVE_YEAR_MONTH.search(text)
    if match:
        month = _month(match.group(2))
        if month:
            period = _ym(today.year + _YEAR_OFFSET[match.group(1)], month)
            return MonthSpan(period, period)
    for phrase, back in _MONTHS_AGO.items():
        if phrase in text:
            period = shift(current, -back)
            return MonthSpan(period, period)
    if any(phrase in text for phrase in _THIS_MONTH):
        period = shift(current, -12) if "去年" in text else current
        return MonthSpan(period, period)
    if "下个月" in text or "下月" in text:
        period = shift(current, 1)
        return MonthSpan(period, period)
    match = _RECENT.search(text)
    if match:
        count = _number(match.group(1))
        if count and 1 <= count <= 24:
            return MonthSpan(shift(current, -count), shift(current, -1))
    match = _MONTH.search(text)
    if match:
        month = _month(match.group(1))
        if month:
            year = today.year if month <= today.month else today.year - 1
            return MonthSpan(_ym(year, month), _ym(year, month))
    for phrase, offset in _YEAR_OFFSET.items():
        if phrase in text:
            year = today.year + offset
            last = current if offset == 0 else _ym(year, 12)
            return MonthSpan(_ym(year, 1), last)
    for phrase, back in _DAYS_AGO.items():
        if phrase in text:
            day = today - timedelta(days=back)
            return MonthSpan(_ym(day.year, day.month), _ym(day.year, day.month))
    return None
