"""Arrears: the unpaid part of issued bills, with the late fee each would carry on a given day.

Late fees are never stored ahead of time; they are computed by the engine to the
day asked (today by default), so the figure a customer hears always matches
what the counter would charge on that day.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.billing.engine import NO_MONEY, LateFee
from backend_core.billing.periods import Period
from backend_core.errors import InvalidInput
from backend_core.gateway.interfaces import Arrears, ArrearsItem
from backend_core.services.context import CoreContext
from backend_core.services.lookup import load_account

MAX_DAYS_AHEAD = 366


def late_fee_of(ctx: CoreContext, account: models.Account, bill: models.Bill, on: date) -> LateFee:
    return ctx.engine.late_fee(
        account.customer_class == "residential", Period.parse(bill.period), bill.unpaid_amount, on
    )


def open_bills(session: Session, account_no: str, as_of: date) -> list[models.Bill]:
    """Issued bills not fully paid, oldest first (the order payments settle them)."""
    return list(
        session.scalars(
            select(models.Bill)
            .where(
                models.Bill.account_no == account_no,
                models.Bill.status != "paid",
                models.Bill.issued_on <= as_of,
            )
            .order_by(models.Bill.period)
        )
    )


def arrears_of(session: Session, ctx: CoreContext, account: models.Account, as_of: date) -> Arrears:
    items = []
    for bill in open_bills(session, account.account_no, as_of):
        fee = late_fee_of(ctx, account, bill, as_of)
        items.append(
            ArrearsItem(
                period=bill.period,
                amount=bill.unpaid_amount,
                due_on=bill.due_on,
                days_overdue=max(0, (as_of - bill.due_on).days),
                late_fee=fee.amount,
            )
        )
    principal = sum((i.amount for i in items), NO_MONEY)
    late_fee = sum((i.late_fee for i in items), NO_MONEY)
    return Arrears(
        account_no=account.account_no,
        as_of=as_of,
        items=items,
        principal=principal,
        late_fee=late_fee,
        total=principal + late_fee,
    )


def check_as_of(ctx: CoreContext, as_of: date | None) -> date:
    """Late fees are projected from today up to a year ahead, never into the past."""
    today = ctx.clock.today()
    if as_of is None:
        return today
    if not today <= as_of <= today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInput(
            "date_out_of_range",
            f"as_of 应在 {today.isoformat()} 到 {(today + timedelta(days=MAX_DAYS_AHEAD)).isoformat()} 之间",
        )
    return as_of


def get_arrears(session: Session, ctx: CoreContext, account_no: str, as_of: date | None = None) -> Arrears:
    account = load_account(session, account_no)
    return arrears_of(session, ctx, account, check_as_of(ctx, as_of))
