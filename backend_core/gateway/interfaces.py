"""The contract between the billing core and everything that reads it.

Actions, the hub and the console reach the utility's marketing and billing system
(营销系统) only through :class:`CoreGateway`, so that a real utility system can
replace ``backend_core`` by writing one more implementation. Two implementations
exist: ``embedded.EmbeddedGateway`` (in-process, SQLAlchemy session) and
``http.HttpGateway`` (the core's HTTP API with a service token). The same contract
tests run against both.

Every value that identifies a person (name, phone, ID number, address) leaves the
core masked as service_rules.yml says, unless the caller passes
``purpose`` for a verified need; amounts are ``Decimal`` (JSON: strings with two
decimals) so that nothing is ever rounded twice.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol

from pydantic import BaseModel, Field

WorkOrderType = Literal[
    "apply_new_connection",
    "apply_capacity_change",
    "apply_transfer",
    "apply_meter_check",
    "apply_tou",
    "apply_close_account",
    "apply_ev_charger",
    "report_outage",
    "report_hazard",
    "complain",
    "request_invoice",
    "update_contact",
    "callback",
]
WorkOrderState = Literal[
    "submitted", "accepted", "dispatched", "in_progress", "completed", "closed", "cancelled"
]
MeterState = Literal["online", "offline", "disconnected_arrears", "disconnected_negative_balance"]


class CoreError(Exception):
    """A request the core refuses; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class NotFound(CoreError):
    """The account, bill or order does not exist (or is not visible to the caller)."""

    def __init__(self, message: str) -> None:
        super().__init__("not_found", message, 404)


class Verification(BaseModel):
    """Outcome of one identity check (account number + last 4 digits of the phone)."""

    verified: bool
    reason: Literal["ok", "mismatch", "locked", "invalid_input"]
    attempts_left: int
    locked_until: datetime | None = None


class AccountSummary(BaseModel):
    account_no: str
    name: str  # masked: 张*
    phone: str  # masked: 138****8000
    address: str  # masked: district and street kept
    district: str
    area_type: Literal["urban", "rural", "remote"]
    customer_class: Literal["residential", "commercial", "large_industrial"]
    tariff: str
    billing: Literal["postpaid", "prepaid"]
    time_of_use: bool
    low_income: bool
    large_household_approved: bool
    meter_state: MeterState
    arrears_total: Decimal
    prepaid_balance: Decimal | None = None


class BillLine(BaseModel):
    code: str  # e.g. tier1, tier2, peak, valley, low_income_credit, demand, pf_adjust
    label: str  # Chinese label shown to customers: 第一档电费
    kwh: Decimal | None = None
    price: Decimal | None = None
    amount: Decimal


class Bill(BaseModel):
    account_no: str
    period: str  # YYYY-MM
    kwh: Decimal
    total: Decimal
    tier_kwh: list[Decimal] | None = None
    lines: list[BillLine]
    issued_on: date
    due_on: date
    paid: bool
    paid_amount: Decimal
    unpaid_amount: Decimal


class ArrearsItem(BaseModel):
    period: str
    amount: Decimal
    due_on: date
    days_overdue: int
    late_fee: Decimal


class Arrears(BaseModel):
    account_no: str
    as_of: date
    items: list[ArrearsItem]
    principal: Decimal
    late_fee: Decimal
    total: Decimal


class PrepaidStatus(BaseModel):
    account_no: str
    balance: Decimal
    alert_level: Literal["normal", "below_30", "below_10", "negative"]
    meter_state: MeterState
    estimated_days_left: int | None = None  # from the last 30 days' average daily cost
    disconnect_at: datetime | None = None  # 08:00 the day after the balance fell below 0


class MonthUsage(BaseModel):
    period: str
    kwh: Decimal
    amount: Decimal | None = None


class Usage(BaseModel):
    account_no: str
    months: list[MonthUsage]
    year_to_date_kwh: Decimal
    tier_thresholds_kwh: list[Decimal]  # for this account (large households included)
    current_tier: int  # 1, 2 or 3
    kwh_to_next_tier: Decimal | None = None  # None in tier 3


class BillExplanation(BaseModel):
    """Why a bill is what it is, in facts the bot can put into words."""

    account_no: str
    period: str
    total: Decimal
    kwh: Decimal
    previous_months: list[MonthUsage]  # up to 3, newest first
    same_month_last_year: MonthUsage | None = None
    change_vs_previous_pct: Decimal | None = None
    crossed_tiers: list[int]  # tiers first entered during this period, e.g. [2]
    peak_share_pct: Decimal | None = None  # time-of-use or interval data only
    reasons: list[str]  # short Chinese sentences, most important first


class Payment(BaseModel):
    payment_id: str
    account_no: str
    amount: Decimal
    channel: str  # wechat, alipay, bank, counter, app
    paid_at: datetime
    credited: bool
    periods: list[str]


