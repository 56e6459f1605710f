"""Prepaid (费控) accounts: daily deduction, balance alerts, disconnection and reconnection.

The rules are those of tariffs.yml (prepaid): an alert the first time the balance
drops below each alert level (30 and 10 yuan), re-armed only when a payment lifts
the balance back above that level; a disconnect notice the evening the balance
falls below 0 and the cut-off at 08:00 the next day unless a payment has brought
it back above 0 by then; after a cut-off, reconnection within one hour of a
payment that brings the balance above 0. The meter's state machine is pure so
that the seeder, the services and the tests all run the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from backend_core.billing.engine import ZERO, BillingEngine
from backend_core.billing.periods import Period
from backend_core.billing.tariffs import PrepaidRule

NOTICE_TIME = time(19, 0)  # "the evening" the balance falls below 0
CUTOFF_TIME = time(8, 0)  # "08:00 the day after"
DEDUCTION_TIME = time(1, 0)  # a day's use is settled early the next morning
RECONNECT_WITHIN = timedelta(hours=1)

EventKind = Literal["deduction", "payment", "alert", "disconnect_notice", "disconnect", "reconnect"]
PrepaidState = Literal["online", "disconnected_negative_balance"]


@dataclass(frozen=True)
class PrepaidEvent:
    kind: EventKind
    at: datetime
    balance: Decimal  # after the event
    amount: Decimal | None = None  # deduction or payment amount
    level: Decimal | None = None  # alert level crossed
    deadline: datetime | None = None  # cut-off time, or reconnection promised by


@dataclass
class PrepaidMeter:
    """One prepaid meter's balance and switch, advanced by deductions and payments."""

    rule: PrepaidRule
    balance: Decimal
    state: PrepaidState = "online"
    alerted: set[Decimal] = field(default_factory=set)
    cutoff_at: datetime | None = None

    def __post_init__(self) -> None:
        # An opening balance already below a level must not alert again.
        self.alerted |= {level for level in self.rule.balance_alerts_yuan if self.balance < level}

    @property
    def alert_level(self) -> Literal["normal", "below_30", "below_10", "negative"]:
        return alert_level(self.rule, self.balance)

    def advance(self, now: datetime) -> list[PrepaidEvent]:
        """Carry out a scheduled cut-off whose time has come."""
        if self.cutoff_at is not None and now >= self.cutoff_at and self.balance < 0:
            at, self.cutoff_at, self.state = self.cutoff_at, None, "disconnected_negative_balance"
            return [PrepaidEvent("disconnect", at, self.balance)]
        return []

    def deduct(self, at: datetime, amount: Decimal) -> list[PrepaidEvent]:
        """Take one day's charge; emit the alerts and the disconnect notice it triggers."""
        events = self.advance(at)
        before, self.balance = self.balance, self.balance - amount
        events.append(PrepaidEvent("deduction", at, self.balance, amount=amount))
        for level in self.rule.balance_alerts_yuan:
            if self.balance < level and level not in self.alerted:
                self.alerted.add(level)
                events.append(PrepaidEvent("alert", at, self.balance, level=level))
        if before >= 0 > self.balance and self.state == "online":
            notice_at = datetime.combine(at.date(), NOTICE_TIME)
            notice_at = max(notice_at, at)
            self.cutoff_at = datetime.combine(notice_at.date() + timedelta(days=1), CUTOFF_TIME)
            events.append(PrepaidEvent("disconnect_notice", notice_at, self.balance, deadline=self.cutoff_at))
        return events

    def pay(self, at: datetime, amount: Decimal) -> list[PrepaidEvent]:
        """Credit a payment; cancel a pending cut-off or reconnect when the balance is above 0."""
        events = self.advance(at)
        self.balance += amount
        events.append(PrepaidEvent("payment", at, self.balance, amount=amount))
        self.alerted = {level for level in self.alerted if self.balance < level}
        if self.balance > 0:
            self.cutoff_at = None
            if self.state == "disconnected_negative_balance":
                self.state = "online"
                events.append(PrepaidEvent("reconnect", at, self.balance, deadline=at + RECONNECT_WITHIN))
        return events


def alert_level(rule: PrepaidRule, balance: Decimal) -> Literal["normal", "below_30", "below_10", "negative"]:
    if balance < 0:
        return "negative"
    low = [level for level in rule.balance_alerts_yuan if balance < level]
    if not low:
        return "normal"
    return f"below_{int(min(low))}"  # type: ignore[return-value]  # levels named as in tariffs.yml


def daily_charge(
    engine: BillingEngine, day: date, kwh: Decimal, prior_kwh_this_year: Decimal, large_household: bool = False
) -> Decimal:
    """One day's deduction: the day's kWh priced at the tiers where the year's total stands."""
    return engine.residential(Period.of(day), kwh, prior_kwh_this_year, large_household=large_household).total


def deduction_time(usage_day: date) -> datetime:
    """When the charge for ``usage_day`` is taken from the balance."""
    return datetime.combine(usage_day + timedelta(days=1), DEDUCTION_TIME)


def estimated_days_left(balance: Decimal, daily_costs: list[Decimal]) -> int | None:
    """Whole days the balance lasts at the average of ``daily_costs`` (None without data)."""
    if balance <= 0:
        return 0
    if not daily_costs:
        return None
    average = sum(daily_costs, ZERO) / len(daily_costs)
    if average <= 0:
        return None
    return int(balance / average)
