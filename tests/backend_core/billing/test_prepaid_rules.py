"""Prepaid meters: alerts at 30 and 10 yuan, evening notice, 08:00 cut-off, reconnection within 1 h."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from backend_core.billing.engine import BillingEngine
from backend_core.billing.prepaid import PrepaidMeter, daily_charge, estimated_days_left


def meter(engine: BillingEngine, balance: str) -> PrepaidMeter:
    return PrepaidMeter(engine.tariffs.prepaid, Decimal(balance))


def kinds(events: list) -> list[str]:
    return [e.kind if e.kind != "alert" else f"alert_{e.level}" for e in events]


def test_each_alert_fires_once_when_the_balance_first_drops_below_it(engine: BillingEngine) -> None:
    m = meter(engine, "35.00")
    day = datetime(2026, 11, 2, 1, 0)
    assert kinds(m.deduct(day, Decimal("6"))) == ["deduction", "alert_30"]
    assert kinds(m.deduct(day + timedelta(days=1), Decimal("6"))) == ["deduction"]
    assert kinds(m.deduct(day + timedelta(days=2), Decimal("15"))) == ["deduction", "alert_10"]
    assert m.alert_level == "below_10"


def test_a_top_up_rearms_the_alerts_it_lifts_the_balance_above(engine: BillingEngine) -> None:
    m = meter(engine, "12.00")
    m.deduct(datetime(2026, 11, 2, 1), Decimal("5"))
    m.pay(datetime(2026, 11, 2, 9), Decimal("50"))
    assert kinds(m.deduct(datetime(2026, 11, 3, 1), Decimal("30"))) == ["deduction", "alert_30"]


def test_negative_balance_gets_an_evening_notice_and_a_cut_off_at_eight(engine: BillingEngine) -> None:
    m = meter(engine, "3.00")
    events = m.deduct(datetime(2026, 11, 5, 1), Decimal("4.20"))
    notice = events[-1]
    assert notice.kind == "disconnect_notice" and notice.at == datetime(2026, 11, 5, 19)
    assert notice.deadline == datetime(2026, 11, 6, 8)
    assert m.advance(datetime(2026, 11, 6, 7, 59)) == [] and m.state == "online"
    assert kinds(m.advance(datetime(2026, 11, 6, 8))) == ["disconnect"]
    assert m.state == "disconnected_negative_balance"


def test_paying_before_the_cut_off_keeps_the_power_on(engine: BillingEngine) -> None:
    m = meter(engine, "1.00")
    m.deduct(datetime(2026, 11, 5, 1), Decimal("3"))
    m.pay(datetime(2026, 11, 5, 21), Decimal("20"))
    assert m.advance(datetime(2026, 11, 6, 9)) == [] and m.state == "online"


def test_reconnection_within_an_hour_only_when_the_payment_brings_it_above_zero(engine: BillingEngine) -> None:
    m = meter(engine, "1.00")
    m.deduct(datetime(2026, 11, 5, 1), Decimal("11"))
    m.advance(datetime(2026, 11, 6, 8))
    assert kinds(m.pay(datetime(2026, 11, 6, 10), Decimal("5"))) == ["payment"]
    assert m.state == "disconnected_negative_balance"
    events = m.pay(datetime(2026, 11, 6, 12), Decimal("100"))
    assert kinds(events) == ["payment", "reconnect"]
    assert events[-1].deadline == datetime(2026, 11, 6, 13) and m.state == "online"


def test_daily_charge_follows_the_tier_the_year_has_reached(engine: BillingEngine) -> None:
    assert daily_charge(engine, date(2026, 3, 1), Decimal(10), Decimal(100)) == Decimal("5.38")
    assert daily_charge(engine, date(2026, 11, 1), Decimal(10), Decimal(5000)) == Decimal("8.38")


def test_days_left_from_the_average_daily_cost() -> None:
    assert estimated_days_left(Decimal("8.50"), [Decimal("3.00"), Decimal("2.60")]) == 3
    assert estimated_days_left(Decimal("-1"), [Decimal("3")]) == 0
    assert estimated_days_left(Decimal("8.50"), []) is None
