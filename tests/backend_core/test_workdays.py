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


# -- the calendar comes from chinese-calendar; holidays.yml only fills years it lacks ----------


def test_2026_holidays_and_adjusted_weekends_come_from_the_library() -> None:
    import chinese_calendar

    assert not CAL.is_working_day(date(2026, 2, 17))  # Tuesday, 春节
    assert not CAL.is_working_day(date(2026, 5, 5))  # Tuesday, 劳动节
    assert not CAL.is_working_day(date(2026, 1, 2))  # Friday, 元旦
    assert CAL.is_working_day(date(2026, 1, 4))  # Sunday worked after 元旦 (调休)
    assert CAL.is_working_day(date(2026, 2, 28))  # Saturday worked after 春节 (调休)
    assert CAL.is_working_day(date(2026, 9, 20))  # Sunday worked before 中秋/国庆 (调休)
    for day in (date(2026, 2, 17), date(2026, 1, 4), date(2026, 2, 28), date(2026, 11, 20), date(2026, 11, 21)):
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day


def test_every_year_the_library_knows_is_covered_and_final() -> None:
    from backend_core.workdays import library_years

    known = library_years()
    assert {2024, 2025, 2026} <= known
    assert all(CAL.covers(year) for year in known) and not known & CAL.provisional_years
    assert CAL.is_working_day(date(2024, 2, 4))  # a 2024 调休 Sunday, never in our own file


def test_fallback_file_lists_only_years_the_library_lacks() -> None:
    """A reminder: when a chinese-calendar release covers a provisional year, drop it from holidays.yml."""
    import yaml

    from backend_core.workdays import HOLIDAY_FILE, library_years

    listed = {int(y) for y in yaml.safe_load(HOLIDAY_FILE.read_text(encoding="utf-8"))["years"]}
    assert not listed & library_years(), "holidays.yml repeats years chinese-calendar now covers: delete them"
    assert CAL.is_working_day(date(2027, 2, 4)) and not CAL.is_working_day(date(2027, 2, 5))  # 春节 2027 (provisional)


def test_the_library_wins_over_the_file_where_both_know_a_year() -> None:
    from backend_core.workdays import parse_calendar

    library = {date(2030, 1, 1): "New Year's Day"}
    raw = {"years": {2030: {"holidays": [{"first": date(2030, 1, 2), "last": date(2030, 1, 2)}]},
                     2031: {"provisional": True, "holidays": [{"first": date(2031, 1, 1), "last": date(2031, 1, 1)}]}}}
    cal = parse_calendar(raw, library_holidays=library, library_workdays={date(2030, 1, 5): "New Year's Day"})
    assert not cal.is_working_day(date(2030, 1, 1)) and cal.is_working_day(date(2030, 1, 2))
    assert cal.is_working_day(date(2030, 1, 5))  # Saturday worked
    assert cal.years == {2030, 2031} and cal.provisional_years == {2031}
    assert not cal.is_working_day(date(2031, 1, 1))
