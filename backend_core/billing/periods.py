"""Billing periods (YYYY-MM) and the dates that hang off them.

A month's bill is issued on ``bill_issue_day`` of the next month and due on
``due_day`` of that month (tariffs.yml, late_payment); every part of the core
asks this module rather than doing its own date arithmetic.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from backend_core.errors import InvalidInput

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")
MIN_YEAR, MAX_YEAR = 2000, 2099


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: object) -> Period:
        """Parse ``YYYY-MM``; anything else is refused with code ``bad_period``."""
        if isinstance(text, str):
            return _parse_text(text)
        raise InvalidInput("bad_period", f"period must be YYYY-MM, got {text!r}")

    @classmethod
    def _parse(cls, text: str) -> Period:
        match = _PERIOD_RE.match(text)
        if not match:
            raise InvalidInput("bad_period", f"period must be YYYY-MM, got {text!r}")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise InvalidInput("bad_period", f"month must be 01..12, got {text!r}")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidInput("bad_period", f"year must be {MIN_YEAR}..{MAX_YEAR}, got {text!r}")
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def shift(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def issue_date(self, issue_day: int) -> date:
        following = self.next()
        return date(following.year, following.month, issue_day)

    def due_date(self, due_day: int) -> date:
        following = self.next()
        return date(following.year, following.month, due_day)


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Period:
    """Bill runs parse the same few periods a million times: parse each once."""
    return Period._parse(text)
