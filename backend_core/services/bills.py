"""Bills: issuing them from monthly reads through the engine, and reading them back.

Every bill the core stores is the engine's result for the account's tariff and
the month's register read, with the year's running total from the earlier
reads, so a stored bill and a quote of the same figures can never differ.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from backend_core import models
from backend_core.billing.engine import NO_MONEY, ZERO, BillingEngine, BillResult
from backend_core.billing.periods import Period
from backend_core.errors import InvalidInput, NotFound
from backend_core.gateway.interfaces import Bill, BillLine
from backend_core.services.context import CoreContext
from backend_core.services.lookup import check_limit, load_account


def compute_bill(engine: BillingEngine, account: Any, read: Any, prior_kwh_this_year: Decimal) -> BillResult:
    """Price one monthly read for one account (``account``/``read`` are rows or row-likes)."""
    period = Period.parse(read.period)
    if account.tariff_code == "residential_tiered":
        tou = account.time_of_use and read.kwh_peak is not None and read.kwh_valley is not None
        return engine.residential(
            period,
            read.kwh,
            prior_kwh_this_year,
            large_household=account.large_household_approved,
            low_income=account.low_income,
            peak_kwh=read.kwh_peak if tou else None,
            valley_kwh=read.kwh_valley if tou else None,
        )
    energy = {
        name: value
        for name, value in (
            ("critical_peak", read.kwh_critical_peak),
            ("peak", read.kwh_peak),
            ("flat", read.kwh_flat),
            ("valley", read.kwh_valley),
        )
        if value is not None
    }
    if account.tariff_code == "commercial_single_part":
        return engine.commercial(period, energy)
    if account.tariff_code == "large_industrial_two_part":
        return engine.large_industrial(period, energy, read.max_demand_kw or ZERO, read.kvarh or ZERO)
    raise InvalidInput("unknown_tariff", f"account {account.account_no} has unknown tariff {account.tariff_code}")


def bill_values(engine: BillingEngine, account_no: str, result: BillResult) -> dict[str, Any]:
    """Column values of the ``bills`` row for an engine result."""
    tiers = result.tier_kwh or (None, None, None)
    return {
        "account_no": account_no,
        "period": str(result.period),
        "tariff_code": result.tariff,
        "kwh": result.kwh,
        "total": result.total,
        "tier1_kwh": tiers[0],
        "tier2_kwh": tiers[1],
        "tier3_kwh": tiers[2],
        "power_factor": result.power_factor,
        "issued_on": engine.issue_date(result.period),
        "due_on": engine.due_date(result.period),
        "paid_amount": NO_MONEY,
        "status": "paid" if result.total <= 0 else "unpaid",
    }


def line_values(bill_id: int, result: BillResult) -> list[dict[str, Any]]:
    return [
        {
            "bill_id": bill_id,
            "seq": i,
            "code": line.code,
            "label": line.label,
            "kwh": line.kwh,
            "price": line.price,
            "amount": line.amount,
        }
        for i, line in enumerate(result.lines)
    ]


def prior_kwh_this_year(session: Session, meter_id: int, period: Period) -> Decimal:
    total = session.scalar(
        select(func.sum(models.MonthlyRead.kwh)).where(
            models.MonthlyRead.meter_id == meter_id,
            models.MonthlyRead.period >= f"{period.year:04d}-01",
            models.MonthlyRead.period < str(period),
        )
    )
    return total if total is not None else ZERO


def issue_bill(session: Session, ctx: CoreContext, account: models.Account, read: models.MonthlyRead) -> models.Bill:
    """Create the bill of ``read``'s period (ORM), or return the one already issued."""
    existing = session.scalar(
        select(models.Bill).where(models.Bill.account_no == account.account_no, models.Bill.period == read.period)
    )
    if existing is not None:
        return existing
    result = compute_bill(ctx.engine, account, read, prior_kwh_this_year(session, read.meter_id, Period.parse(read.period)))
    bill = models.Bill(**bill_values(ctx.engine, account.account_no, result))
    bill.lines = [models.BillLine(**{k: v for k, v in row.items() if k != "bill_id"}) for row in line_values(0, result)]
    session.add(bill)
    session.flush()
    return bill


def bill_dto(bill: models.Bill) -> Bill:
    tiers = [bill.tier1_kwh, bill.tier2_kwh, bill.tier3_kwh]
    return Bill(
        account_no=bill.account_no,
        period=bill.period,
        kwh=bill.kwh,
        total=bill.total,
        tier_kwh=None if tiers[0] is None else [t or ZERO for t in tiers],
        lines=[
            BillLine(code=line.code, label=line.label, kwh=line.kwh, price=line.price, amount=line.amount)
            for line in bill.lines
        ],
        issued_on=bill.issued_on,
        due_on=bill.due_on,
        paid=bill.status == "paid",
        paid_amount=bill.paid_amount,
        unpaid_amount=bill.unpaid_amount,
    )


def issued_bills(session: Session, account_no: str, today: date, limit: int | None = None) -> list[models.Bill]:
    """Bills already issued by ``today``, newest first."""
    query = (
        select(models.Bill)
        .where(models.Bill.account_no == account_no, models.Bill.issued_on <= today)
        .order_by(models.Bill.period.desc())
        .options(selectinload(models.Bill.lines))
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def check_period_not_future(ctx: CoreContext, period: str) -> Period:
    parsed = Period.parse(period)
    if parsed > Period.of(ctx.clock.today()):
        raise InvalidInput("period_out_of_range", f"账期 {period} 还没有到，最近可查的是已出账的月份")
    return parsed


def get_bill(session: Session, ctx: CoreContext, account_no: str, period: str | None = None) -> Bill:
    account = load_account(session, account_no)
    today = ctx.clock.today()
    if period is None:
        bills = issued_bills(session, account.account_no, today, limit=1)
        if not bills:
            raise NotFound(f"户号 {account.account_no} 还没有已出账的电费账单")
        return bill_dto(bills[0])
    check_period_not_future(ctx, period)
    bill = session.scalar(
        select(models.Bill)
        .where(models.Bill.account_no == account.account_no, models.Bill.period == period, models.Bill.issued_on <= today)
        .options(selectinload(models.Bill.lines))
    )
    if bill is None:
        raise NotFound(f"户号 {account.account_no} 没有 {period} 的电费账单")
    return bill_dto(bill)


def list_bills(session: Session, ctx: CoreContext, account_no: str, limit: int = 12) -> list[Bill]:
    check_limit(limit, 60)
    account = load_account(session, account_no)
    return [bill_dto(b) for b in issued_bills(session, account.account_no, ctx.clock.today(), limit)]
