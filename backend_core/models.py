"""The core's tables (SQLAlchemy 2, typed): customers to bills, outages to work orders.

Times are naive local time of the service territory (see ``core.clock``). Money
is :func:`db.Money` (Decimal, 2 places), energy :func:`db.Kwh` (3 places). Arrears
are not a table of their own: they are the unpaid part of issued bills, and the
late fee is computed to any date by the engine; what a payment actually charged
as late fee is recorded in ``late_fee_charges``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from backend_core.db import Kwh, Money, Price

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The model's Table, for Core statements such as executemany inserts (DeclarativeBase
    declares ``__table__`` as any FromClause)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


# -- customers, accounts, service points, meters ------------------------------------


class Customer(Base):
    """The person or business holding one or more accounts (户主)."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))  # registered mobile, used for identity checks
    id_number: Mapped[str | None] = mapped_column(String(18))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    accounts: Mapped[list[Account]] = relationship(back_populates="customer")


class ServicePoint(Base):
    """Where supply is delivered, and which part of the network feeds it."""

    __tablename__ = "service_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(200), index=True)
    district: Mapped[str] = mapped_column(String(50))
    area_type: Mapped[str] = mapped_column(String(10))  # urban | rural | remote
    feeder: Mapped[str] = mapped_column(String(100), index=True)
    transformer_area: Mapped[str] = mapped_column(String(100), index=True)


class Tariff(Base):
    """Catalogue of tariffs; their prices live in data/tariffs.yml, read by the engine."""

    __tablename__ = "tariffs"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    customer_class: Mapped[str] = mapped_column(String(20))


class Account(Base):
    """户号: 10 digits, or 13 after the SGCC migration."""

    __tablename__ = "accounts"
    account_no: Mapped[str] = mapped_column(String(13), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    customer_class: Mapped[str] = mapped_column(String(20))  # residential | commercial | large_industrial
    tariff_code: Mapped[str] = mapped_column(ForeignKey("tariffs.code"))
    billing: Mapped[str] = mapped_column(String(10))  # postpaid | prepaid
    time_of_use: Mapped[bool] = mapped_column(Boolean, default=False)
    persons: Mapped[int | None] = mapped_column(SmallInteger)
    low_income: Mapped[bool] = mapped_column(Boolean, default=False)
    large_household_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | closed
    opened_on: Mapped[date] = mapped_column(Date)
    customer: Mapped[Customer] = relationship(back_populates="accounts")
    service_point: Mapped[ServicePoint] = relationship()
    meters: Mapped[list[Meter]] = relationship(back_populates="account")


class Meter(Base):
    __tablename__ = "meters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_no: Mapped[str] = mapped_column(String(24), unique=True)
    account_no: Mapped[str] = mapped_column(ForeignKey("accounts.account_no"), index=True)
    phase: Mapped[str] = mapped_column(String(6))  # single | three
    prepaid: Mapped[bool] = mapped_column(Boolean, default=False)
    # online | offline | disconnected_arrears | disconnected_negative_balance
    state: Mapped[str] = mapped_column(String(32), default="online")
    state_since: Mapped[datetime] = mapped_column(DateTime)
    installed_on: Mapped[date] = mapped_column(Date)
    account: Mapped[Account] = relationship(back_populates="meters")


# -- readings ------------------------------------------------------------------------


class IntervalReading(Base):
    """AMI load profile: kWh in [start, start + minutes), minutes 15 or 60."""

    __tablename__ = "interval_readings"
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), primary_key=True)
    start: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    minutes: Mapped[int] = mapped_column(SmallInteger)
    kwh: Mapped[Decimal] = mapped_column(Kwh())


class DailyRead(Base):
    """AMI daily frozen consumption (日冻结电量) of one local calendar day."""

    __tablename__ = "daily_reads"
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kwh: Mapped[Decimal] = mapped_column(Kwh())


