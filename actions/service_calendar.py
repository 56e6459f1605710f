"""Working days for appointments, from the core's holiday calendar (调休 included).

The calendar is data of the core (backend_core/data/holidays.yml); this module is the
one place the actions read it, so that it can move behind the gateway unchanged.
"""

from __future__ import annotations

from datetime import date

from backend_core.workdays import load_calendar


def is_working_day(day: date) -> bool:
    return load_calendar().is_working_day(day)


def working_days_after(day: date, days: int) -> date:
    """The ``days``-th working day after ``day``."""
    return load_calendar().add_working_days(day, days)
