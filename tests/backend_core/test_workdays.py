"""Working-day deadlines across Chinese public holidays and 调休 working weekends."""

from __future__ import annotations

from datetime import date, datetime

from backend_core.workdays import load_calendar

CAL = load_calendar()


def test_adjusted_weekend_is_a_working_day_and_holiday_weekday_is_not() -> None:
    assert CAL.is_working_day(date(2026, 10, 10))  # Saturday worked after National Day
    assert not CAL.is_working_day(date(2026, 10, 7))  # Wednesday inside the holiday
    assert not CAL.is_working_day(date(2026, 11, 21))  # ordinary Saturday


def test_five_working_days_across_national_day() -> None:
    deadline = CAL.deadline(datetime(2026, 9, 30, 15, 20), 5)
    assert deadline == datetime(2026, 10, 13, 23, 59, 59)


def test_four_working_days_across_spring_festival() -> None:
    # Friday 13 Feb 2026; 14 Feb (Sat) is worked, 15-23 Feb are the holiday.
    assert CAL.add_working_days(date(2026, 2, 13), 4) == date(2026, 2, 26)


def test_years_without_a_notice_are_marked() -> None:
    assert CAL.covers(2026) and 2027 in CAL.provisional_years and not CAL.covers(2030)
