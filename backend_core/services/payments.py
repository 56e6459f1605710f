"""Payments: posting (idempotent), settling bills oldest first, history and diagnosis.

A posting carries an idempotency key: the same key with the same account and
amount returns the first payment and changes nothing; the same key with other
values is refused (``duplicate_payment``), because it can only be a client bug.
A credited payment settles a postpaid account's open bills oldest first, late
fee to the payment day first, or tops up a prepaid balance (which may reconnect
the meter within the hour).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backend_core import models
from backend_core.billing.engine import NO_MONEY
from backend_core.billing.periods import MIN_YEAR
from backend_core.billing.prepaid import alert_level
from backend_core.errors import CoreError, InvalidInput
from backend_core.gateway.interfaces import Payment, PaymentDiagnosis
from backend_core.services.arrears import arrears_of, late_fee_of, open_bills
from backend_core.services.context import CoreContext
from backend_core.services.lookup import billing_meter, check_limit, load_account
from backend_core.services.prepaid import credit_prepaid, load_prepaid, refresh_meter

CHANNELS = {"wechat": "微信", "alipay": "支付宝", "bank": "银行代扣", "counter": "营业厅", "app": "网上国网"}
MAX_PAYMENT = Decimal("1000000")


def payment_dto(payment: models.Payment) -> Payment:
    return Payment(
        payment_id=payment.payment_no,
        account_no=payment.account_no,
        amount=payment.amount,
        channel=payment.channel,
        paid_at=payment.paid_at,
        credited=payment.credited,
        periods=sorted({a.bill.period for a in payment.allocations}),
    )


def _check(amount: Decimal, channel: str, idempotency_key: str) -> None:
    if not amount.is_finite() or amount <= 0 or amount > MAX_PAYMENT or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("invalid_amount", "缴费金额应大于0、最多两位小数、不超过100万元")
    if channel not in CHANNELS:
        raise InvalidInput("bad_channel", f"channel must be one of {', '.join(CHANNELS)}")
    if not idempotency_key or len(idempotency_key) > 100:
        raise InvalidInput("bad_idempotency_key", "idempotency key must be 1..100 characters")


def settle_bills(session: Session, ctx: CoreContext, account: models.Account, payment: models.Payment) -> None:
    """Apply a credited postpaid payment to open bills, oldest first, late fee before principal."""
    remaining = payment.amount
    paid_on = payment.paid_at.date()
    for bill in open_bills(session, account.account_no, paid_on):
        if remaining <= 0:
            break
        fee = late_fee_of(ctx, account, bill, paid_on)
        fee_part = min(fee.amount, remaining)
        principal = min(bill.unpaid_amount, remaining - fee_part)
        remaining -= fee_part + principal
        bill.paid_amount += principal
        bill.status = "paid" if bill.paid_amount >= bill.total else "partial"
        if bill.status == "paid":
            bill.paid_on = paid_on
        session.add(models.PaymentAllocation(payment=payment, bill=bill, principal=principal, late_fee=fee_part))
        if fee_part:
            session.add(
                models.LateFeeCharge(
                    bill_id=bill.id, payment=payment, charged_on=paid_on, days_overdue=fee.days_overdue, amount=fee_part
                )
            )


def credit(session: Session, ctx: CoreContext, account: models.Account, payment: models.Payment, at: datetime) -> None:
    payment.credited, payment.credited_at = True, at
    if account.billing == "prepaid":
        credit_prepaid(session, ctx, account, at, payment.amount)
    else:
        settle_bills(session, ctx, account, payment)


def post_payment(
    session: Session,
    ctx: CoreContext,
    account_no: str,
    amount: Decimal,
    channel: str,
    idempotency_key: str,
    paid_at: datetime | None = None,
    credited: bool = True,
) -> tuple[Payment, bool]:
    """Record a payment; returns (payment, replayed) where ``replayed`` means the key was seen."""
    _check(amount, channel, idempotency_key)
    account = load_account(session, account_no)
    existing = session.scalar(
        select(models.Payment)
        .where(models.Payment.idempotency_key == idempotency_key)
        .options(selectinload(models.Payment.allocations).joinedload(models.PaymentAllocation.bill))
    )
    if existing is not None:
        if existing.account_no != account.account_no or existing.amount != amount:
            raise CoreError(
                "duplicate_payment",
                "这个幂等键已用于另一笔缴费（户号或金额不同），没有重复入账",
                409,
            )
        return payment_dto(existing), True
    now = ctx.clock.now()
    paid_at = ctx.clock.local(paid_at) if paid_at else now  # "…+08:00" or "…Z" from HTTP clients
    if paid_at > now + timedelta(minutes=5):
        raise InvalidInput("date_out_of_range", "缴费时间不能晚于当前时间")
    if paid_at.year < MIN_YEAR:
        raise InvalidInput("date_out_of_range", f"缴费时间不能早于{MIN_YEAR}年")
    digest = hashlib.sha1(idempotency_key.encode()).hexdigest()[:10].upper()
    payment = models.Payment(
        payment_no=f"JF{paid_at:%Y%m%d}{digest}",
        account_no=account.account_no,
        amount=amount,
        channel=channel,
        paid_at=paid_at,
        idempotency_key=idempotency_key,
        credited=False,
    )
    session.add(payment)
    if credited:
        credit(session, ctx, account, payment, paid_at)
    session.flush()
    return payment_dto(payment), False


def payment_history(session: Session, ctx: CoreContext, account_no: str, limit: int = 6) -> list[Payment]:
    check_limit(limit, 60)
    account = load_account(session, account_no)
    payments = session.scalars(
        select(models.Payment)
        .where(models.Payment.account_no == account.account_no)
        .order_by(models.Payment.paid_at.desc(), models.Payment.id.desc())
        .limit(limit)
        .options(selectinload(models.Payment.allocations).joinedload(models.PaymentAllocation.bill))
    )
    return [payment_dto(p) for p in payments]


def _yuan(amount: Decimal) -> str:
    return f"{amount:.2f}元"


def diagnose_payment(session: Session, ctx: CoreContext, account_no: str) -> PaymentDiagnosis:
    """Paid but not credited, or paid but still without power: what happened and what comes next."""
    account = load_account(session, account_no)
    refresh_meter(session, ctx, account)
    history = payment_history(session, ctx, account.account_no, limit=1)
    last = history[0] if history else None
    meter = billing_meter(account)
    now = ctx.clock.now()
    advice: list[str] = []
    reconnect_by = None
    if last is None:
        advice.append("没有查到这个户号的缴费记录。如果刚刚缴过费，请核对缴费时填写的户号是否正确。")
    elif not last.credited:
        advice.append(
            f"{last.paid_at:%m月%d日 %H:%M}通过{CHANNELS.get(last.channel, last.channel)}缴纳的"
            f"{_yuan(last.amount)}还没有到账。请保留支付凭证，如需核查可以转人工客服。"
        )
    if account.billing == "prepaid":
        balance = load_prepaid(session, ctx, account)[0].balance
        if balance <= 0:
            advice.append(f"当前余额为{_yuan(balance)}，需要充值到余额大于0才会自动复电。")
        else:
            deadline = _reconnect_deadline(session, account.account_no)
            if deadline is not None and deadline > now:
                reconnect_by = deadline
                advice.append(f"充值后余额已为正，系统会在1小时内自动复电（{deadline:%H:%M}前）。")
            if alert_level(ctx.engine.tariffs.prepaid, balance) != "normal":
                lowest = min(level for level in ctx.engine.tariffs.prepaid.balance_alerts_yuan if balance < level)
                advice.append(f"当前余额{_yuan(balance)}，已低于{lowest:.0f}元提醒线，建议尽快充值，以免余额用完后停电。")
    else:
        arrears = arrears_of(session, ctx, account, now.date())
        balance = NO_MONEY - arrears.total
        if arrears.total > 0:
            fee = f"（含违约金{_yuan(arrears.late_fee)}）" if arrears.late_fee else ""
            advice.append(f"账户仍有未缴电费{_yuan(arrears.total)}{fee}。")
        if meter.state == "disconnected_arrears" and arrears.total == 0 and last is not None and last.credited:
            hours = ctx.rules.reconnection_after_arrears_paid_hours
            reconnect_by = last.paid_at + timedelta(hours=hours)
            advice.append(f"欠费已结清，将在{hours}小时内恢复供电（{reconnect_by:%m月%d日 %H:%M}前）。")
    if meter.state == "offline":
        advice.append("电表目前通信离线，缴费已记在账户上；如果家里没电，可能是其他原因，可以报修。")
    if not advice:
        advice.append("缴费已到账，账户没有欠费，电表供电正常。如果仍然没电，请查询是否有停电，或报修。")
    return PaymentDiagnosis(
        account_no=account.account_no,
        last_payment=last,
        credited=last.credited if last else True,
        meter_state=meter.state,  # type: ignore[arg-type]
        balance_or_arrears=balance,
        expected_reconnect_by=reconnect_by,
        advice=advice,
    )


def _reconnect_deadline(session: Session, account_no: str) -> datetime | None:
    return session.scalar(
        select(models.PrepaidEvent.deadline)
        .where(models.PrepaidEvent.account_no == account_no, models.PrepaidEvent.kind == "reconnect")
        .order_by(models.PrepaidEvent.at.desc())
        .limit(1)
    )