class PaymentDiagnosis(BaseModel):
    """Paid but not credited, or paid but still without power."""

    account_no: str
    last_payment: Payment | None
    credited: bool
    meter_state: MeterState
    balance_or_arrears: Decimal  # prepaid balance, or arrears still open (negative = owed)
    expected_reconnect_by: datetime | None = None
    advice: list[str]


class TouAdvice(BaseModel):
    account_no: str
    months_compared: list[str]
    flat_total: Decimal
    tou_total: Decimal
    saving: Decimal  # positive: time-of-use would have cost less
    valley_share_pct: Decimal
    already_on_tou: bool
    eligible: bool
    note: str


class Outage(BaseModel):
    outage_id: str
    kind: Literal["planned", "temporary", "fault"]
    status: Literal["scheduled", "active", "restored", "cancelled"]
    scope: str  # feeder / transformer area, human-readable
    feeder: str
    transformer_areas: list[str]
    start: datetime
    end: datetime | None = None
    estimated_restore: datetime | None = None
    reason: str
    notice_published_at: datetime | None = None


class OutageDiagnosis(BaseModel):
    account_no: str
    cause: Literal["planned", "fault", "prepaid_cutoff", "arrears_cutoff", "unknown"]
    outage: Outage | None = None
    meter_state: MeterState
    area_type: Literal["urban", "rural", "remote"]
    repair_arrival_minutes: int  # the commitment for this area type
    advice: list[str]


class WorkOrder(BaseModel):
    ticket_no: str  # GD + YYYYMMDD + 4-digit sequence
    type: WorkOrderType
    state: WorkOrderState
    account_no: str | None = None
    urgent: bool = False
    created_at: datetime
    deadline: datetime | None = None
    summary: str
    fields: dict[str, str] = Field(default_factory=dict)  # masked where personal


class Subscription(BaseModel):
    account_no: str
    channel: str
    target: str  # masked phone or channel user id
    active: bool


class CoreGateway(Protocol):
    """Everything the bot, the hub and the console may ask of the core.

    ``session_id`` ties identity checks to one conversation so that the attempt
    limit (3 failures, then 30 minutes locked) applies per conversation.
    Methods raise :class:`NotFound` or :class:`CoreError`, never return raw rows.
    """

    def verify_identity(self, account_no: str, phone_last4: str, session_id: str) -> Verification: ...

    def is_verified(self, account_no: str, session_id: str) -> bool: ...

    def account_summary(self, account_no: str) -> AccountSummary: ...

    def get_bill(self, account_no: str, period: str | None = None) -> Bill:
        """The bill of ``period`` (YYYY-MM), or the latest issued one."""
        ...

    def list_bills(self, account_no: str, limit: int = 12) -> list[Bill]: ...

    def get_arrears(self, account_no: str, as_of: date | None = None) -> Arrears: ...

    def get_prepaid_status(self, account_no: str) -> PrepaidStatus: ...

    def get_usage(self, account_no: str, start: str | None = None, end: str | None = None) -> Usage: ...

    def explain_bill(self, account_no: str, period: str | None = None) -> BillExplanation: ...

    def payment_history(self, account_no: str, limit: int = 6) -> list[Payment]: ...

    def post_payment(
        self,
        account_no: str,
        amount: Decimal,
        channel: str,
        idempotency_key: str,
        paid_at: datetime | None = None,
    ) -> Payment:
        """Record a payment (channel: wechat, alipay, bank, counter, app); it settles the oldest
        bills first, late fee first, or tops up a prepaid balance. A retry with the same
        ``idempotency_key`` returns the first payment and changes nothing; the same key with
        another account or amount raises ``CoreError("duplicate_payment", …, 409)``."""
        ...

    def diagnose_payment(self, account_no: str) -> PaymentDiagnosis: ...

    def tou_advice(self, account_no: str) -> TouAdvice: ...

    def diagnose_outage(self, account_no: str) -> OutageDiagnosis: ...

    def find_outages(
        self, account_no: str | None = None, address: str | None = None, days_ahead: int = 14
    ) -> list[Outage]: ...

    def subscribe_outage_notice(self, account_no: str, channel: str, target: str) -> Subscription: ...

    def create_work_order(
        self,
        type: WorkOrderType,
        fields: dict[str, str],
        idempotency_key: str,
        account_no: str | None = None,
        contact_phone: str | None = None,
        urgent: bool = False,
    ) -> WorkOrder:
        """Create an order; a retry with the same ``idempotency_key`` returns the first one."""
        ...

    def get_work_order(self, ticket_no: str) -> WorkOrder: ...

    def list_work_orders(self, account_no: str, limit: int = 5) -> list[WorkOrder]: ...

    def update_contact_phone(self, account_no: str, new_phone: str, session_id: str) -> AccountSummary:
        """Only for an account verified in ``session_id``."""
        ...

    def quote(self, case: dict) -> dict:
        """The billing engine on one case of billing_cases.yml's form."""
        ...
