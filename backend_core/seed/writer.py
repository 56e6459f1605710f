"""Writes customer specs into the database: entities, readings, bills, payments, prepaid history.

Readings are generated hourly and everything else is derived from them (daily
reads, month-end register reads with their time-of-use split, two-part demand
and reactive energy), so the figures agree at every level. Bills come from the
monthly bill run (the engine), payments go through the payment service, and a
prepaid balance is the outcome of the prepaid state machine over the year.
"""

from __future__ import annotations

import math
import random
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.billing.engine import ZERO
from backend_core.billing.periods import Period
from backend_core.billing.prepaid import PrepaidMeter, daily_charge, deduction_time
from backend_core.passwords import hash_password, verify_password
from backend_core.seed.shapes import fit_month, free_month
from backend_core.seed.specs import BILLED_MONTHS, DATA_START, CustomerSpec
from backend_core.services.arrears import late_fee_of
from backend_core.services.context import CoreContext
from backend_core.services.payments import post_payment

TARIFF_NAMES = {
    "residential_tiered": ("居民阶梯电价", "residential"),
    "commercial_single_part": ("一般工商业单一制电价", "commercial"),
    "large_industrial_two_part": ("大工业两部制电价", "large_industrial"),
}
TOP_UPS = (Decimal(50), Decimal(100), Decimal(100), Decimal(200))
TOP_UP_ABOVE = Decimal(20)  # a customer tops up before the balance would pass this after paying


def _rng(spec: CustomerSpec) -> random.Random:
    return random.Random(zlib.crc32(spec.account_no.encode()))


def ensure_tariffs(session: Session) -> None:
    for code, (name, customer_class) in TARIFF_NAMES.items():
        row = session.get(models.Tariff, code) or models.Tariff(code=code)
        row.name, row.customer_class = name, customer_class
        session.add(row)
    session.flush()


def reset_account(session: Session, account_no: str) -> None:
    """Remove what the seeder derives for an account (readings, bills, payments, prepaid), keep the rest."""
    meter_ids = select(models.Meter.id).where(models.Meter.account_no == account_no)
    bill_ids = select(models.Bill.id).where(models.Bill.account_no == account_no)
    payment_ids = select(models.Payment.id).where(models.Payment.account_no == account_no)
    for statement in (
        delete(models.LateFeeCharge).where(models.LateFeeCharge.bill_id.in_(bill_ids)),
        delete(models.PaymentAllocation).where(models.PaymentAllocation.payment_id.in_(payment_ids)),
        delete(models.Payment).where(models.Payment.account_no == account_no),
        delete(models.BillLine).where(models.BillLine.bill_id.in_(bill_ids)),
        delete(models.Bill).where(models.Bill.account_no == account_no),
        delete(models.PrepaidEvent).where(models.PrepaidEvent.account_no == account_no),
        delete(models.PrepaidBalance).where(models.PrepaidBalance.account_no == account_no),
        delete(models.IntervalReading).where(models.IntervalReading.meter_id.in_(meter_ids)),
        delete(models.DailyRead).where(models.DailyRead.meter_id.in_(meter_ids)),
        delete(models.MonthlyRead).where(models.MonthlyRead.meter_id.in_(meter_ids)),
    ):
        session.execute(statement)


def upsert_account(session: Session, spec: CustomerSpec, now: datetime) -> models.Meter:
    """Customer, service point, account and meter exactly as the spec says (created or corrected)."""
    account = session.get(models.Account, spec.account_no)
    if account is None:
        customer = models.Customer(created_at=now)
        point = models.ServicePoint()
        account = models.Account(account_no=spec.account_no, customer=customer, service_point=point, opened_on=date(2015, 3, 1))
        session.add(account)
    customer, point = account.customer, account.service_point
    customer.name, customer.phone, customer.id_number = spec.name, spec.phone, spec.id_number
    point.address, point.district, point.area_type = spec.address, spec.district, spec.area_type
    point.feeder, point.transformer_area = spec.feeder, spec.transformer_area
    account.customer_class, account.tariff_code, account.billing = spec.customer_class, spec.tariff, spec.billing
    account.time_of_use, account.persons, account.low_income = spec.time_of_use, spec.persons, spec.low_income
    account.large_household_approved, account.status = spec.large_household_approved, "active"
    session.flush()
    meter = session.scalar(select(models.Meter).where(models.Meter.account_no == spec.account_no))
    if meter is None:
        meter = models.Meter(meter_no=f"M{spec.account_no}", account_no=spec.account_no, installed_on=date(2019, 6, 1))
        session.add(meter)
    meter.phase, meter.prepaid = spec.phase, spec.billing == "prepaid"
    meter.state, meter.state_since = "online", datetime.combine(DATA_START, time())
    session.flush()
    return meter