class MonthlyRead(Base):
    """Month-end register read (月冻结/抄表): the billing determinants of one period."""

    __tablename__ = "monthly_reads"
    __table_args__ = (
        UniqueConstraint("meter_id", "period"),
        # covers the bill run's year-to-date sum per meter without touching the rows
        Index("ix_monthly_reads_period_meter_kwh", "period", "meter_id", "kwh"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    period: Mapped[str] = mapped_column(String(7))
    read_on: Mapped[date] = mapped_column(Date)
    register_kwh: Mapped[Decimal] = mapped_column(Kwh())  # cumulative total register at month end
    kwh: Mapped[Decimal] = mapped_column(Kwh())
    kwh_critical_peak: Mapped[Decimal | None] = mapped_column(Kwh())
    kwh_peak: Mapped[Decimal | None] = mapped_column(Kwh())
    kwh_flat: Mapped[Decimal | None] = mapped_column(Kwh())
    kwh_valley: Mapped[Decimal | None] = mapped_column(Kwh())
    max_demand_kw: Mapped[Decimal | None] = mapped_column(Kwh())
    kvarh: Mapped[Decimal | None] = mapped_column(Kwh())


# -- bills, payments, late fees --------------------------------------------------------


class Bill(Base):
    __tablename__ = "bills"
    __table_args__ = (UniqueConstraint("account_no", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_no: Mapped[str] = mapped_column(ForeignKey("accounts.account_no"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    tariff_code: Mapped[str] = mapped_column(ForeignKey("tariffs.code"))
    kwh: Mapped[Decimal] = mapped_column(Kwh())
    total: Mapped[Decimal] = mapped_column(Money())
    tier1_kwh: Mapped[Decimal | None] = mapped_column(Kwh())
    tier2_kwh: Mapped[Decimal | None] = mapped_column(Kwh())
    tier3_kwh: Mapped[Decimal | None] = mapped_column(Kwh())
    power_factor: Mapped[Decimal | None] = mapped_column(Price())
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    paid_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    paid_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="unpaid")  # unpaid | partial | paid
    lines: Mapped[list[BillLine]] = relationship(
        back_populates="bill", order_by="BillLine.seq", cascade="all, delete-orphan"
    )

    @property
    def unpaid_amount(self) -> Decimal:
        return self.total - self.paid_amount


class BillLine(Base):
    __tablename__ = "bill_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(50))
    kwh: Mapped[Decimal | None] = mapped_column(Kwh())
    price: Mapped[Decimal | None] = mapped_column(Price())
    amount: Mapped[Decimal] = mapped_column(Money())
    bill: Mapped[Bill] = relationship(back_populates="lines")


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_no: Mapped[str] = mapped_column(String(32), unique=True)
    account_no: Mapped[str] = mapped_column(ForeignKey("accounts.account_no"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    channel: Mapped[str] = mapped_column(String(20))  # wechat | alipay | bank | counter | app
    paid_at: Mapped[datetime] = mapped_column(DateTime)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    credited: Mapped[bool] = mapped_column(Boolean, default=True)
    credited_at: Mapped[datetime | None] = mapped_column(DateTime)
    allocations: Mapped[list[PaymentAllocation]] = relationship(back_populates="payment")


class PaymentAllocation(Base):
    """How much of a payment settled which bill (principal and late fee)."""

    __tablename__ = "payment_allocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    principal: Mapped[Decimal] = mapped_column(Money())
    late_fee: Mapped[Decimal] = mapped_column(Money())
    payment: Mapped[Payment] = relationship(back_populates="allocations")
    bill: Mapped[Bill] = relationship()


class LateFeeCharge(Base):
    """违约金 actually charged when an overdue bill was settled."""

    __tablename__ = "late_fee_charges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    charged_on: Mapped[date] = mapped_column(Date)
    days_overdue: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money())
    payment: Mapped[Payment] = relationship()


# -- prepaid -------------------------------------------------------------------------


class PrepaidBalance(Base):
    __tablename__ = "prepaid_balances"
    account_no: Mapped[str] = mapped_column(ForeignKey("accounts.account_no"), primary_key=True)
    balance: Mapped[Decimal] = mapped_column(Money())
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    alerts_sent: Mapped[str] = mapped_column(String(40), default="")  # levels already alerted, "30,10"
    cutoff_at: Mapped[datetime | None] = mapped_column(DateTime)  # pending 08:00 cut-off


class PrepaidEvent(Base):
    __tablename__ = "prepaid_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_no: Mapped[str] = mapped_column(ForeignKey("accounts.account_no"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # deduction | payment | alert | disconnect_notice | ...
    at: Mapped[datetime] = mapped_column(DateTime)
    amount: Mapped[Decimal | None] = mapped_column(Money())
    balance_after: Mapped[Decimal] = mapped_column(Money())
    level: Mapped[Decimal | None] = mapped_column(Money())
    deadline: Mapped[datetime | None] = mapped_column(DateTime)


# -- outages -------------------------------------------------------------------------


class Outage(Base):
    __tablename__ = "outages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outage_no: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # planned | temporary | fault
    status: Mapped[str] = mapped_column(String(10))  # scheduled | active | restored | cancelled
    feeder: Mapped[str] = mapped_column(String(100), index=True)
    whole_feeder: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[str] = mapped_column(String(300))
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime | None] = mapped_column(DateTime)
    estimated_restore: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(200))
    notice_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(10), default="dispatch")  # dispatch | seed (demo data)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    areas: Mapped[list[OutageArea]] = relationship(back_populates="outage", cascade="all, delete-orphan")


class OutageArea(Base):
    __tablename__ = "outage_areas"
    outage_id: Mapped[int] = mapped_column(ForeignKey("outages.id", ondelete="CASCADE"), primary_key=True)
    transformer_area: Mapped[str] = mapped_column(String(100), primary_key=True)
    outage: Mapped[Outage] = relationship(back_populates="areas")


class OutageSubscription(Base):
    __tablename__ = "outage_subscriptions"
    __table_args__ = (UniqueConstraint("account_no", "channel", "target"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_no: Mapped[str] = mapped_column(ForeignKey("accounts.account_no"))
    channel: Mapped[str] = mapped_column(String(20))  # sms | wechat
    target: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


# -- work orders -----------------------------------------------------------------------


class WorkOrder(Base):
    __tablename__ = "work_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_no: Mapped[str] = mapped_column(String(16), unique=True)  # GD + YYYYMMDD + 4 digits
    type: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(12), default="submitted")
    account_no: Mapped[str | None] = mapped_column(ForeignKey("accounts.account_no"), index=True)
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(String(300))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deadline: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    complaint: Mapped[ComplaintOrder | None] = relationship(back_populates="work_order", cascade="all, delete-orphan")


class ComplaintOrder(Base):
    """The complaint-specific commitments of a ``complain`` work order."""

    __tablename__ = "complaint_orders"
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id", ondelete="CASCADE"), primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    first_contact_due: Mapped[datetime] = mapped_column(DateTime)  # 24 h
    answer_due: Mapped[datetime] = mapped_column(DateTime)  # 4 working days
    handoff_offered: Mapped[bool] = mapped_column(Boolean, default=True)
    work_order: Mapped[WorkOrder] = relationship(back_populates="complaint")


class TicketSequence(Base):
    """Last sequence number issued per day, so ticket numbers never repeat."""

    __tablename__ = "ticket_sequences"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


# -- identity and agents -----------------------------------------------------------------


class IdentityCheck(Base):
    __tablename__ = "identity_checks"
    __table_args__ = (Index("ix_identity_checks_session", "session_id", "at"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(100))
    account_no: Mapped[str] = mapped_column(String(20))  # as typed: may not exist
    at: Mapped[datetime] = mapped_column(DateTime)
    success: Mapped[bool] = mapped_column(Boolean)


class Agent(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
