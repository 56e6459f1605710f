"""Prepaid accounts in the database: the meter state machine of ``billing.prepaid`` made durable.

The balance row keeps what the state machine needs between calls (balance,
levels already alerted, a pending cut-off); every transition is written as a
``prepaid_events`` row and reflected on the meter's state.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.billing.prepaid import PrepaidEvent, PrepaidMeter, estimated_days_left
from backend_core.errors import InvalidInput
from backend_core.gateway.interfaces import PrepaidStatus
from backend_core.services.context import CoreContext
from backend_core.services.lookup import billing_meter, load_account

AVERAGE_DAYS = 30


def _levels(text: str) -> set[Decimal]:
    return {Decimal(x) for x in text.split(",") if x}


def load_prepaid(session: Session, ctx: CoreContext, account: models.Account) -> tuple[models.PrepaidBalance, PrepaidMeter]:
    row = session.get(models.PrepaidBalance, account.account_no)
    if row is None or account.billing != "prepaid":
        raise InvalidInput("not_prepaid", f"户号 {account.account_no} 不是费控（预付费）用户")
    meter = billing_meter(account)
    machine = PrepaidMeter(
        ctx.engine.tariffs.prepaid,
        row.balance,
        state="disconnected_negative_balance" if meter.state == "disconnected_negative_balance" else "online",
        alerted=_levels(row.alerts_sent),
        cutoff_at=row.cutoff_at,
    )
    return row, machine


def save_prepaid(
    session: Session,
    account: models.Account,
    row: models.PrepaidBalance,
    machine: PrepaidMeter,
    events: list[PrepaidEvent],
    now: datetime,
) -> None:
    row.balance = machine.balance
    row.alerts_sent = ",".join(str(level) for level in sorted(machine.alerted, reverse=True))
    row.cutoff_at = machine.cutoff_at
    row.updated_at = now
    meter = billing_meter(account)
    if meter.state in ("online", "disconnected_negative_balance") and meter.state != machine.state:
        meter.state = machine.state
        meter.state_since = events[-1].at if events else now
    session.add_all(
        models.PrepaidEvent(
            account_no=account.account_no,
            kind=e.kind,
            at=e.at,
            amount=e.amount,
            balance_after=e.balance,
            level=e.level,
            deadline=e.deadline,
        )
        for e in events
    )


def advance(session: Session, ctx: CoreContext, account: models.Account) -> None:
    """Carry out a cut-off whose 08:00 has passed (state is brought up to date lazily)."""
    row, machine = load_prepaid(session, ctx, account)
    now = ctx.clock.now()
    events = machine.advance(now)
    if events:
        save_prepaid(session, account, row, machine, events, now)


def refresh_meter(session: Session, ctx: CoreContext, account: models.Account) -> None:
    """Bring a prepaid meter's state up to now before anyone reads it (no-op for postpaid)."""
    if account.billing == "prepaid":
        advance(session, ctx, account)


def credit_prepaid(
    session: Session, ctx: CoreContext, account: models.Account, at: datetime, amount: Decimal
) -> list[PrepaidEvent]:
    row, machine = load_prepaid(session, ctx, account)
    events = machine.pay(at, amount)
    save_prepaid(session, account, row, machine, events, at)
    return events


def deduct_prepaid(
    session: Session, ctx: CoreContext, account: models.Account, at: datetime, amount: Decimal
) -> list[PrepaidEvent]:
    row, machine = load_prepaid(session, ctx, account)
    events = machine.deduct(at, amount)
    save_prepaid(session, account, row, machine, events, at)
    return events


def get_prepaid_status(session: Session, ctx: CoreContext, account_no: str) -> PrepaidStatus:
    account = load_account(session, account_no)
    refresh_meter(session, ctx, account)
    row, machine = load_prepaid(session, ctx, account)
    now = ctx.clock.now()
    costs = list(
        session.scalars(
            select(models.PrepaidEvent.amount).where(
                models.PrepaidEvent.account_no == account.account_no,
                models.PrepaidEvent.kind == "deduction",
                models.PrepaidEvent.at >= now - timedelta(days=AVERAGE_DAYS),
            )
        )
    )
    disconnect_at = row.cutoff_at
    if disconnect_at is None and machine.state == "disconnected_negative_balance":
        disconnect_at = billing_meter(account).state_since
    return PrepaidStatus(
        account_no=account.account_no,
        balance=row.balance,
        alert_level=machine.alert_level,
        meter_state=billing_meter(account).state,  # type: ignore[arg-type]
        estimated_days_left=estimated_days_left(row.balance, [c for c in costs if c is not None]),
        disconnect_at=disconnect_at,
    )
