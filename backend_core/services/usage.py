"""Monthly usage and where the year's running total stands against the tiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.billing.engine import ZERO
from backend_core.billing.periods import Period
from backend_core.errors import InvalidInput
from backend_core.gateway.interfaces import MonthUsage, Usage
from backend_core.services.context import CoreContext
from backend_core.services.lookup import billing_meter, load_account

DEFAULT_MONTHS = 12


def monthly_reads(session: Session, meter_id: int, first: Period, last: Period) -> list[models.MonthlyRead]:
    return list(
        session.scalars(
            select(models.MonthlyRead)
            .where(
                models.MonthlyRead.meter_id == meter_id,
                models.MonthlyRead.period >= str(first),
                models.MonthlyRead.period <= str(last),
            )
            .order_by(models.MonthlyRead.period)
        )
    )


def year_to_date_kwh(session: Session, meter_id: int, today: date) -> Decimal:
    """This year's kWh: closed months from register reads, the open month from daily reads."""
    this_month = Period.of(today)
    closed = session.scalar(
        select(func.sum(models.MonthlyRead.kwh)).where(
            models.MonthlyRead.meter_id == meter_id,
            models.MonthlyRead.period >= f"{today.year:04d}-01",
            models.MonthlyRead.period < str(this_month),
        )
    )
    open_month = session.scalar(
        select(func.sum(models.DailyRead.kwh)).where(
            models.DailyRead.meter_id == meter_id,
            models.DailyRead.day >= this_month.first_day,
            models.DailyRead.day < today,
        )
    )
    return (closed or ZERO) + (open_month or ZERO)


def tier_position(thresholds: tuple[Decimal, ...], ytd: Decimal) -> tuple[int, Decimal | None]:
    """(current tier 1..n, kWh left before the next tier or None in the last)."""
    for i, threshold in enumerate(thresholds):
        if ytd < threshold:
            return i + 1, threshold - ytd
    return len(thresholds) + 1, None


def usage_range(ctx: CoreContext, start: str | None, end: str | None) -> tuple[Period, Period]:
    current = Period.of(ctx.clock.today())
    last = Period.parse(end) if end else current.previous()
    first = Period.parse(start) if start else last.shift(1 - DEFAULT_MONTHS)
    if last > current:
        raise InvalidInput("period_out_of_range", f"结束月份 {last} 晚于本月 {current}")
    if first > last:
        raise InvalidInput("period_out_of_range", f"开始月份 {first} 晚于结束月份 {last}")
    if first < last.shift(-59):
        raise InvalidInput("period_out_of_range", "一次最多查询60个月")
    return first, last


def get_usage(
    session: Session, ctx: CoreContext, account_no: str, start: str | None = None, end: str | None = None
) -> Usage:
    account = load_account(session, account_no)
    meter = billing_meter(account)
    first, last = usage_range(ctx, start, end)
    totals = dict(
        session.execute(
            select(models.Bill.period, models.Bill.total).where(
                models.Bill.account_no == account.account_no,
                models.Bill.period >= str(first),
                models.Bill.period <= str(last),
                models.Bill.issued_on <= ctx.clock.today(),
            )
        ).all()
    )
    months = [
        MonthUsage(period=r.period, kwh=r.kwh, amount=totals.get(r.period))
        for r in monthly_reads(session, meter.id, first, last)
    ]
    ytd = year_to_date_kwh(session, meter.id, ctx.clock.today())
    if account.tariff_code == "residential_tiered":
        thresholds = ctx.engine.residential_thresholds(account.large_household_approved)
        tier, to_next = tier_position(thresholds, ytd)
    else:
        thresholds, tier, to_next = (), 1, None
    return Usage(
        account_no=account.account_no,
        months=months,
        year_to_date_kwh=ytd,
        tier_thresholds_kwh=list(thresholds),
        current_tier=tier,
        kwh_to_next_tier=to_next,
    )
