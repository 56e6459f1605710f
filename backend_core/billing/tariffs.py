"""Typed view of ``data/tariffs.yml``.

Tariffs are data: a utility replaces the YAML file, not the engine. This module
turns the file into frozen, typed objects once, resolves its cross-references
(``same_as_commercial_single_part``) and parses the hour ranges, so that the
engine never touches raw dictionaries or strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_TARIFF_FILE = Path(__file__).resolve().parent.parent / "data" / "tariffs.yml"

PERIOD_NAMES = ("critical_peak", "peak", "flat", "valley")


def _dec(value: Any) -> Decimal:
    """YAML floats must not pass through binary floating point: go through str."""
    return Decimal(str(value))


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class HourRange:
    """[start, end) in minutes after midnight; ``end <= start`` wraps past midnight."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> HourRange:
        start, end = text.split("-")
        return cls(_minutes(start.strip()), _minutes(end.strip()))

    def __str__(self) -> str:
        return f"{self.start // 60:02d}:{self.start % 60:02d}-{self.end // 60:02d}:{self.end % 60:02d}"

    def contains(self, minute_of_day: int) -> bool:
        if self.start < self.end:
            return self.start <= minute_of_day < self.end
        return minute_of_day >= self.start or minute_of_day < self.end


@dataclass(frozen=True)
class LargeHousehold:
    min_persons: int
    extra_kwh_per_year: Decimal


@dataclass(frozen=True)
class ResidentialTou:
    peak_hours: HourRange
    valley_hours: HourRange
    peak_price: Decimal
    valley_price: Decimal

    def period_of(self, minute_of_day: int) -> str:
        """``peak`` or ``valley`` for an interval starting at this minute."""
        return "peak" if self.peak_hours.contains(minute_of_day) else "valley"


@dataclass(frozen=True)
class ResidentialTariff:
    thresholds_kwh: tuple[Decimal, ...]
    large_household: LargeHousehold
    base_price: Decimal
    tier_surcharge: tuple[Decimal, ...]
    low_income_free_kwh_per_month: Decimal
    time_of_use: ResidentialTou

    def thresholds(self, large_household: bool) -> tuple[Decimal, ...]:
        extra = self.large_household.extra_kwh_per_year if large_household else Decimal(0)
        return tuple(t + extra for t in self.thresholds_kwh)

    def tier_price(self, tier_index: int) -> Decimal:
        return self.base_price + self.tier_surcharge[tier_index]


@dataclass(frozen=True)
class CriticalPeak:
    months: frozenset[int]
    hours: HourRange
    ratio_to_peak: Decimal


@dataclass(frozen=True)
class TimeOfUseSchedule:
    """Period prices and hours shared by the commercial and two-part tariffs."""

    flat_price: Decimal
    ratios: dict[str, Decimal]
    periods: dict[str, tuple[HourRange, ...]]
    critical_peak: CriticalPeak

    def price(self, period: str) -> Decimal:
        peak = self.flat_price * self.ratios["peak"]
        if period == "critical_peak":
            return peak * self.critical_peak.ratio_to_peak
        return self.flat_price * self.ratios[period]

    def has_critical_peak(self, month: int) -> bool:
        return month in self.critical_peak.months

    def periods_for_month(self, month: int) -> tuple[str, ...]:
        if self.has_critical_peak(month):
            return PERIOD_NAMES
        return PERIOD_NAMES[1:]

    def period_of(self, month: int, minute_of_day: int) -> str:
        """The period an interval starting at this minute is billed in."""
        if self.has_critical_peak(month) and self.critical_peak.hours.contains(minute_of_day):
            return "critical_peak"
        for name, ranges in self.periods.items():
            if any(r.contains(minute_of_day) for r in ranges):
                return name
        raise ValueError(f"minute {minute_of_day} is in no tariff period")


@dataclass(frozen=True)
class PowerFactorBand:
    """pf in [low, high] adjusts by ``base_pct + step_pct`` per 0.01 away from ``anchor``."""

    low: Decimal
    high: Decimal
    base_pct: Decimal
    step_pct: Decimal
    anchor: Decimal


# The adjustment schedule of 〔83〕水电财字第215号 for the 0.90 standard, which
# tariffs.yml names by its standard; other standards (0.85, 0.80) would add a row.
_PF_SCHEDULES: dict[Decimal, tuple[PowerFactorBand, ...]] = {
    Decimal("0.90"): (
        PowerFactorBand(Decimal("0.95"), Decimal("1.00"), Decimal("-0.75"), Decimal(0), Decimal("0.95")),
        PowerFactorBand(Decimal("0.90"), Decimal("0.94"), Decimal(0), Decimal("-0.15"), Decimal("0.90")),
        PowerFactorBand(Decimal("0.70"), Decimal("0.89"), Decimal(0), Decimal("0.5"), Decimal("0.90")),
        PowerFactorBand(Decimal("0.65"), Decimal("0.69"), Decimal("10"), Decimal("1"), Decimal("0.70")),
        PowerFactorBand(Decimal("0.00"), Decimal("0.64"), Decimal("15"), Decimal("2"), Decimal("0.65")),
    )
}


