"""Properties the engine must keep for any input, not just the worked cases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend_core.billing.engine import BillingEngine
from backend_core.billing.periods import Period
from backend_core.errors import InvalidInput

ENGINE = BillingEngine()
kwh = st.decimals(min_value=0, max_value=3000, places=1, allow_nan=False, allow_infinity=False)
prior = st.decimals(min_value=0, max_value=8000, places=1, allow_nan=False, allow_infinity=False)
periods = st.builds(Period, st.integers(2025, 2027), st.integers(1, 12))
money_amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(first=kwh, second=kwh, prior_kwh=prior, large=st.booleans())
def test_splitting_a_month_keeps_the_tier_kwh(first: Decimal, second: Decimal, prior_kwh: Decimal, large: bool) -> None:
    period = Period(2026, 6)
    whole = ENGINE.residential(period, first + second, prior_kwh, large_household=large)
    part1 = ENGINE.residential(period, first, prior_kwh, large_household=large)
    part2 = ENGINE.residential(period, second, prior_kwh + first, large_household=large)
    assert whole.tier_kwh == tuple(a + b for a, b in zip(part1.tier_kwh or (), part2.tier_kwh or (), strict=True))
    assert sum(whole.tier_kwh or ()) == first + second


@FAST
@given(
    period=periods,
    peak=kwh,
    valley=kwh,
    prior_kwh=prior,
    large=st.booleans(),
    low_income=st.booleans(),
    tou=st.booleans(),
)
def test_residential_total_is_the_sum_of_lines_in_fen(
    period: Period, peak: Decimal, valley: Decimal, prior_kwh: Decimal, large: bool, low_income: bool, tou: bool
) -> None:
    split = {"peak_kwh": peak, "valley_kwh": valley} if tou else {}
    bill = ENGINE.residential(period, peak + valley, prior_kwh, large_household=large, low_income=low_income, **split)
    assert bill.total == sum(line.amount for line in bill.lines)
    assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in bill.lines)
    if not tou:  # under TOU the low-income credit is at base price and may exceed a valley-only bill
        assert bill.total >= 0


@FAST
@given(
    period=periods,
    energy=st.fixed_dictionaries({"peak": kwh, "flat": kwh, "valley": kwh}),
    demand=st.decimals(min_value=0, max_value=5000, places=0),
    kvarh=st.decimals(min_value=0, max_value=9000, places=0),
)
def test_two_part_total_is_the_sum_of_lines(period: Period, energy: dict, demand: Decimal, kvarh: Decimal) -> None:
    bill = ENGINE.large_industrial(period, energy, demand, kvarh)
    assert bill.total == sum(line.amount for line in bill.lines)
    assert Decimal("0") <= (bill.power_factor or 0) <= Decimal("1")


@FAST
@given(
    residential=st.booleans(),
    bill_period=periods,
    amount=money_amounts,
    days_after_issue=st.integers(0, 900),
)
def test_late_fee_is_zero_or_at_least_one_yuan(
    residential: bool, bill_period: Period, amount: Decimal, days_after_issue: int
) -> None:
    paid_on = ENGINE.issue_date(bill_period) + timedelta(days=days_after_issue)
    fee = ENGINE.late_fee(residential, bill_period, amount, paid_on)
    assert fee.amount == 0 or fee.amount >= 1
    assert (fee.amount > 0) == (paid_on > fee.due_on and amount > 0)


@FAST
@given(peak=kwh, valley=kwh, off=st.decimals(min_value="0.1", max_value=500, places=1))
def test_tou_split_that_does_not_add_up_is_refused(peak: Decimal, valley: Decimal, off: Decimal) -> None:
    with pytest.raises(InvalidInput) as err:
        ENGINE.residential(Period(2026, 9), peak + valley + off, Decimal(0), peak_kwh=peak, valley_kwh=valley)
    assert err.value.code == "tou_mismatch"


def test_late_fee_grows_with_each_day_overdue() -> None:
    period = Period(2026, 8)
    fees = [ENGINE.late_fee(True, period, Decimal("2000"), date(2026, 9, 20) + timedelta(days=d)).amount for d in range(4)]
    assert fees == [Decimal("0.00"), Decimal("2.00"), Decimal("4.00"), Decimal("6.00")]
