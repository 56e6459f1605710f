"""Working days in mainland China, for work-order deadlines stated in working days.

A working day is Monday to Friday unless it is a public holiday, plus the
weekend days the State Council declares working days (调休上班). The dates are
data (``data/holidays.yml``); years the file does not list fall back to plain
Monday-to-Friday, which :meth:`WorkCalendar.covers` lets callers detect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

HOLIDAY_FILE = Path(__file__).resolve().parent / "data" / "holidays.yml"
END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date]
    working_weekends: frozenset[date]
    years: frozenset[int]
    provisional_years: frozenset[int]

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekends:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
        if days < 0:
            raise ValueError("days must be ≥ 0")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def deadline(self, created_at: datetime, working_days: int) -> datetime:
        """End of the ``working_days``-th working day after the day of ``created_at``."""
        return datetime.combine(self.add_working_days(created_at.date(), working_days), END_OF_DAY)

    def working_days_between(self, first: date, last: date) -> int:
        """Working days in (first, last]: how many of a deadline's days have been used."""
        return sum(self.is_working_day(first + timedelta(days=i)) for i in range(1, (last - first).days + 1))


def _expand(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def parse_calendar(raw: dict) -> WorkCalendar:
    holidays: set[date] = set()
    weekends: set[date] = set()
    provisional = set()
    for year, spec in raw["years"].items():
        for item in spec.get("holidays", []):
            holidays.update(_expand(item["first"], item["last"]))
        weekends.update(spec.get("working_weekends", []))
        if spec.get("provisional"):
            provisional.add(int(year))
    return WorkCalendar(frozenset(holidays), frozenset(weekends), frozenset(int(y) for y in raw["years"]), frozenset(provisional))


@lru_cache(maxsize=2)
def load_calendar(path: Path = HOLIDAY_FILE) -> WorkCalendar:
    with open(path, encoding="utf-8") as fh:
        return parse_calendar(yaml.safe_load(fh))
