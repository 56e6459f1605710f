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

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

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


class AgentIdentity(BaseModel):
    """A console agent who proved their password."""

    username: str
    display_name: str


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


# -- business facts: the one source of every figure a reply quotes ------------------------

_HOURS_RE = re.compile(r"\s*([0-9]{2}):([0-9]{2})\s*-\s*([0-9]{2}):([0-9]{2})\s*")
DAY_MINUTES = 24 * 60


class AgentHours(BaseModel):
    """When human agents take hand-overs, every day, in the territory's local time.

    ``end`` may be ``24:00`` (a :class:`datetime.time` cannot say that, hence strings);
    ``00:00-24:00`` means always staffed, and an end before the start is a shift past
    midnight. The value is service_rules.yml's ``handoff.hours`` unless the environment
    variable ``AGENT_HOURS`` overrides it (interfaces.md: demos and checks run at any hour),
    so whoever decides "queue or call-back order" asks this model instead of typing hours.
    """

    start: str  # HH:MM
    end: str  # HH:MM, 24:00 allowed
    always_staffed: bool
    timezone: str = "Asia/Shanghai"
    source: Literal["AGENT_HOURS", "service_rules.yml"] = "service_rules.yml"

    @classmethod
    def parse(
        cls,
        text: object,
        timezone: str = "Asia/Shanghai",
        source: Literal["AGENT_HOURS", "service_rules.yml"] = "service_rules.yml",
    ) -> AgentHours:
        """``HH:MM-HH:MM``; raises ``ValueError`` naming the expected form for anything else
        (a setting or a YAML value, which may not even be a string)."""
        match = _HOURS_RE.fullmatch(text) if isinstance(text, str) else None
        form = "expected HH:MM-HH:MM, e.g. 08:00-20:00 (00:00-24:00 = always staffed)"
        if not match:
            raise ValueError(f"agent hours {text!r}: {form}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise ValueError(f"agent hours {text!r}: not a time of day; {form}")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start == end:
            raise ValueError(f"agent hours {text!r}: start equals end; {form}")
        return cls(
            start=f"{h1:02d}:{m1:02d}",
            end=f"{h2:02d}:{m2:02d}",
            always_staffed=(start, end) == (0, DAY_MINUTES),
            timezone=timezone,
            source=source,
        )

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"

    @staticmethod
    def _minutes(hhmm: str) -> int:
        hours, minutes = hhmm.split(":")
        return int(hours) * 60 + int(minutes)

    def _local(self, moment: datetime) -> datetime:
        """Aware moments are converted to local time; naive ones already are (as the core stores them)."""
        if moment.tzinfo is None:
            return moment
        return moment.astimezone(ZoneInfo(self.timezone)).replace(tzinfo=None)

    def agents_on_duty(self, moment: datetime) -> bool:
        """Whether agents answer at ``moment``: [start, end), with 24:00 the end of the day."""
        if self.always_staffed:
            return True
        local = self._local(moment)
        minute = local.hour * 60 + local.minute
        start, end = self._minutes(self.start), self._minutes(self.end)
        if start < end:
            return start <= minute < end
        return minute >= start or minute < end

    def shift_end(self, moment: datetime) -> datetime:
        """End of the shift on at ``moment``, or of the next one (naive local time).

        A call-back order is due then. Always staffed, a shift ends at 24:00 each day.
        """
        local = self._local(moment)
        end = self._minutes(self.end)
        candidate = datetime.combine(local.date(), datetime.min.time()) + timedelta(minutes=end)
        return candidate if local < candidate else candidate + timedelta(days=1)


class ServiceFacts(BaseModel):
    """The service commitments replies quote, read from service_rules.yml by the core.

    Callers (the action server, the hub, the console) quote these instead of typing
    hours, days and limits again, so that a utility changes its commitments in one file.
    """

    hotline: str
    repair_arrival_minutes: dict[str, int]  # from report to arrival, by area type: urban, rural, remote
    repair_restore_hours_after_arrival: dict[str, int]  # urban, rural
    planned_outage_notice_days: int  # planned outages announced at least this many days ahead
    temporary_outage_notice_hours: int
    new_connection_working_days: dict[str, int]  # residential_total, low_voltage_non_residential, high_voltage_*
    meter_test_result_working_days: int
    meter_test_fee_yuan: Decimal  # single-phase meter (apply_meter_check's rule)
    meter_test_fee_refunded_when_out_of_tolerance: bool
    meter_data_query_answer_working_days: int
    complaint_first_contact_hours: int
    complaint_answer_working_days: int
    reconnection_after_arrears_paid_hours: int  # post-paid; prepaid: TariffFacts.prepaid.reconnect
    disconnection_after_overdue_days: int  # never earlier, and only after a written reminder
    disconnection_notice_days_residential: int
    identity_max_failures: int  # failed checks in one conversation before the lock
    identity_lock_minutes: int
    agent_hours: AgentHours
    work_order_states: list[WorkOrderState]


class ResidentialTouFacts(BaseModel):
    peak_hours: str  # "08:00-22:00"
    valley_hours: str  # "22:00-08:00"
    peak_price: Decimal  # tier-1 prices; tier surcharges add on top of both
    valley_price: Decimal


class ResidentialTariffFacts(BaseModel):
    thresholds_kwh: list[Decimal]  # cumulative kWh per calendar year: [2760, 4800]
    large_household_thresholds_kwh: list[Decimal]  # with the large-household extra: [3960, 6000]
    large_household_min_persons: int
    large_household_extra_kwh_per_year: Decimal
    base_price: Decimal
    tier_surcharges: list[Decimal]  # per kWh in tier 1 / 2 / 3
    tier_prices: list[Decimal]  # base + surcharge: 0.5380 / 0.5880 / 0.8380
    low_income_free_kwh_per_month: Decimal
    time_of_use: ResidentialTouFacts


class TouScheduleFacts(BaseModel):
    """Prices per kWh and hours of a time-of-use schedule (commercial, large-industrial energy)."""

    flat_price: Decimal
    peak_price: Decimal
    valley_price: Decimal
    critical_peak_price: Decimal
    peak_hours: list[str]  # ["08:00-11:00", "17:00-23:00"], local time, [start, end)
    flat_hours: list[str]
    valley_hours: list[str]
    critical_peak_hours: str  # inside peak hours, only in critical_peak_months
    critical_peak_months: list[int]


class LargeIndustrialFacts(BaseModel):
    demand_charge_per_kw_month: Decimal  # on the month's maximum demand
    energy: TouScheduleFacts
    power_factor_standard: Decimal


class LatePaymentFacts(BaseModel):
    bill_issue_day: int  # a month's bill is issued on this day of the next month
    due_day: int  # and due on this day of that month
    residential_daily_rate: Decimal
    non_residential_current_year_daily_rate: Decimal  # days in the year the bill was issued
    non_residential_previous_years_daily_rate: Decimal  # days in any later year
    minimum_yuan: Decimal  # a late fee that is due is never less


class PrepaidFacts(BaseModel):
    balance_alerts_yuan: list[Decimal]  # highest first: [30, 10]
    disconnect: str  # the rule as tariffs.yml words it
    reconnect: str
    cutoff_time: str  # HH:MM the day after the balance falls below 0, as the engine applies it
    reconnect_within_hours: int  # after a payment brings the balance above 0, as the engine applies it


class TariffFacts(BaseModel):
    """The tariff figures replies quote, read from tariffs.yml by the core (never typed again)."""

    residential: ResidentialTariffFacts
    commercial: TouScheduleFacts  # single-part; flat_price is its flat-period price
    large_industrial: LargeIndustrialFacts
    late_payment: LatePaymentFacts
    prepaid: PrepaidFacts


# -- calculators: figures for questions that ask for one --------------------------------


class LateFeeSegment(BaseModel):
    """Consecutive overdue days counted at one daily rate."""

    first_day: date
    last_day: date
    days: int
    daily_rate: Decimal


class LateFeeQuote(BaseModel):
    """违约金 of an unpaid amount paid ``days_late`` days after the due date, and how it was reached."""

    customer_class: Literal["residential", "non_residential"]
    bill_period: str  # YYYY-MM
    amount: Decimal
    due_on: date
    paid_on: date
    days_late: int  # days counted: the day after the due date up to and including paid_on
    segments: list[LateFeeSegment]  # the daily rate(s) used
    rate_total: Decimal  # sum of the daily rates over the days, e.g. 0.003
    computed: Decimal  # amount × rate_total, rounded, before the minimum
    minimum_yuan: Decimal
    minimum_applied: bool
    fee: Decimal


class EnergyCost(BaseModel):
    """What a residential (居民阶梯) customer pays for one month's kWh, priced by the billing engine."""

    period: str
    kwh: Decimal
    prior_kwh_this_year: Decimal
    year_to_date_kwh: Decimal  # prior + this month
    large_household: bool
    low_income: bool
    time_of_use: bool
    tier_thresholds_kwh: list[Decimal]
    tier_kwh: list[Decimal]  # this month's kWh in tier 1 / 2 / 3
    lines: list[BillLine]
    total: Decimal


class DemandCharge(BaseModel):
    """基本电费 of a large-industrial customer: max demand × the tariff's charge, rounded as bills are."""

    max_demand_kw: Decimal
    price_per_kw_month: Decimal
    amount: Decimal


class CoreGateway(Protocol):
    """Everything the bot, the hub and the console may ask of the core.

    ``session_id`` ties identity checks to one conversation so that the attempt
    limit (3 failures, then 30 minutes locked) applies per conversation.
    Methods raise :class:`NotFound` or :class:`CoreError`, never return raw rows.
    """

    def verify_identity(self, account_no: str, phone_last4: str, session_id: str) -> Verification: ...

    def is_verified(self, account_no: str, session_id: str) -> bool: ...

    def account_summary(self, account_no: str) -> AccountSummary: ...

    def authenticate_agent(self, username: str, password: str) -> AgentIdentity | None: ...

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

    # -- business facts and calculators: callers never type a business number ---------

    def service_facts(self) -> ServiceFacts:
        """Hours, days, limits and fees of service_rules.yml, with ``AGENT_HOURS`` applied."""
        ...

    def tariff_facts(self) -> TariffFacts:
        """Thresholds, prices, hours and late-payment rules of tariffs.yml."""
        ...

    def late_fee(
        self,
        amount: Decimal,
        customer_class: Literal["residential", "non_residential", "commercial", "large_industrial"],
        days_late: int,
        bill_period: str | None = None,
    ) -> LateFeeQuote:
        """The late fee of ``amount`` paid ``days_late`` days after the due date of ``bill_period``
        (default: the latest issued month), by the engine's own late-fee rule. Bad input raises
        :class:`CoreError` (``invalid_number``, ``invalid_amount``, ``amount_out_of_range``,
        ``days_out_of_range``, ``bad_customer_class``, ``bad_period``; HTTP 422)."""
        ...

    def energy_cost(
        self,
        kwh: Decimal,
        prior_kwh_this_year: Decimal = Decimal(0),
        large_household: bool = False,
        low_income: bool = False,
        peak_kwh: Decimal | None = None,
        valley_kwh: Decimal | None = None,
        period: str | None = None,
    ) -> EnergyCost:
        """A residential month of ``kwh`` after ``prior_kwh_this_year`` kWh this calendar year
        (time of use when ``peak_kwh`` and ``valley_kwh`` are given), as a bill would price it.
        ``period`` defaults to the current month."""
        ...

    def demand_charge(self, max_demand_kw: Decimal) -> DemandCharge:
        """The large-industrial demand charge of one month's maximum demand."""
        ...

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (weekends, public holidays and 调休 days applied)."""
        ...

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
        ...