def hourly_wh(spec: CustomerSpec, ctx: CoreContext, last_day: date) -> dict[datetime, int]:
    """Hourly Wh from 1 January to ``last_day``: demo facts fitted exactly, later months alike."""
    rng = _rng(spec)
    bucket_of = _bucket_function(spec, ctx)
    hours: dict[datetime, int] = {}
    period = Period.of(DATA_START)
    while period <= Period.of(last_day):
        if spec.targets_wh:
            targets = spec.targets_wh.get(period) or _like_last_month(spec, period)
            hours.update(fit_month(period, spec.shape, rng, targets, bucket_of))
        else:
            hours.update(free_month(period, spec.shape, rng))
        period = period.next()
    return {start: wh for start, wh in hours.items() if start.date() <= last_day}


def _like_last_month(spec: CustomerSpec, period: Period) -> dict[str, int]:
    """Months after the stated ones use the last stated month's daily rate."""
    last = max(spec.targets_wh)
    return {k: round(v * period.days / last.days) for k, v in spec.targets_wh[last].items()}


def _bucket_function(spec: CustomerSpec, ctx: CoreContext) -> Callable[[datetime], str]:
    tariffs = ctx.engine.tariffs
    if spec.bucket_kind == "all":
        return lambda start: "all"
    if spec.bucket_kind == "residential_tou":
        tou = tariffs.residential.time_of_use
        return lambda start: tou.period_of(start.hour * 60 + start.minute)
    schedule = tariffs.two_part.schedule if spec.tariff == "large_industrial_two_part" else tariffs.commercial
    return lambda start: schedule.period_of(start.month, start.hour * 60 + start.minute)


def _kwh(wh: int) -> Decimal:
    return Decimal(wh).scaleb(-3)


def write_readings(
    session: Session, ctx: CoreContext, spec: CustomerSpec, meter: models.Meter, hours: dict[datetime, int]
) -> dict[date, Decimal]:
    """Interval, daily and month-end reads of one meter; returns the daily kWh (for prepaid)."""
    intervals = [
        {"meter_id": meter.id, "start": start, "minutes": 60, "kwh": _kwh(wh)}
        for start, wh in hours.items()
        if start.date() >= spec.interval_from
    ]
    daily: dict[date, int] = defaultdict(int)
    for start, wh in hours.items():
        daily[start.date()] += wh
    _bulk(session, models.IntervalReading, intervals)
    _bulk(session, models.DailyRead, [{"meter_id": meter.id, "day": d, "kwh": _kwh(wh)} for d, wh in daily.items()])
    _bulk(session, models.MonthlyRead, monthly_reads(ctx, spec, meter.id, hours))
    return {d: _kwh(wh) for d, wh in daily.items()}


