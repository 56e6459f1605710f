"""Working days in mainland China, for work-order deadlines stated in working days.

A working day is Monday to Friday unless it is a public holiday, plus the
weekend days the State Council declares working days (调休上班). The dates come
from the ``chinese-calendar`` package (PyPI ``chinese-calendar``, maintained from
the State Council's yearly notices), so that a new year's notice arrives with a
pin upgrade instead of hand-typed data. For a year the package does not know yet,
``data/holidays.yml`` may list provisional dates (the statutory holidays without
their 调休 days); years neither knows fall back to plain Monday-to-Friday, and
:meth:`WorkCalendar.covers` lets callers detect both cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import chinese_calendar
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
        """Whether ``year``'s holidays are known (provisional years included: see ``provisional_years``)."""
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


def library_years(holidays: Mapping[date, Any] | None = None) -> frozenset[int]:
    """The years ``chinese-calendar`` has data for (it refuses dates outside its first..last year)."""
    known = chinese_calendar.holidays if holidays is None else holidays
    return frozenset(range(min(known).year, max(known).year + 1)) if known else frozenset()


def parse_calendar(
    raw: dict,
    library_holidays: Mapping[date, Any] | None = None,
    library_workdays: Mapping[date, Any] | None = None,
) -> WorkCalendar:
    """The package's years, plus the years of ``raw`` (holidays.yml's form) that the package lacks.

    Where both know a year, the package wins: its data follows the published notice,
    the file's entry was written before it.
    """
    lib_holidays = chinese_calendar.holidays if library_holidays is None else library_holidays
    lib_workdays = chinese_calendar.workdays if library_workdays is None else library_workdays
    covered = library_years(lib_holidays)
    holidays: set[date] = set(lib_holidays)
    weekends: set[date] = {d for d in lib_workdays if d.weekday() >= 5}
    years, provisional = set(covered), set()
    for year, spec in (raw.get("years") or {}).items():
        year = int(year)
        if year in covered:
            continue
        for item in spec.get("holidays", []):
            holidays.update(_expand(item["first"], item["last"]))
        weekends.update(spec.get("working_weekends", []))
        years.add(year)
        if spec.get("provisional"):
            provisional.add(year)
    return WorkCalendar(frozenset(holidays), frozenset(weekends), frozenset(years), frozenset(provisional))


@lru_cache(maxsize=2)
def load_calendar(path: Path = HOLIDAY_FILE) -> WorkCalendar:
    with open(path, encoding="utf-8") as fh:
        return parse_calendar(yaml.safe_load(fh) or {})
