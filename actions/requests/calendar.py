"""Working days for appointments, from the territory's calendar (public holidays and
调休 working weekends included), which the gateway contract supplies."""

from __future__ import annotations

from datetime import date

from backend_core.gateway import work_calendar


def is_working_day(day: date) -> bool:
    return work_calendar().is_working_day(day)


def working_days_after(day: date, days: int) -> date:
    """The ``days``-th working day after ``day``."""
    return work_calendar().add_working_days(day, days)
