"""The billing engine: every bill, quote, tariff comparison and late fee comes from here.

Money is ``Decimal`` throughout. Each bill line is rounded to the fen once
(ROUND_HALF_UP) and a bill's total is the sum of its rounded lines, exactly as
tariffs.yml prescribes; a late fee is rounded once at the end. The engine takes
typed, already-parsed values (``quote.py`` parses raw cases) but still refuses
values no bill can have, so no caller can issue a bill from impossible data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache

from backend_core.billing.periods import Period
from backend_core.billing.tariffs import (
    PERIOD_NAMES,
    Tariffs,
    TimeOfUseSchedule,
    load_tariffs,
)
from backend_core.errors import InvalidInput

CENT = Decimal("0.01")
ZERO = Decimal(0)
NO_MONEY = Decimal("0.00")  # start of money sums, so an empty sum still reads 0.00

TIER_LABELS = ("第一档电费", "第二档电费", "第三档电费")
SURCHARGE_LABELS = ("", "第二档加价电费", "第三档加价电费")
RESIDENTIAL_TOU_LABELS = {"peak": "峰时段电费", "valley": "谷时段电费"}
PERIOD_LABELS = {
    "critical_peak": "尖峰电费",
    "peak": "高峰电费",
    "flat": "平段电费",
    "valley": "低谷电费",
}


def money(value: Decimal) -> Decimal:
    """Round to the fen, half up: the only rounding a bill line gets."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    amount: Decimal
    kwh: Decimal | None = None
    price: Decimal | None = None


@dataclass(frozen=True)
class BillResult:
    tariff: str
    period: Period
    kwh: Decimal
    lines: tuple[Line, ...]
    tier_kwh: tuple[Decimal, ...] | None = None
    tier_thresholds_kwh: tuple[Decimal, ...] | None = None
    kwh_by_period: Mapping[str, Decimal] | None = None
    power_factor: Decimal | None = None
    pf_adjust_pct: Decimal | None = None

    @cached_property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), NO_MONEY)


@dataclass(frozen=True)
class LateFeeSegment:
    first_day: date
    last_day: date
    days: int
    daily_rate: Decimal


@dataclass(frozen=True)
class LateFee:
    amount: Decimal
    due_on: date
    days_overdue: int
    segments: tuple[LateFeeSegment, ...] = field(default_factory=tuple)
    computed: Decimal = NO_MONEY  # amount × the daily rates, rounded, before the minimum
    minimum_applied: bool = False  # the fee is the minimum because ``computed`` was below it


@dataclass(frozen=True)
class Interval:
    """One AMI interval; it is billed in the period its *start* falls in."""

    start: datetime
    kwh: Decimal


def _check_kwh(name: str, value: Decimal) -> None:
    if not value.is_finite():
        raise InvalidInput("invalid_number", f"{name} must be a finite number")
    if value < 0:
        raise InvalidInput("negative_kwh", f"{name} must not be negative (got {value})")


def split_tiers(prior: Decimal, kwh: Decimal, thresholds: Iterable[Decimal]) -> tuple[Decimal, ...]:
    """Split this month's ``kwh`` across tiers by where the year's running total falls.

    Tier i gets the part of [prior, prior + kwh] between threshold i-1 and i.
    """
    bounds = [ZERO, *thresholds]
    end = prior + kwh
    parts = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] if i + 1 < len(bounds) else None
        top = end if high is None else min(end, high)
        parts.append(max(ZERO, top - max(prior, low)))
    return tuple(parts)


@lru_cache(maxsize=512)
def _due_date(period: Period, due_day: int) -> date:
    return period.due_date(due_day)


@lru_cache(maxsize=512)
def _issue_date(period: Period, issue_day: int) -> date:
    return period.issue_date(issue_day)


