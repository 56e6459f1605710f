"""What a residential customer would have paid on time of use, from its own interval data.

Both sides of the comparison come from the billing engine: the flat tiered bill
and the TOU bill of the same months, with the same running annual total, so the
saving shown to a customer is exactly the difference of two real bills.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from backend_core.billing.engine import NO_MONEY, ZERO, BillingEngine, Interval
from backend_core.billing.periods import Period


@dataclass(frozen=True)
class MonthIntervals:
    period: Period
    prior_kwh_this_year: Decimal
    intervals: Sequence[Interval]


@dataclass(frozen=True)
class MonthComparison:
    period: Period
    kwh: Decimal
    peak_kwh: Decimal
    valley_kwh: Decimal
    flat_total: Decimal
    tou_total: Decimal


@dataclass(frozen=True)
class TouComparison:
    months: tuple[MonthComparison, ...]
    flat_total: Decimal
    tou_total: Decimal
    valley_share_pct: Decimal

    @property
    def saving(self) -> Decimal:
        """Positive when time of use would have cost less."""
        return self.flat_total - self.tou_total


def compare_tou(
    engine: BillingEngine,
    months: Sequence[MonthIntervals],
    *,
    large_household: bool = False,
    low_income: bool = False,
) -> TouComparison:
    rows = []
    for month in months:
        peak, valley = engine.split_residential_tou(month.intervals)
        kwh = peak + valley
        flat = engine.residential(
            month.period, kwh, month.prior_kwh_this_year, large_household=large_household, low_income=low_income
        )
        tou = engine.residential(
            month.period, kwh, month.prior_kwh_this_year, peak_kwh=peak, valley_kwh=valley,
            large_household=large_household, low_income=low_income,
        )
        rows.append(MonthComparison(month.period, kwh, peak, valley, flat.total, tou.total))
    total_kwh = sum((r.kwh for r in rows), ZERO)
    valley_kwh = sum((r.valley_kwh for r in rows), ZERO)
    share = (valley_kwh * 100 / total_kwh).quantize(Decimal("0.1"), ROUND_HALF_UP) if total_kwh else ZERO
    return TouComparison(
        months=tuple(rows),
        flat_total=sum((r.flat_total for r in rows), NO_MONEY),
        tou_total=sum((r.tou_total for r in rows), NO_MONEY),
        valley_share_pct=share,
    )
