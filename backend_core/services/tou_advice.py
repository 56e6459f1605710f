"""Would residential time of use pay off for this household? Answered from its own interval data."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.billing.engine import NO_MONEY, ZERO, Interval
from backend_core.billing.periods import Period
from backend_core.billing.tou import MonthIntervals, compare_tou
from backend_core.gateway.interfaces import TouAdvice
from backend_core.services.bills import prior_kwh_this_year
from backend_core.services.context import CoreContext
from backend_core.services.lookup import billing_meter, load_account

MONTHS = 12


def _complete_months(session: Session, meter_id: int, current: Period) -> dict[Period, list[Interval]]:
    """Interval data of the last closed months (up to 12) that have a full month of readings."""
    first = current.shift(-MONTHS)
    rows = session.execute(
        select(models.IntervalReading.start, models.IntervalReading.kwh, models.IntervalReading.minutes).where(
            models.IntervalReading.meter_id == meter_id,
            models.IntervalReading.start >= datetime.combine(first.first_day, datetime.min.time()),
            models.IntervalReading.start < datetime.combine(current.first_day, datetime.min.time()),
        )
    ).all()
    by_month: dict[Period, list[Interval]] = defaultdict(list)
    minutes: dict[Period, int] = defaultdict(int)
    for start, kwh, length in rows:
        period = Period.of(start.date())
        by_month[period].append(Interval(start, kwh))
        minutes[period] += length
    return {p: v for p, v in sorted(by_month.items()) if minutes[p] >= p.days * 24 * 60}


def tou_advice(session: Session, ctx: CoreContext, account_no: str) -> TouAdvice:
    account = load_account(session, account_no)
    residential = account.tariff_code == "residential_tiered"
    meter = billing_meter(account)
    months = _complete_months(session, meter.id, Period.of(ctx.clock.today())) if residential else {}
    if not months:
        note = (
            "居民峰谷电价只适用于居民用户。" if not residential else "暂时没有足够的分时用电数据，无法测算峰谷电价是否划算。"
        )
        return TouAdvice(
            account_no=account.account_no,
            months_compared=[],
            flat_total=NO_MONEY,
            tou_total=NO_MONEY,
            saving=NO_MONEY,
            valley_share_pct=ZERO,
            already_on_tou=account.time_of_use,
            eligible=residential and not account.time_of_use,
            note=note,
        )
    result = compare_tou(
        ctx.engine,
        [MonthIntervals(p, prior_kwh_this_year(session, meter.id, p), iv) for p, iv in months.items()],
        large_household=account.large_household_approved,
        low_income=account.low_income,
    )
    span = f"{result.months[0].period}至{result.months[-1].period}" if len(result.months) > 1 else str(result.months[0].period)
    tou = ctx.engine.tariffs.residential.time_of_use
    if account.time_of_use:
        note = (
            f"您已执行峰谷电价。按{span}的用电，"
            f"峰谷电价比不分时电价{'省' if result.saving >= 0 else '多花'}{abs(result.saving):.2f}元。"
        )
    elif result.saving > 0:
        note = (
            f"按{span}的实际用电测算，执行峰谷电价可省{result.saving:.2f}元；谷时段（{tou.valley_hours}）用电占"
            f"{result.valley_share_pct}%。峰谷电价需申请，次月起执行，至少执行12个月。"
        )
    else:
        note = (
            f"按{span}的实际用电测算，峰谷电价会多花{-result.saving:.2f}元：谷时段用电只占{result.valley_share_pct}%，"
            "目前的不分时电价更划算。"
        )
    return TouAdvice(
        account_no=account.account_no,
        months_compared=[str(m.period) for m in result.months],
        flat_total=result.flat_total,
        tou_total=result.tou_total,
        saving=result.saving,
        valley_share_pct=result.valley_share_pct,
        already_on_tou=account.time_of_use,
        eligible=not account.time_of_use,
        note=note,
    )