class BillingEngine:
    """Prices a month of use under one of the tariffs of a :class:`Tariffs` set."""

    def __init__(self, tariffs: Tariffs | None = None) -> None:
        self.tariffs = tariffs or load_tariffs()
        self._thresholds = {large: self.tariffs.residential.thresholds(large) for large in (False, True)}

    # -- residential -----------------------------------------------------------------

    def residential_thresholds(self, large_household: bool) -> tuple[Decimal, ...]:
        return self._thresholds[bool(large_household)]

    def residential(
        self,
        period: Period,
        kwh: Decimal,
        prior_kwh_this_year: Decimal = ZERO,
        *,
        large_household: bool = False,
        low_income: bool = False,
        peak_kwh: Decimal | None = None,
        valley_kwh: Decimal | None = None,
    ) -> BillResult:
        """Tiered residential bill; with ``peak_kwh``/``valley_kwh`` it is the TOU variant."""
        tariff = self.tariffs.residential
        _check_kwh("kwh", kwh)
        _check_kwh("prior_kwh_this_year", prior_kwh_this_year)
        thresholds = self.residential_thresholds(large_household)
        tiers = split_tiers(prior_kwh_this_year, kwh, thresholds)
        lines: list[Line] = []
        if peak_kwh is None and valley_kwh is None:
            for i, tier_kwh in enumerate(tiers):
                if tier_kwh:
                    price = tariff.tier_price(i)
                    lines.append(Line(f"tier{i + 1}", TIER_LABELS[i], money(tier_kwh * price), tier_kwh, price))
        else:
            if peak_kwh is None or valley_kwh is None:
                raise InvalidInput("tou_mismatch", "time of use needs both peak_kwh and valley_kwh")
            _check_kwh("peak_kwh", peak_kwh)
            _check_kwh("valley_kwh", valley_kwh)
            if peak_kwh + valley_kwh != kwh:
                raise InvalidInput(
                    "tou_mismatch",
                    f"peak_kwh + valley_kwh ({peak_kwh} + {valley_kwh}) must equal kwh ({kwh})",
                )
            tou = tariff.time_of_use
            for code, part, price in (("peak", peak_kwh, tou.peak_price), ("valley", valley_kwh, tou.valley_price)):
                lines.append(Line(code, RESIDENTIAL_TOU_LABELS[code], money(part * price), part, price))
            for i, tier_kwh in enumerate(tiers[1:], start=1):
                if tier_kwh:
                    surcharge = tariff.tier_surcharge[i]
                    lines.append(
                        Line(f"tier{i + 1}_surcharge", SURCHARGE_LABELS[i], money(tier_kwh * surcharge), tier_kwh, surcharge)
                    )
        if low_income:
            free = min(kwh, tariff.low_income_free_kwh_per_month)
            if free:
                credit = money(free * tariff.base_price)
                lines.append(Line("low_income_credit", "低保/五保户免费电量", -credit, free, tariff.base_price))
        return BillResult(
            tariff="residential_tiered",
            period=period,
            kwh=kwh,
            lines=tuple(lines),
            tier_kwh=tiers,
            tier_thresholds_kwh=thresholds,
            kwh_by_period=None if peak_kwh is None else {"peak": peak_kwh, "valley": valley_kwh or ZERO},
        )

    def split_residential_tou(self, intervals: Iterable[Interval]) -> tuple[Decimal, Decimal]:
        """(peak_kwh, valley_kwh) of intervals under the residential TOU hours."""
        tou = self.tariffs.residential.time_of_use
        peak = valley = ZERO
        for interval in intervals:
            minute = interval.start.hour * 60 + interval.start.minute
            if tou.period_of(minute) == "peak":
                peak += interval.kwh
            else:
                valley += interval.kwh
        return peak, valley

    # -- time-of-use tariffs (commercial single-part, two-part energy) -------------

    def bucket_intervals(
        self, schedule: TimeOfUseSchedule, period: Period, intervals: Iterable[Interval]
    ) -> dict[str, Decimal]:
        """Sum intervals into the schedule's periods by their start time."""
        buckets = dict.fromkeys(schedule.periods_for_month(period.month), ZERO)
        for interval in intervals:
            if (interval.start.year, interval.start.month) != (period.year, period.month):
                raise InvalidInput(
                    "interval_outside_period",
                    f"interval starting {interval.start.isoformat()} is not in period {period}",
                )
            _check_kwh(f"interval {interval.start.isoformat()}", interval.kwh)
            minute = interval.start.hour * 60 + interval.start.minute
            buckets[schedule.period_of(period.month, minute)] += interval.kwh
        return buckets

    def _energy_lines(
        self, schedule: TimeOfUseSchedule, period: Period, kwh_by_period: Mapping[str, Decimal]
    ) -> tuple[dict[str, Decimal], list[Line]]:
        unknown = set(kwh_by_period) - set(PERIOD_NAMES)
        if unknown:
            raise InvalidInput("bad_kwh_by_period", f"unknown time-of-use period(s): {', '.join(sorted(unknown))}")
        periods = schedule.periods_for_month(period.month)
        if kwh_by_period.get("critical_peak") and "critical_peak" not in periods:
            months = "、".join(str(m) for m in sorted(schedule.critical_peak.months))
            raise InvalidInput(
                "bad_kwh_by_period",
                f"critical peak applies only in months {months}; period {period} has none",
            )
        used: dict[str, Decimal] = {}
        lines: list[Line] = []
        for name in periods:
            kwh = kwh_by_period.get(name, ZERO)
            _check_kwh(name, kwh)
            price = schedule.price(name)
            used[name] = kwh
            lines.append(Line(name, PERIOD_LABELS[name], money(kwh * price), kwh, price))
        return used, lines

    def commercial(self, period: Period, kwh_by_period: Mapping[str, Decimal]) -> BillResult:
        """Single-part commercial bill with mandatory time of use (and July/August critical peak)."""
        used, lines = self._energy_lines(self.tariffs.commercial, period, kwh_by_period)
        return BillResult(
            tariff="commercial_single_part",
            period=period,
            kwh=sum(used.values(), ZERO),
            lines=tuple(lines),
            kwh_by_period=used,
        )

    @staticmethod
    def power_factor(kwh: Decimal, kvarh: Decimal) -> Decimal:
        """kWh / sqrt(kWh² + kvarh²), half up to 2 decimals."""
        if kwh == 0 and kvarh == 0:
            return Decimal("1.00")
        apparent = (kwh * kwh + kvarh * kvarh).sqrt()
        return (kwh / apparent).quantize(CENT, rounding=ROUND_HALF_UP)

    def demand_charge(self, max_demand_kw: Decimal) -> Line:
        """The two-part bill's demand line (基本电费): max demand × the charge per kW-month, rounded."""
        if not max_demand_kw.is_finite() or max_demand_kw < 0:
            raise InvalidInput("invalid_number", "max_demand_kw must be a number ≥ 0")
        price = self.tariffs.two_part.demand_charge_per_kw_month
        return Line("demand", "基本电费", money(max_demand_kw * price), price=price)

    def large_industrial(
        self,
        period: Period,
        kwh_by_period: Mapping[str, Decimal],
        max_demand_kw: Decimal,
        kvarh: Decimal,
    ) -> BillResult:
        """Two-part bill: demand charge, TOU energy, then the power-factor adjustment of both."""
        tariff = self.tariffs.two_part
        demand = self.demand_charge(max_demand_kw)
        _check_kwh("kvarh", kvarh)
        used, energy = self._energy_lines(tariff.schedule, period, kwh_by_period)
        kwh = sum(used.values(), ZERO)
        pf = self.power_factor(kwh, kvarh)
        pct = tariff.power_factor.adjustment_pct(pf)
        base = demand.amount + sum((line.amount for line in energy), ZERO)
        adjust = Line("pf_adjust", "功率因数调整电费", money(base * pct / 100))
        return BillResult(
            tariff="large_industrial_two_part",
            period=period,
            kwh=kwh,
            lines=(demand, *energy, adjust),
            kwh_by_period=used,
            power_factor=pf,
            pf_adjust_pct=pct,
        )

    # -- late payment --------------------------------------------------------------

    def due_date(self, period: Period) -> date:
        return _due_date(period, self.tariffs.late_payment.due_day)

    def issue_date(self, period: Period) -> date:
        return _issue_date(period, self.tariffs.late_payment.bill_issue_day)

    def late_fee(self, residential: bool, bill_period: Period, amount: Decimal, paid_on: date) -> LateFee:
        """违约金 on ``amount`` of ``bill_period`` paid (or counted) on ``paid_on``.

        Every day from the day after the due date up to and including ``paid_on``
        counts at the residential rate, or for others at the current-year rate in
        the calendar year the bill was issued and the previous-years rate after it.
        """
        rule = self.tariffs.late_payment
        if not amount.is_finite() or amount < 0:
            raise InvalidInput("invalid_amount", "amount must be a number ≥ 0")
        due = self.due_date(bill_period)
        issue_year = self.issue_date(bill_period).year
        if paid_on <= due or amount == 0:
            return LateFee(NO_MONEY, due, max(0, (paid_on - due).days))
        segments: list[LateFeeSegment] = []
        first = date.fromordinal(due.toordinal() + 1)
        while first <= paid_on:
            last = min(paid_on, date(first.year, 12, 31))
            if residential:
                rate = rule.residential_rate
            elif first.year == issue_year:
                rate = rule.non_residential_current_year_rate
            else:
                rate = rule.non_residential_previous_years_rate
            segments.append(LateFeeSegment(first, last, (last - first).days + 1, rate))
            first = date(last.year + 1, 1, 1)
        rates = sum((s.daily_rate * s.days for s in segments), ZERO)
        computed, minimum = money(amount * rates), money(rule.minimum_yuan)
        return LateFee(
            max(computed, minimum), due, (paid_on - due).days, tuple(segments), computed, computed < minimum
        )

