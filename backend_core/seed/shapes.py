"""Hourly load shapes, and splitting a month's metered totals into hours that add up exactly.

Households peak in the evening, run air-conditioning on summer afternoons and
nights and heaters on winter mornings and evenings; some charge an EV or heat
water at night. A shop follows its opening hours, a factory its shifts. The
demo customers' monthly kWh (and their peak/valley or period splits) are facts
from demo_customers.yml: :func:`fit_month` spreads each fact over the hours of
its time-of-use bucket in proportion to the shape, in whole Wh, so every
interval, daily and monthly figure the seeder stores agrees to the Wh.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backend_core.billing.periods import Period

#                0    1    2    3    4    5    6    7    8    9    10   11
_HOME = (0.35, 0.30, 0.28, 0.27, 0.27, 0.30, 0.45, 0.70, 0.60, 0.45, 0.42, 0.55,
         0.60, 0.50, 0.45, 0.45, 0.50, 0.75, 1.00, 1.15, 1.15, 1.05, 0.85, 0.55)  # fmt: skip
_SUMMER_AC = {12: 0.3, 13: 0.4, 14: 0.4, 15: 0.3, 18: 0.5, 19: 0.8, 20: 0.9, 21: 0.9, 22: 0.9, 23: 0.8,
              0: 0.6, 1: 0.5, 2: 0.4, 3: 0.4, 4: 0.3, 5: 0.3}  # fmt: skip
_WINTER_HEAT = {6: 0.3, 7: 0.4, 8: 0.2, 18: 0.3, 19: 0.4, 20: 0.4, 21: 0.4, 22: 0.3}
_NIGHT_LOAD = {23: 1.6, 0: 1.8, 1: 1.8, 2: 1.6, 3: 1.4, 4: 1.0, 5: 0.6}  # EV charging / storage water heater
_SHOP = (0.45, 0.40, 0.40, 0.40, 0.40, 0.45, 0.60, 0.90, 1.00, 1.05, 1.05, 1.10,
         1.15, 1.10, 1.05, 1.05, 1.10, 1.20, 1.30, 1.35, 1.35, 1.25, 1.10, 0.70)  # fmt: skip
_FACTORY = (0.35, 0.30, 0.30, 0.30, 0.30, 0.35, 0.50, 0.80, 1.00, 1.00, 1.00, 0.90,
            0.70, 0.95, 1.00, 1.00, 1.00, 0.95, 0.80, 0.70, 0.60, 0.55, 0.45, 0.40)  # fmt: skip
SUMMER = frozenset({6, 7, 8, 9})
WINTER = frozenset({12, 1, 2})


@dataclass(frozen=True)
class LoadShape:
    """Relative hourly demand of one kind of customer."""

    kind: str  # home | night_home | shop | factory
    scale_kw: float = 1.0  # average demand, for customers whose totals are not given

    def weights(self, day: date, rng: random.Random) -> list[float]:
        month, weekend = day.month, day.weekday() >= 5
        if self.kind in ("home", "night_home"):
            hours = list(_HOME)
            extras = [_SUMMER_AC if month in SUMMER else {}, _WINTER_HEAT if month in WINTER else {}]
            if self.kind == "night_home":
                extras.append(_NIGHT_LOAD)
            for extra in extras:
                for hour, add in extra.items():
                    hours[hour] += add
            if weekend:
                hours = [h * (1.25 if 9 <= i <= 17 else 1.0) for i, h in enumerate(hours)]
        elif self.kind == "shop":
            hours = [h * (1.3 if month in SUMMER else 1.0) for h in _SHOP]
        else:
            hours = [h * (0.55 if weekend else 1.0) for h in _FACTORY]
        day_factor = rng.uniform(0.85, 1.15)
        return [h * day_factor * rng.uniform(0.9, 1.1) for h in hours]


def days_of(period: Period) -> list[date]:
    return [period.first_day + timedelta(days=i) for i in range(period.days)]


def _spread(total_wh: int, weights: Sequence[float]) -> list[int]:
    """Whole Wh in proportion to ``weights``, adding up to exactly ``total_wh`` (largest remainders)."""
    weight_sum = sum(weights)
    if total_wh == 0 or weight_sum == 0:
        return [0] * len(weights)
    raw = [total_wh * w / weight_sum for w in weights]
    parts = [int(x) for x in raw]
    short = total_wh - sum(parts)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[:short]:
        parts[i] += 1
    return parts


def fit_month(
    period: Period,
    shape: LoadShape,
    rng: random.Random,
    targets_wh: dict[str, int],
    bucket_of: Callable[[datetime], str],
) -> dict[datetime, int]:
    """Hourly Wh of one month whose sums per bucket equal ``targets_wh`` exactly."""
    hours: list[datetime] = []
    weights: list[float] = []
    for day in days_of(period):
        for hour, weight in enumerate(shape.weights(day, rng)):
            hours.append(datetime(day.year, day.month, day.day, hour))
            weights.append(weight)
    result: dict[datetime, int] = {}
    for bucket, target in targets_wh.items():
        members = [i for i, start in enumerate(hours) if bucket_of(start) == bucket]
        if target and not members:
            raise ValueError(f"{period}: no hours in bucket {bucket} for {target} Wh")
        for i, wh in zip(members, _spread(target, [weights[i] for i in members]), strict=True):
            result[hours[i]] = wh
    for start in hours:
        result.setdefault(start, 0)
    return result


def free_month(period: Period, shape: LoadShape, rng: random.Random) -> dict[datetime, int]:
    """Hourly Wh of one month from the shape alone (generated customers)."""
    result: dict[datetime, int] = {}
    for day in days_of(period):
        weights = shape.weights(day, rng)
        mean = sum(weights) / 24
        for hour, weight in enumerate(weights):
            result[datetime(day.year, day.month, day.day, hour)] = round(1000 * shape.scale_kw * weight / mean)
    return result
