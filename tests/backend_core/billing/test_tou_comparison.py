"""TOU advice figures are two real engine bills: night-heavy homes save, evening-heavy ones do not."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from backend_core.billing.engine import BillingEngine, Interval
from backend_core.billing.periods import Period
from backend_core.billing.tou import MonthIntervals, compare_tou


def month(period: Period, prior: str, day_profile: list[str]) -> MonthIntervals:
    start = datetime(period.year, period.month, 1)
    intervals = [
        Interval(start + timedelta(days=d, hours=h), Decimal(day_profile[h]))
        for d in range(period.days)
        for h in range(24)
    ]
    return MonthIntervals(period, Decimal(prior), intervals)


NIGHT_HEAVY = ["1.2"] * 8 + ["0.2"] * 14 + ["1.2"] * 2  # storage heater, EV charging at night
EVENING_HEAVY = ["0.05"] * 8 + ["0.3"] * 10 + ["0.9"] * 4 + ["0.05"] * 2  # out all day, cooking and TV at night


def test_night_heavy_home_would_save_on_tou(engine: BillingEngine) -> None:
    result = compare_tou(engine, [month(Period(2026, 9), "2000", NIGHT_HEAVY), month(Period(2026, 10), "2500", NIGHT_HEAVY)])
    assert result.saving > 0
    assert result.valley_share_pct > 70
    flat = engine.residential(Period(2026, 9), result.months[0].kwh, Decimal(2000)).total
    assert result.months[0].flat_total == flat


def test_evening_heavy_home_would_pay_more_on_tou(engine: BillingEngine) -> None:
    result = compare_tou(engine, [month(Period(2026, 7), "1500", EVENING_HEAVY)])
    assert result.saving < 0
    assert result.flat_total - result.tou_total == result.saving