def monthly_reads(ctx: CoreContext, spec: CustomerSpec, meter_id: int, hours: dict[datetime, int]) -> list[dict[str, Any]]:
    residential_tou = ctx.engine.tariffs.residential.time_of_use
    schedule = (
        ctx.engine.tariffs.two_part.schedule if spec.tariff == "large_industrial_two_part" else ctx.engine.tariffs.commercial
    )
    by_month: dict[Period, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    peak_hour: dict[Period, int] = defaultdict(int)
    for start, wh in hours.items():
        period = Period.of(start.date())
        if period not in BILLED_MONTHS:
            continue
        bucket = by_month[period]
        bucket["kwh"] += wh
        minute = start.hour * 60 + start.minute
        if spec.tariff == "residential_tiered":
            bucket[residential_tou.period_of(minute)] += wh
        else:
            bucket[schedule.period_of(start.month, minute)] += wh
        peak_hour[period] = max(peak_hour[period], wh)
    rows = []
    register = spec.register_start_kwh
    for period in sorted(by_month):
        values = by_month[period]
        register += _kwh(values["kwh"])
        row = {
            "meter_id": meter_id,
            "period": str(period),
            "read_on": period.last_day,
            "register_kwh": register,
            "kwh": _kwh(values["kwh"]),
            "kwh_critical_peak": None,
            "kwh_peak": _kwh(values["peak"]),
            "kwh_flat": None,
            "kwh_valley": _kwh(values["valley"]),
            "max_demand_kw": None,
            "kvarh": None,
        }
        if spec.tariff != "residential_tiered":
            row["kwh_flat"] = _kwh(values["flat"])
            if schedule.has_critical_peak(period.month):
                row["kwh_critical_peak"] = _kwh(values["critical_peak"])
        if spec.tariff == "large_industrial_two_part":
            row["max_demand_kw"] = Decimal(round(peak_hour[period] / 1000 * 1.08))
            tan_phi = math.tan(math.acos(spec.power_factor))
            row["kvarh"] = Decimal(round(values["kwh"] / 1000 * tan_phi))
        rows.append(row)
    return rows


def _bulk(session: Session, model: type[models.Base], rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(models.table_of(model)), rows)  # Core executemany: no ORM batching by NULL pattern


def pay_bills(session: Session, ctx: CoreContext, spec: CustomerSpec, now: datetime) -> None:
    """Pay each planned bill on its day (with the late fee due by then), never in the future."""
    account = session.get(models.Account, spec.account_no)
    assert account is not None
    bills = {
        b.period: b
        for b in session.scalars(
            select(models.Bill).where(models.Bill.account_no == spec.account_no).order_by(models.Bill.period)
        )
    }
    for period, plan in sorted(spec.payments.items()):
        bill = bills.get(str(period))
        if bill is None or bill.status == "paid":
            continue
        paid_at = datetime.combine(bill.issued_on + timedelta(days=plan.days_after_issue), plan.at)
        if paid_at > now:
            paid_at = now - timedelta(hours=1)
        if paid_at.date() < bill.issued_on:
            continue
        amount = bill.unpaid_amount + late_fee_of(ctx, account, bill, paid_at.date()).amount
        post_payment(session, ctx, spec.account_no, amount, plan.channel, f"seed:{spec.account_no}:{period}", paid_at)


def settle_prepaid_bills(session: Session, account_no: str) -> None:
    """A prepaid account's monthly bills are settled from its balance when they are issued."""
    for bill in session.scalars(select(models.Bill).where(models.Bill.account_no == account_no)):
        bill.paid_amount, bill.status, bill.paid_on = bill.total, "paid", bill.issued_on


def write_prepaid(
    session: Session, ctx: CoreContext, spec: CustomerSpec, meter: models.Meter, daily_kwh: dict[date, Decimal], now: datetime
) -> None:
    """Replay the year's daily deductions and top-ups so that the balance ends at the spec's figure.

    Top-ups are placed walking backwards from the final balance: whenever the
    balance before a deduction would exceed one top-up plus a margin, the
    customer is taken to have topped up the evening before. Replaying forwards
    through the prepaid state machine then yields the alerts, notices and
    cut-offs the rules produce.
    """
    assert spec.prepaid_balance is not None
    rng = _rng(spec)
    charges: list[tuple[datetime, Decimal]] = []
    year_total = ZERO
    for day in sorted(daily_kwh):
        if deduction_time(day) > now:
            break
        if day.month == 1 and day.day == 1:
            year_total = ZERO
        charges.append(
            (deduction_time(day), daily_charge(ctx.engine, day, daily_kwh[day], year_total, spec.large_household_approved))
        )
        year_total += daily_kwh[day]
    balance = spec.prepaid_balance
    top_ups: list[tuple[datetime, Decimal]] = []
    for at, charge in reversed(charges):
        balance += charge
        amount = rng.choice(TOP_UPS)
        if balance > amount + TOP_UP_ABOVE:
            top_ups.append((datetime.combine(at.date() - timedelta(days=1), time(19, rng.randint(0, 59))), amount))
            balance -= amount
    machine = PrepaidMeter(ctx.engine.tariffs.prepaid, balance)
    events = []
    timeline = sorted([(at, "deduct", amount) for at, amount in charges] + [(at, "pay", amount) for at, amount in top_ups])
    for at, kind, amount in timeline:
        events.extend(machine.deduct(at, amount) if kind == "deduct" else machine.pay(at, amount))
    events.extend(machine.advance(now))
    for i, (at, amount) in enumerate(sorted(top_ups)):
        session.add(
            models.Payment(
                payment_no=f"JF{at:%Y%m%d}{spec.account_no[-6:]}{i:03d}",
                account_no=spec.account_no,
                amount=amount,
                channel="wechat",
                paid_at=at,
                idempotency_key=f"seed:{spec.account_no}:topup:{i}",
                credited=True,
                credited_at=at,
            )
        )
    session.add(
        models.PrepaidBalance(
            account_no=spec.account_no,
            balance=machine.balance,
            updated_at=charges[-1][0] if charges else now,
            alerts_sent=",".join(str(level) for level in sorted(machine.alerted, reverse=True)),
            cutoff_at=machine.cutoff_at,
        )
    )
    _bulk(
        session,
        models.PrepaidEvent,
        [
            {
                "account_no": spec.account_no,
                "kind": e.kind,
                "at": e.at,
                "amount": e.amount,
                "balance_after": e.balance,
                "level": e.level,
                "deadline": e.deadline,
            }
            for e in events
        ],
    )
    if machine.state != "online":
        meter.state = machine.state
        meter.state_since = next(e.at for e in reversed(events) if e.kind == "disconnect")


def write_agents(session: Session, agents: Iterable[dict[str, str]], password: str) -> None:
    for agent in agents:
        row = session.scalar(select(models.Agent).where(models.Agent.username == agent["username"]))
        if row is None:
            row = models.Agent(username=agent["username"], password_hash="")
            session.add(row)
        row.display_name, row.active = agent["display_name"], True
        if not verify_password(password, row.password_hash):
            row.password_hash = hash_password(password)
