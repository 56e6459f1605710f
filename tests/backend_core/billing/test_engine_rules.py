"""Tariff rules the worked cases do not reach: critical peak, power-factor bands, intervals, minimum fee."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from backend_core.billing.engine import BillingEngine, Interval
from backend_core.billing.periods import Period
from backend_core.billing.quote import quote
from backend_core.errors import InvalidInput


@pytest.mark.parametrize(
    ("pf", "pct"),
    [("1.00", "-0.75"), ("0.95", "-0.75"), ("0.94", "-0.60"), ("0.90", "0"), ("0.89", "0.5"),
     ("0.80", "5.0"), ("0.70", "10.0"), ("0.69", "11"), ("0.65", "15"), ("0.64", "17"), ("0.60", "25")],
)
def test_power_factor_adjustment_bands(engine: BillingEngine, pf: str, pct: str) -> None:
    assert engine.tariffs.two_part.power_factor.adjustment_pct(Decimal(pf)) == Decimal(pct)


def test_low_power_factor_adds_a_surcharge(engine: BillingEngine) -> None:
    bill = engine.large_industrial(Period(2026, 4), {"peak": Decimal(1000), "flat": Decimal(0), "valley": Decimal(0)},
                                   Decimal(100), Decimal(1000))
    assert bill.power_factor == Decimal("0.71")
    assert bill.pf_adjust_pct == Decimal("9.5")
    base = Decimal("3800.00") + Decimal("986.00")
    assert bill.lines[-1].amount == (base * Decimal("0.095")).quantize(Decimal("0.01"))


def test_critical_peak_outside_july_and_august_is_refused(engine: BillingEngine) -> None:
    with pytest.raises(InvalidInput, match="critical peak"):
        engine.commercial(Period(2026, 5), {"critical_peak": Decimal(10), "peak": Decimal(5)})


def test_quarter_hour_intervals_bucket_by_start_time(engine: BillingEngine) -> None:
    start = datetime(2026, 8, 3, 18, 45)
    intervals = [Interval(start + timedelta(minutes=15 * i), Decimal("1.5")) for i in range(10)]
    buckets = engine.bucket_intervals(engine.tariffs.commercial, Period(2026, 8), intervals)
    # 18:45 is peak; 19:00..20:45 are critical peak; 21:00 is peak again
    assert buckets["peak"] == Decimal("3.0") and buckets["critical_peak"] == Decimal("12.0")


def test_interval_outside_the_period_is_refused() -> None:
    case = {"tariff": "commercial_single_part", "period": "2026-07",
            "intervals": [{"start": "2026-08-01T00:00", "kwh": 1}]}
    with pytest.raises(InvalidInput) as err:
        quote(case)
    assert err.value.code == "interval_outside_period"


def test_residential_tou_from_intervals_matches_given_split() -> None:
    intervals = [{"start": f"2026-09-01T{h:02d}:00", "kwh": 2 if 8 <= h < 22 else 1} for h in range(24)]
    from_intervals = quote({"tariff": "residential_tiered", "period": "2026-09", "intervals": intervals,
                            "time_of_use": True, "prior_kwh_this_year": 100})
    given = quote({"tariff": "residential_tiered", "period": "2026-09", "kwh": 38, "prior_kwh_this_year": 100,
                   "time_of_use": {"peak_kwh": 28, "valley_kwh": 10}})
    assert from_intervals["total"] == given["total"] == "18.78"


def test_small_late_fee_is_raised_to_one_yuan(engine: BillingEngine) -> None:
    fee = engine.late_fee(True, Period(2026, 8), Decimal("80"), date(2026, 9, 23))
    assert fee.days_overdue == 3 and fee.amount == Decimal("1.00")


def test_non_residential_fee_inside_the_issue_year_uses_current_year_rate(engine: BillingEngine) -> None:
    fee = engine.late_fee(False, Period(2026, 3), Decimal("10000"), date(2026, 4, 30))
    assert [s.daily_rate for s in fee.segments] == [Decimal("0.002")]
    assert fee.amount == Decimal("200.00")


def test_large_household_needs_enough_persons() -> None:
    with pytest.raises(InvalidInput) as err:
        quote({"tariff": "residential_tiered", "period": "2026-05", "kwh": 100, "persons": 3,
               "large_household_approved": True})
    assert err.value.code == "large_household_persons"