@dataclass(frozen=True)
class PowerFactorRule:
    standard: Decimal
    bands: tuple[PowerFactorBand, ...]

    def adjustment_pct(self, pf: Decimal) -> Decimal:
        """Percent added to (demand + energy); negative is a reduction."""
        for band in self.bands:
            if band.low <= pf <= band.high:
                steps = abs(pf - band.anchor) * 100
                return band.base_pct + band.step_pct * steps
        raise ValueError(f"power factor {pf} outside 0..1")


@dataclass(frozen=True)
class TwoPartTariff:
    demand_charge_per_kw_month: Decimal
    schedule: TimeOfUseSchedule
    power_factor: PowerFactorRule


@dataclass(frozen=True)
class LatePaymentRule:
    bill_issue_day: int
    due_day: int
    residential_rate: Decimal
    non_residential_current_year_rate: Decimal
    non_residential_previous_years_rate: Decimal
    minimum_yuan: Decimal


@dataclass(frozen=True)
class PrepaidRule:
    balance_alerts_yuan: tuple[Decimal, ...]  # highest first
    disconnect: str
    reconnect: str


@dataclass(frozen=True)
class Tariffs:
    residential: ResidentialTariff
    commercial: TimeOfUseSchedule
    two_part: TwoPartTariff
    late_payment: LatePaymentRule
    prepaid: PrepaidRule


def _schedule(raw: dict[str, Any], periods: dict[str, Any], critical: dict[str, Any]) -> TimeOfUseSchedule:
    return TimeOfUseSchedule(
        flat_price=_dec(raw["flat_price"]),
        ratios={k: _dec(v) for k, v in raw["ratios"].items()},
        periods={name: tuple(HourRange.parse(r) for r in ranges) for name, ranges in periods.items()},
        critical_peak=CriticalPeak(
            months=frozenset(int(m) for m in critical["months"]),
            hours=HourRange.parse(critical["hours"]),
            ratio_to_peak=_dec(critical["ratio_to_peak"]),
        ),
    )


def _resolve(raw: dict[str, Any], value: Any, key: str) -> Any:
    """Follow ``same_as_<tariff>`` references to the named tariff's ``key``."""
    if isinstance(value, str) and value.startswith("same_as_"):
        return raw[value.removeprefix("same_as_")][key]
    return value


def parse_tariffs(raw: dict[str, Any]) -> Tariffs:
    res = raw["residential_tiered"]
    tou = res["time_of_use"]
    residential = ResidentialTariff(
        thresholds_kwh=tuple(_dec(t) for t in res["thresholds_kwh"]),
        large_household=LargeHousehold(
            min_persons=int(res["large_household"]["min_persons"]),
            extra_kwh_per_year=_dec(res["large_household"]["extra_kwh_per_year"]),
        ),
        base_price=_dec(res["base_price"]),
        tier_surcharge=tuple(_dec(s) for s in res["tier_surcharge"]),
        low_income_free_kwh_per_month=_dec(res["low_income_free_kwh_per_month"]),
        time_of_use=ResidentialTou(
            peak_hours=HourRange.parse(tou["peak_hours"]),
            valley_hours=HourRange.parse(tou["valley_hours"]),
            peak_price=_dec(tou["peak_price"]),
            valley_price=_dec(tou["valley_price"]),
        ),
    )
    com = raw["commercial_single_part"]
    commercial = _schedule(com, com["periods"], com["critical_peak"])
    ind = raw["large_industrial_two_part"]
    standard = _dec(ind["power_factor"]["standard"]).quantize(Decimal("0.01"))
    if standard not in _PF_SCHEDULES:
        raise ValueError(f"no power-factor adjustment schedule for standard {standard}")
    two_part = TwoPartTariff(
        demand_charge_per_kw_month=_dec(ind["demand_charge_per_kw_month"]),
        schedule=_schedule(
            ind["energy"],
            _resolve(raw, ind["periods"], "periods"),
            _resolve(raw, ind["critical_peak"], "critical_peak"),
        ),
        power_factor=PowerFactorRule(standard, _PF_SCHEDULES[standard]),
    )
    late = raw["late_payment"]
    rates = late["daily_rate"]
    late_payment = LatePaymentRule(
        bill_issue_day=int(late["bill_issue_day"]),
        due_day=int(late["due_day"]),
        residential_rate=_dec(rates["residential"]),
        non_residential_current_year_rate=_dec(rates["non_residential_current_year"]),
        non_residential_previous_years_rate=_dec(rates["non_residential_previous_years"]),
        minimum_yuan=_dec(late["minimum_yuan"]),
    )
    pre = raw["prepaid"]
    prepaid = PrepaidRule(
        balance_alerts_yuan=tuple(sorted((_dec(a) for a in pre["balance_alerts_yuan"]), reverse=True)),
        disconnect=str(pre["disconnect"]),
        reconnect=str(pre["reconnect"]),
    )
    return Tariffs(residential, commercial, two_part, late_payment, prepaid)


@lru_cache(maxsize=4)
def load_tariffs(path: Path = DEFAULT_TARIFF_FILE) -> Tariffs:
    """Parse a tariff file once per process."""
    with open(path, encoding="utf-8") as fh:
        return parse_tariffs(yaml.safe_load(fh))
